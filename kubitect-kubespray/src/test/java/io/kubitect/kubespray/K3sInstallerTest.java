package io.kubitect.kubespray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubitect.core.spi.ClusterCredentials;
import io.kubitect.core.spi.InfrastructureStatus;
import io.kubitect.core.spi.InstallationException;
import io.kubitect.core.spi.KubernetesInstaller;
import io.kubitect.core.spi.StepListener;
import io.kubitect.core.spi.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class K3sInstallerTest {
  @TempDir Path temp;

  @ParameterizedTest
  @ValueSource(
      strings = {"", "  ", "https://example.com/k3s\n--upload-pack=x", "--upload-pack=touch"})
  void refusesARepositoryThatIsNoUrlOrDirectory(String repository) {
    assertThatThrownBy(() -> K3sInstaller.builder().repository(repository))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("the k3s-ansible repository");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-b", "v0.0.1; rm -rf /", "../../etc", "v\n1"})
  void refusesARefThatIsNoTagOrBranch(String ref) {
    assertThatThrownBy(() -> K3sInstaller.builder().ref(ref))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("the k3s-ansible ref");
  }

  @Test
  void refusesARemoteKubectlThatIsNoCommandPathAndNegativeTimeouts() {
    assertThatThrownBy(() -> K3sInstaller.builder().remoteKubectl("kubectl; id"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> K3sInstaller.builder().playbookTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> K3sInstaller.builder().setupTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void scaleDownWithoutARemainingMasterSaysSo() throws IOException {
    Topology topology = Topology.of(ManagerDispatchTest.spec("lonely", "k3s"));
    InfrastructureStatus infra = new InfrastructureStatus(List.of(), false, 0);
    Path key = Files.writeString(temp.resolve("id"), "not used\n");
    ClusterCredentials credentials =
        new ClusterCredentials(key, "ssh-ed25519 AAAA", Map.of(), temp.resolve("known_hosts"));
    KubernetesInstaller installer = K3sInstaller.builder().cacheDirectory(temp).build();

    assertThatThrownBy(
            () ->
                installer.install(
                    new KubernetesInstaller.Request(
                        KubernetesInstaller.Action.REMOVE_NODES,
                        topology,
                        infra,
                        credentials,
                        List.of("lonely-master-1"),
                        temp),
                    new StepListener() {}))
        .isInstanceOf(InstallationException.class)
        .hasMessage("no master answers to remove lonely-master-1 (no master remains)");
    assertThat(temp.resolve("ansible/k3s-token")).doesNotExist();
  }
}
