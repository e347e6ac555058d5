package io.kubitect.kubespray;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubitect.core.ApplyAction;
import io.kubitect.core.Kubitect;
import io.kubitect.core.NodeStatus;
import io.kubitect.core.ResourceChange;
import io.kubitect.core.spi.ClusterCredentials;
import io.kubitect.core.spi.InfrastructureProvisioner;
import io.kubitect.core.spi.InfrastructureStatus;
import io.kubitect.core.spi.Node;
import io.kubitect.core.spi.StepListener;
import io.kubitect.core.spi.Topology;
import io.kubitect.model.ClusterSpec;
import io.kubitect.model.KubitectYaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default composition (this module's {@link KubesprayExecutors}, found by ServiceLoader) on
 * simulated hosts: {@code manager: k3s} renders the k3s-ansible inventory into the cluster's
 * directory, {@code kubespray} (or no manager) Kubespray's.
 */
class ManagerDispatchTest {
  @TempDir Path home;

  /** Simulated hosts: every node "runs" at its configured address; nothing is reached. */
  static final class SimulatedProvisioner implements InfrastructureProvisioner {
    @Override
    public InfrastructureStatus apply(
        Topology topology, ClusterCredentials credentials, StepListener listener) {
      List<NodeStatus> nodes = new ArrayList<>();
      for (Node n : topology.nodes()) {
        nodes.add(
            new NodeStatus(
                n.name(),
                n.host(),
                n.ip(),
                Optional.empty(),
                ResourceChange.CREATED,
                true,
                Optional.empty()));
      }
      return new InfrastructureStatus(nodes, true, 0);
    }

    @Override
    public void destroy(Topology topology, StepListener listener) {}

    @Override
    public boolean simulated() {
      return true;
    }

    @Override
    public void close() {}
  }

  static ClusterSpec spec(String name, String manager) {
    return KubitectYaml.read(
        """
        hosts:
          - name: localhost
            connection:
              type: local
        cluster:
          name: %s
          network:
            mode: nat
            cidr: 192.168.113.0/24
          nodes:
            master:
              instances:
                - id: 1
                  ip: 192.168.113.10
            worker:
              instances:
                - id: 1
                  ip: 192.168.113.20
                  labels:
                    disk: ssd
        kubernetes:
          version: 1.33.4
          %s
        """
            .formatted(name, manager.isEmpty() ? "" : "manager: " + manager),
        "test");
  }

  Kubitect kubitect() {
    return Kubitect.builder()
        .home(home)
        .provisioner(new SimulatedProvisioner())
        .withoutLoadBalancers()
        .discoverExecutors()
        .build();
  }

  @Test
  void k3sRendersTheK3sAnsibleInventoryAndKeepsItsToken() throws IOException {
    Path cluster = home.resolve(".kubitect/clusters/small");
    String token;
    try (Kubitect kubitect = kubitect()) {
      kubitect.apply(spec("small", "k3s"), ApplyAction.CREATE);

      String hosts = Files.readString(cluster.resolve("ansible/inventory/hosts.yaml"));
      assertThat(hosts)
          .contains("k3s_cluster:", "server:", "agent:")
          .contains("server_config_yaml: !unsafe \"---\\ntls-san:\\n  - \\\"192.168.113.10\\\"")
          .contains("node-label:\\n  - \\\"disk=ssd\\\"")
          .doesNotContain("kube_control_plane");
      Path tokenFile = cluster.resolve("ansible/k3s-token");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)))
          .isEqualTo("rw-------");
      token = Files.readString(tokenFile);
      assertThat(
              Files.readString(
                  cluster.resolve("ansible/inventory/group_vars/k3s_cluster/token.yml")))
          .contains(token.trim());

      kubitect.apply(spec("small", "k3s"), ApplyAction.CREATE);
      assertThat(Files.readString(tokenFile)).isEqualTo(token);
    }
  }

  @Test
  void kubesprayStaysTheDefault() throws IOException {
    Path cluster = home.resolve(".kubitect/clusters/plain");
    try (Kubitect kubitect = kubitect()) {
      kubitect.apply(spec("plain", ""), ApplyAction.CREATE);
    }

    assertThat(Files.readString(cluster.resolve("ansible/inventory/hosts.yaml")))
        .contains("kube_control_plane:")
        .doesNotContain("server_config_yaml");
    assertThat(cluster.resolve("ansible/k3s-token")).doesNotExist();
  }
}
