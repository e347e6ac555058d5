package io.kubitect.core.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubitect.core.spi.SshKeyPair;
import io.kubitect.core.testing.Environment;
import io.kubitect.core.testing.Local;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading known_hosts entries the way OpenSSH writes them. */
class HostKeysTest {
  @TempDir Path dir;

  private static final SshKeyPair A = SshKeyPair.generateEd25519("a");
  private static final SshKeyPair B = SshKeyPair.generateEd25519("b");

  private static byte[] blob(SshKeyPair pair) {
    return Base64.getDecoder().decode(pair.publicKey().split(" ", 3)[1]);
  }

  @Test
  void matchesPlainPortedAndListedNames() {
    HostKeys keys =
        HostKeys.of(
            List.of(
                "# comment",
                "",
                "10.0.0.1 " + A.publicKeyWithoutComment(),
                "[10.0.0.2]:2222 " + B.publicKeyWithoutComment(),
                "node-3,10.0.0.3 " + A.publicKey()),
            "test");
    assertThat(keys.lookup("10.0.0.1", 22).accepted())
        .singleElement()
        .matches(k -> k.matches(blob(A)));
    assertThat(keys.lookup("10.0.0.1", 2222).accepted()).isEmpty();
    assertThat(keys.lookup("10.0.0.2", 2222).accepted())
        .singleElement()
        .matches(k -> k.matches(blob(B)));
    assertThat(keys.lookup("10.0.0.2", 22).accepted()).isEmpty();
    assertThat(keys.lookup("10.0.0.3", 22).accepted()).hasSize(1);
    assertThat(keys.lookup("node-3", 22).accepted()).hasSize(1);
    assertThat(keys.lookup("10.0.0.4", 22).accepted()).isEmpty();
  }

  @Test
  void revokedKeysAreListedSeparately() {
    HostKeys keys =
        HostKeys.of(
            List.of(
                "@revoked 10.0.0.1 " + B.publicKeyWithoutComment(),
                "@cert-authority 10.0.0.1 " + B.publicKeyWithoutComment(),
                "10.0.0.1 " + A.publicKeyWithoutComment()),
            "test");
    HostKeys.Entry entry = keys.lookup("10.0.0.1", 22);
    assertThat(entry.accepted()).singleElement().matches(k -> k.matches(blob(A)));
    assertThat(entry.revoked()).singleElement().matches(k -> k.matches(blob(B)));
  }

  @Test
  void matchesNamesHashedByOpenSsh() throws IOException {
    Environment.requireCommands("ssh-keygen");
    Path file = dir.resolve("known_hosts");
    Files.writeString(file, "[10.0.0.9]:2200 " + A.publicKeyWithoutComment() + "\n");
    Local.run("ssh-keygen", "-q", "-H", "-f", file.toString());
    assertThat(Files.readString(file)).startsWith("|1|");
    HostKeys keys = HostKeys.read(file);
    assertThat(keys.lookup("10.0.0.9", 2200).accepted()).hasSize(1);
    assertThat(keys.lookup("10.0.0.9", 22).accepted()).isEmpty();
  }

  @Test
  void fingerprintsLikeSshKeygen() throws IOException {
    Environment.requireCommands("ssh-keygen");
    Path pub = dir.resolve("a.pub");
    Files.writeString(pub, A.publicKey() + "\n");
    String keygen = Local.run("ssh-keygen", "-l", "-E", "sha256", "-f", pub.toString());
    assertThat(keygen).contains(HostKeys.fingerprint(blob(A)));
  }

  @Test
  void aMissingFileHasNoEntries() {
    assertThat(HostKeys.read(dir.resolve("none")).lookup("10.0.0.1", 22).accepted()).isEmpty();
  }
}
