package io.kubitect.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubitect.core.ApplyAction;
import io.kubitect.core.Cluster;
import io.kubitect.core.Kubitect;
import io.kubitect.core.NodeStatus;
import io.kubitect.libvirt.LibvirtProvisioner;
import io.kubitect.model.KubitectYaml;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SDK as a unit-test fixture: the seed's HA cluster on simulated hosts, as in the README. */
class SimulatedClusterTest {
  @Test
  void myPlatformToolCreatesTheCluster(@TempDir Path state) {
    try (LibvirtProvisioner hosts = LibvirtProvisioner.builder().simulated().build()) {
      Kubitect kubitect = Kubitect.builder().provisioner(hosts).stateDirectory(state).build();
      Cluster cluster = kubitect.apply(KubitectYaml.read(Path.of("ha.yaml")), ApplyAction.CREATE);

      assertThat(cluster.nodes()).hasSize(8);
      assertThat(cluster.simulated()).isTrue();
      assertThat(cluster.apiEndpoint()).contains("10.10.13.200");
      assertThat(cluster.nodes()).extracting(NodeStatus::host).contains("host1", "host5");
      assertThat(kubitect.apply(KubitectYaml.read(Path.of("ha.yaml")), ApplyAction.CREATE))
          .isEqualTo(cluster);
    }
  }
}
