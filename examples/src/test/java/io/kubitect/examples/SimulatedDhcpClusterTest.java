package io.kubitect.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubitect.core.AppliedCluster;
import io.kubitect.core.ApplyAction;
import io.kubitect.core.Kubitect;
import io.kubitect.core.NodeStatus;
import io.kubitect.model.ClusterSpec;
import io.kubitect.model.Ipv4Network;
import io.kubitect.model.KubitectYaml;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nodes without a static address, through the whole facade with the default composition on
 * simulated hosts: they get a simulated DHCP lease, which the inventory, the load balancers, the
 * API endpoint and known_hosts use; and the simulated hosts' definitions are written as artifacts.
 */
class SimulatedDhcpClusterTest {
  private static final Ipv4Network EXAMPLE_CIDR =
      Ipv4Network.parse("192.168.113.0/24").orElseThrow();

  @Test
  void theMultiWorkerExampleGetsALeaseForItsWorkerWithoutAnAddress(@TempDir Path state) {
    try (Kubitect kubitect = Kubitect.builder().simulatedHosts().stateDirectory(state).build()) {
      ClusterSpec spec = KubitectYaml.read(Path.of("multi-worker.yaml"));
      AppliedCluster cluster = kubitect.apply(kubitect.plan(spec, ApplyAction.CREATE));

      Map<String, String> ips = ips(cluster);
      assertThat(ips)
          .containsEntry("multi-worker-master-1", "192.168.113.10")
          .containsEntry("multi-worker-worker-1", "192.168.113.21")
          .containsEntry("multi-worker-worker-7", "192.168.113.27");
      String lease = ip(ips, "multi-worker-worker-99");
      // dnsmasq's choice for its MAC 52:54:00:01:0a:c0 in 192.168.113.2-254: on every run and
      // machine
      assertThat(lease)
          .isEqualTo("192.168.113.222")
          .isNotIn("192.168.113.0", "192.168.113.1", "192.168.113.10", "192.168.113.21")
          .isNotIn("192.168.113.27", "192.168.113.255");
      assertThat(EXAMPLE_CIDR.contains(Ipv4Network.parseAddress(lease).orElseThrow())).isTrue();

      Path dir = state.resolve("multi-worker");
      assertThat(dir.resolve("ansible/inventory/hosts.yaml"))
          .content()
          .contains("multi-worker-worker-99")
          .contains(lease);
      assertThat(dir.resolve("config/infrastructure.tsv")).content().contains("\t" + lease + "\t");
      assertThat(dir.resolve("config/known_hosts")).content().hasLineCount(4).contains(lease + " ");

      Path host = dir.resolve("artifacts/hosts/localhost");
      String mac =
          cluster.nodes().stream()
              .filter(n -> n.name().equals("multi-worker-worker-99"))
              .findFirst()
              .flatMap(NodeStatus::mac)
              .orElseThrow();
      assertThat(host.resolve("network.xml"))
          .content()
          .contains("192.168.113.10")
          .doesNotContain(mac); // no reservation: it asks DHCP
      assertThat(host.resolve("domains/multi-worker-worker-99.xml")).content().contains(mac);
      assertThat(host.resolve("cloud-init/multi-worker-worker-99/network-config"))
          .content()
          .contains("dhcp4: true");
      assertThat(host.resolve("cloud-init/multi-worker-worker-1/network-config"))
          .content()
          .contains("192.168.113.21/24");

      AppliedCluster again = kubitect.apply(spec, ApplyAction.CREATE);
      assertThat(again.mutatingCalls()).isZero();
      assertThat(ips(again)).isEqualTo(ips);
    }
  }

  @Test
  void aClusterWithoutAnyStaticAddressIsUsableEndToEnd(@TempDir Path state, @TempDir Path other) {
    Map<String, String> ips;
    try (Kubitect kubitect = Kubitect.builder().simulatedHosts().stateDirectory(state).build()) {
      AppliedCluster cluster = kubitect.apply(spec(2), ApplyAction.CREATE);
      ips = ips(cluster);
      assertThat(ips).hasSize(5);
      assertThat(ips.values()).doesNotHaveDuplicates().doesNotContain("10.47.0.1", "10.47.0.200");
      assertThat(cluster.apiEndpoint()).contains("10.47.0.200");

      Path dir = state.resolve("dhcp-only");
      assertThat(dir.resolve("artifacts/load-balancers/dhcp-only-lb-1/haproxy.cfg"))
          .content()
          .contains(ip(ips, "dhcp-only-master-1") + ":6443");
      assertThat(dir.resolve("artifacts/load-balancers/dhcp-only-lb-1/keepalived.conf"))
          .content()
          .contains(ip(ips, "dhcp-only-lb-2"));
      assertThat(dir.resolve("ansible/inventory/hosts.yaml"))
          .content()
          .contains(ip(ips, "dhcp-only-worker-1"), ip(ips, "dhcp-only-lb-2"));

      // scale out on the same hosts: every existing node keeps its address
      AppliedCluster grown = kubitect.apply(spec(3), ApplyAction.SCALE);
      assertThat(ips(grown)).hasSize(6).containsAllEntriesOf(ips);
      assertThat(ips(grown).values()).doesNotHaveDuplicates();
      assertThat(dir.resolve("artifacts/hosts/local/domains/dhcp-only-worker-3.xml")).exists();
    }
    // the same specification on other simulated hosts: the same addresses
    try (Kubitect elsewhere = Kubitect.builder().simulatedHosts().stateDirectory(other).build()) {
      assertThat(ips(elsewhere.apply(spec(2), ApplyAction.CREATE))).isEqualTo(ips);
    }
  }

  /** Two load balancers with a VIP, one master, {@code workers} workers; no static address. */
  private static ClusterSpec spec(int workers) {
    StringBuilder yaml =
        new StringBuilder(
            """
            hosts:
              - name: local
                connection: {type: local}
            cluster:
              name: dhcp-only
              network: {mode: nat, cidr: 10.47.0.0/24}
              nodeTemplate:
                os: {distro: debian12}
              nodes:
                loadBalancer:
                  vip: 10.47.0.200
                  instances:
                    - {id: 1}
                    - {id: 2}
                master:
                  instances:
                    - {id: 1}
                worker:
                  instances:
            """);
    for (int i = 1; i <= workers; i++) {
      yaml.append("        - {id: ").append(i).append("}\n");
    }
    yaml.append("kubernetes:\n  version: v1.31.12\n");
    return KubitectYaml.read(yaml.toString(), "dhcp-only.yaml");
  }

  private static String ip(Map<String, String> ips, String node) {
    String ip = ips.get(node);
    if (ip == null) {
      throw new AssertionError(node + " has no address");
    }
    return ip;
  }

  private static Map<String, String> ips(AppliedCluster cluster) {
    Map<String, String> ips = new LinkedHashMap<>();
    for (NodeStatus node : cluster.nodes()) {
      ips.put(
          node.name(), node.ip().orElseThrow(() -> new AssertionError(node.name() + ": no IP")));
    }
    return ips;
  }
}
