package io.kubitect.kubespray.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class K3sTokenTest {
  @TempDir Path temp;

  @Test
  void isRandomPrivateAndStableAcrossRuns() throws IOException {
    Path a = temp.resolve("a/ansible/k3s-token");
    Path b = temp.resolve("b/ansible/k3s-token");

    String first = K3sToken.ensure(a);

    assertThat(first).matches("[0-9a-f]{64}");
    assertThat(K3sToken.ensure(a)).isEqualTo(first);
    assertThat(K3sToken.ensure(b)).isNotEqualTo(first);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(a)))
        .isEqualTo("rw-------");
    try (var files = Files.list(a.getParent())) {
      assertThat(files).containsExactly(a);
    }
  }

  @Test
  void isNotDerivedFromTheClusterName() {
    // Kubitect's token was sha256(<cluster name>): the same for every cluster of that name.
    String one = K3sToken.ensure(temp.resolve("one/same-name/ansible/k3s-token"));
    String two = K3sToken.ensure(temp.resolve("two/same-name/ansible/k3s-token"));

    assertThat(one).isNotEqualTo(two);
  }

  @Test
  void refusesADamagedOrReadableToken() throws IOException {
    Path damaged = temp.resolve("damaged");
    Files.writeString(damaged, "../../etc/passwd\n");
    Files.setPosixFilePermissions(damaged, PosixFilePermissions.fromString("rw-------"));
    Path readable = temp.resolve("readable");
    Files.writeString(readable, "ab".repeat(32));
    Files.setPosixFilePermissions(readable, PosixFilePermissions.fromString("rw-r--r--"));
    Path directory = Files.createDirectories(temp.resolve("directory"));

    assertThatThrownBy(() -> K3sToken.ensure(damaged)).hasMessageContaining("is damaged");
    assertThatThrownBy(() -> K3sToken.ensure(readable)).hasMessageContaining("mode rw-r--r--");
    assertThatThrownBy(() -> K3sToken.ensure(directory))
        .hasMessageContaining("is not a regular file");
  }
}
