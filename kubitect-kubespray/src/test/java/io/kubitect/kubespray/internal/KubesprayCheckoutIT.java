package io.kubitect.kubespray.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubitect.core.spi.InstallationException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Getting Kubespray with real git from a local repository, cached per version. */
class KubesprayCheckoutIT {
  @TempDir Path temp;

  @BeforeAll
  static void needsGit() {
    Requirements.requireCommand("git");
  }

  @Test
  void checksOutTheTagOnceAndReusesIt() throws Exception {
    Path repo = StandInKubespray.create(temp.resolve("repo"), "v2.29.0");
    Path cache = temp.resolve("cache");

    Path first = KubesprayCheckout.get(repo.toString(), "v2.29.0", cache, 60);
    Files.writeString(first.resolve("touched-by-test"), "x");
    Path second = KubesprayCheckout.get(repo.toString(), "v2.29.0", cache, 60);

    assertThat(first).startsWith(cache.resolve("kubespray")).isEqualTo(second);
    assertThat(first.resolve("cluster.yml")).exists();
    assertThat(second.resolve("touched-by-test")).exists();
    assertThat(first.getFileName().toString()).startsWith("v2.29.0-");
    try (var entries = Files.list(cache.resolve("kubespray"))) {
      assertThat(entries).hasSize(1);
    }
  }

  @Test
  void acceptsAFileUrl() {
    Path repo = StandInKubespray.create(temp.resolve("repo"), "v2.28.0");

    Path tree = KubesprayCheckout.get(repo.toUri().toString(), "v2.28.0", temp.resolve("c"), 60);

    assertThat(tree.resolve("scale.yml")).exists();
  }

  @Test
  void saysClearlyWhenTheVersionIsMissing() {
    Path repo = StandInKubespray.create(temp.resolve("repo"), "v2.29.0");

    assertThatThrownBy(() -> KubesprayCheckout.get(repo.toString(), "v9.9.9", temp, 60))
        .isInstanceOf(InstallationException.class)
        .hasMessageContaining("cannot get Kubespray v9.9.9 from " + repo)
        .hasMessageContaining("git clone failed")
        .hasMessageContaining("v9.9.9");
  }

  @Test
  void saysClearlyWhenTheSourceIsUnreachable() {
    assertThatThrownBy(
            () -> KubesprayCheckout.get(temp.resolve("missing").toString(), "v2.29.0", temp, 60))
        .isInstanceOf(InstallationException.class)
        .hasMessageContaining("cannot get Kubespray v2.29.0");
  }

  @Test
  void usesAPlainDirectoryInPlace() throws Exception {
    Path tree = Files.createDirectories(temp.resolve("unpacked"));
    Files.writeString(tree.resolve("cluster.yml"), "---\n");

    assertThat(KubesprayCheckout.get(tree.toString(), "v2.29.0", temp.resolve("c"), 60))
        .isEqualTo(tree);
  }
}
