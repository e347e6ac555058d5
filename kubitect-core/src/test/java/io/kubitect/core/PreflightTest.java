package io.kubitect.core;

import static io.kubitect.core.Specs.hostSsh;
import static io.kubitect.core.Specs.os;
import static io.kubitect.core.Specs.template;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubitect.core.spi.SshKeyPair;
import io.kubitect.model.ClusterSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreflightTest {
  @TempDir Path home;

  @BeforeEach
  void createKeys() throws IOException {
    Files.createDirectories(home.resolve(".ssh"));
    Files.writeString(home.resolve(".ssh/id_rsa"), "private");
  }

  private ValidationReport check(ClusterSpec spec) {
    return Preflight.check(spec, home);
  }

  @Test
  void acceptsExistingKeyfilesWithTildeAsHome() {
    assertThat(check(Specs.valid()).violations()).isEmpty();
  }

  @Test
  void reportsAMissingRemoteKeyfile() {
    ClusterSpec spec = hostSsh(Specs.valid(), 2, ssh -> ssh.withKeyfile("~/.ssh/missing"));

    assertThat(check(spec).violations())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.severity()).isEqualTo(Severity.ERROR);
              assertThat(v.path()).isEqualTo("hosts[2].connection.ssh.keyfile");
              assertThat(v.message())
                  .contains("'~/.ssh/missing'")
                  .contains(home.resolve(".ssh/missing").toString())
                  .contains("does not exist");
            });
  }

  @Test
  void reportsAKeyfileThatIsADirectory() {
    ClusterSpec spec = hostSsh(Specs.valid(), 1, ssh -> ssh.withKeyfile(home.toString()));

    assertThat(check(spec).violations())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.path()).isEqualTo("hosts[1].connection.ssh.keyfile");
              assertThat(v.message()).contains("is not a regular file");
            });
  }

  @Test
  void leavesAMissingKeyfileSettingToTheValidator() {
    ClusterSpec spec =
        hostSsh(Specs.valid(), 1, ssh -> ssh.withKeyfile(java.util.Optional.empty()));

    assertThat(check(spec).violations()).isEmpty();
  }

  @Test
  void ignoresKeyfilesOfLocalHosts() {
    ClusterSpec spec =
        Specs.connection(Specs.valid(), 0, c -> c.withSsh(c.ssh().withKeyfile("/nonexistent/key")));

    assertThat(check(spec).violations()).isEmpty();
  }

  @Test
  void reportsAMissingNodePrivateKey() {
    ClusterSpec spec =
        template(Specs.valid(), t -> t.withSsh(t.ssh().withPrivateKeyPath("~/.ssh/nodes")));

    assertThat(check(spec).violations())
        .extracting(Violation::severity, Violation::path)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                Severity.ERROR, "cluster.nodeTemplate.ssh.privateKeyPath"));
  }

  @Test
  void reportsANodePrivateKeyWithoutItsPublicKey() throws IOException {
    Files.writeString(home.resolve(".ssh/nodes"), SshKeyPair.generateEd25519("n").privateKey());
    ClusterSpec spec =
        template(Specs.valid(), t -> t.withSsh(t.ssh().withPrivateKeyPath("~/.ssh/nodes")));

    assertThat(check(spec).violations())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.path()).isEqualTo("cluster.nodeTemplate.ssh.privateKeyPath");
              assertThat(v.message()).contains("its public key '~/.ssh/nodes.pub'");
            });
  }

  @Test
  void acceptsANodePrivateKeyWithItsPublicKey() throws IOException {
    SshKeyPair pair = SshKeyPair.generateEd25519("n");
    Files.writeString(home.resolve(".ssh/nodes"), pair.privateKey());
    Files.writeString(home.resolve(".ssh/nodes.pub"), pair.publicKey() + "\n");
    ClusterSpec spec =
        template(Specs.valid(), t -> t.withSsh(t.ssh().withPrivateKeyPath("~/.ssh/nodes")));

    assertThat(check(spec).violations()).isEmpty();
  }

  @Test
  void reportsANodePrivateKeyThatIsNotAKey() throws IOException {
    Files.writeString(home.resolve(".ssh/nodes"), "root:$6$x:19000:0:99999:7:::\n");
    Files.writeString(home.resolve(".ssh/nodes.pub"), "public");
    ClusterSpec spec =
        template(Specs.valid(), t -> t.withSsh(t.ssh().withPrivateKeyPath("~/.ssh/nodes")));

    assertThat(check(spec).violations())
        .singleElement()
        .satisfies(v -> assertThat(v.message()).contains("is not an SSH private key"));
  }

  @Test
  void reportsAMissingLocalImage() {
    ClusterSpec spec = os(Specs.valid(), o -> o.withSource("~/images/ubuntu.img"));

    assertThat(check(spec).violations())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.path()).isEqualTo("cluster.nodeTemplate.os.source");
              assertThat(v.message()).contains("the image '~/images/ubuntu.img'");
            });
  }

  @Test
  void acceptsAnExistingLocalImage() throws IOException {
    Path image = Files.writeString(home.resolve("ubuntu.img"), "image");
    ClusterSpec spec = os(Specs.valid(), o -> o.withSource(image.toString()));

    assertThat(check(spec).violations()).isEmpty();
  }

  @Test
  void doesNotCheckHttpImages() {
    ClusterSpec spec =
        os(Specs.valid(), o -> o.withSource("HTTPS://cloud-images.example/missing.img"));

    assertThat(check(spec).violations()).isEmpty();
  }

  @Test
  void reportsPathsThisFileSystemCannotHold() {
    ClusterSpec spec = os(Specs.valid(), o -> o.withSource("/tmp/a\u0000b"));

    assertThat(check(spec).violations())
        .singleElement()
        .satisfies(v -> assertThat(v.message()).contains("not a valid file path"));
  }

  @Test
  void usesTheUserHomeByDefault() {
    ClusterSpec spec =
        hostSsh(Specs.valid(), 1, ssh -> ssh.withKeyfile("~/.ssh/kubitect-no-such-key"));

    assertThat(Preflight.check(spec).violations())
        .anySatisfy(
            v ->
                assertThat(v.message())
                    .contains(Path.of(System.getProperty("user.home"), ".ssh").toString()));
  }
}
