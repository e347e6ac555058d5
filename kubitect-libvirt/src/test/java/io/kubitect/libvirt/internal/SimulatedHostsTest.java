package io.kubitect.libvirt.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubitect.core.NodeStatus;
import io.kubitect.core.ResourceChange;
import io.kubitect.core.SpecValidator;
import io.kubitect.core.Step;
import io.kubitect.core.StepOutcome;
import io.kubitect.core.spi.ClusterCredentials;
import io.kubitect.core.spi.InfrastructureStatus;
import io.kubitect.core.spi.StepListener;
import io.kubitect.core.spi.Topology;
import io.kubitect.model.ClusterSpec;
import io.kubitect.model.Ipv4Network;
import io.kubitect.model.KubitectYaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Simulated hosts as a fixture: nodes without a static address get one from a simulated DHCP lease
 * (read back through {@link Hypervisor#addresses} like on a real host), and what the hosts hold is
 * written out as artifacts.
 */
class SimulatedHostsTest {
  @TempDir Path tmp;

  private final List<String> events = Collections.synchronizedList(new ArrayList<>());
  private final StepListener recorder =
      new StepListener() {
        @Override
        public void started(Step step) {}

        @Override
        public void finished(Step step, StepOutcome outcome, String detail) {
          events.add(step + " -> " + outcome.describe(detail));
        }

        @Override
        public void failed(Step step, Throwable error) {
          events.add("FAILED " + step + " -> " + error.getMessage());
        }
      };

  private Settings settings() {
    return new Settings(
        Map.of(),
        true,
        Optional.empty(),
        tmp.resolve("known_hosts"),
        4,
        8,
        Optional.empty(),
        Duration.ofSeconds(5),
        Duration.ofMillis(100),
        Optional.empty(),
        tmp.resolve("cache"),
        Duration.ZERO,
        tmp);
  }

  @Test
  void dhcpNodesGetTheirLeaseAsTheirAddressStableOverReappliesAndScaling() {
    try (Engine engine = new Engine(settings())) {
      Topology three = topology(nat("10.41.0.0/24", 3));
      ClusterCredentials credentials =
          Fixtures.generatedCredentials(topology(nat("10.41.0.0/24", 5)), tmp);
      InfrastructureStatus first = engine.apply(three, credentials, recorder);

      Map<String, String> addresses = addresses(first);
      assertThat(addresses).hasSize(4).doesNotContainValue("10.41.0.1");
      assertThat(addresses.values()).doesNotHaveDuplicates();
      Ipv4Network cidr = Ipv4Network.parse("10.41.0.0/24").orElseThrow();
      assertThat(addresses.values())
          .allSatisfy(
              a -> assertThat(cidr.contains(Ipv4Network.parseAddress(a).orElseThrow())).isTrue());
      Hypervisor host = engine.hypervisor("h1").orElseThrow();
      for (Map.Entry<String, String> node : addresses.entrySet()) {
        assertThat(host.addresses(node.getKey(), false))
            .as("the lease libvirt would report for %s", node.getKey())
            .containsExactly(node.getValue());
      }
      assertThat(events)
          .anyMatch(
              e ->
                  e.contains("wait until ready")
                      && e.contains("address " + addresses.get("dhcp-worker-1"))
                      && e.contains("DHCP leases of dhcp-network"));

      InfrastructureStatus again = engine.apply(three, credentials, recorder);
      assertThat(again.mutatingCalls()).isZero();
      assertThat(addresses(again)).isEqualTo(addresses);

      InfrastructureStatus grown =
          engine.apply(topology(nat("10.41.0.0/24", 5)), credentials, recorder);
      assertThat(addresses(grown)).hasSize(6).containsAllEntriesOf(addresses);
      assertThat(addresses(grown).values()).doesNotHaveDuplicates();

      InfrastructureStatus shrunk =
          engine.apply(topology(nat("10.41.0.0/24", 2)), credentials, recorder);
      Map<String, String> kept = new LinkedHashMap<>(addresses(grown));
      kept.keySet().removeIf(n -> n.endsWith("-3") || n.endsWith("-4") || n.endsWith("-5"));
      assertThat(addresses(shrunk)).isEqualTo(kept);
    }
    // a new provisioner's hosts start without leases and hand out the same addresses
    try (Engine fresh = new Engine(settings())) {
      Topology three = topology(nat("10.41.0.0/24", 3));
      InfrastructureStatus status =
          fresh.apply(three, Fixtures.generatedCredentials(three, tmp), StepListener.NONE);
      try (Engine other = new Engine(settings())) {
        InfrastructureStatus same =
            other.apply(three, Fixtures.generatedCredentials(three, tmp), StepListener.NONE);
        assertThat(addresses(same)).isEqualTo(addresses(status));
      }
    }
  }

  @Test
  void bridgedDhcpNodesReportTheirAddressThroughTheGuestAgentOnly() {
    String yaml =
        """
        hosts:
          - {name: h1, connection: {type: local}}
          - {name: h2, connection: {type: remote, user: k, ip: 10.0.0.2, ssh: {keyfile: "~/.ssh/k"}}}
        cluster:
          name: lan
          network: {mode: bridge, cidr: 10.42.0.0/24, bridge: br0}
          nodeTemplate:
            os: {source: "https://example.invalid/never.qcow2", networkInterface: ens3}
          nodes:
            master:
              instances:
                - {id: 1, host: h1, ip: 10.42.0.10}
            worker:
              instances:
                - {id: 1, host: h1}
                - {id: 2, host: h2}
        kubernetes:
          version: v1.33.4
        """;
    Topology topology = topology(yaml);
    try (Engine engine = new Engine(settings())) {
      InfrastructureStatus status =
          engine.apply(topology, Fixtures.generatedCredentials(topology, tmp), recorder);
      Map<String, String> addresses = addresses(status);
      assertThat(addresses).containsEntry("lan-master-1", "10.42.0.10").hasSize(3);
      assertThat(addresses.values()).doesNotHaveDuplicates().doesNotContain("10.42.0.1");
      Hypervisor h2 = engine.hypervisor("h2").orElseThrow();
      assertThat(h2.addresses("lan-worker-2", true)).containsExactly(addresses.get("lan-worker-2"));
      assertThat(h2.addresses("lan-worker-2", false)).as("no libvirt lease on a bridge").isEmpty();
      assertThat(engine.hypervisor("h1").orElseThrow().addresses("lan-master-1", true))
          .containsExactly("10.42.0.10");
    }
  }

  @Test
  void aNodeWhoseRangeHasNoFreeAddressFailsAsItWouldNeverBecomeReady() {
    // .1 the gateway, .2-.6 the range, .5 the master's: four addresses for five workers
    Topology topology = topology(nat("10.43.0.0/29", 5, ", ip: 10.43.0.5"));
    try (Engine engine = new Engine(settings())) {
      try {
        engine.apply(topology, Fixtures.generatedCredentials(topology, tmp), recorder);
      } catch (io.kubitect.core.spi.ProvisioningException e) {
        assertThat(e.getMessage())
            .contains("dhcp-worker-5")
            .contains("no free address left")
            .doesNotContain("dhcp-worker-4:");
        assertThat(e.nodes())
            .filteredOn(n -> n.change() == ResourceChange.FAILED)
            .extracting(NodeStatus::name)
            .containsExactly("dhcp-worker-5");
        return;
      }
      throw new AssertionError("the apply should have failed");
    }
  }

  @Test
  void artifactsShowWhatTheHostsHoldAndFollowScaling() throws IOException {
    Path artifacts = tmp.resolve("artifacts").resolve("hosts");
    try (Engine engine = new Engine(settings())) {
      Topology three = topology(nat("10.44.0.0/24", 3));
      ClusterCredentials credentials = Fixtures.generatedCredentials(three, tmp);
      InfrastructureStatus status = engine.apply(three, credentials, StepListener.NONE);
      String summary = engine.writeArtifacts(three, artifacts).orElseThrow();
      assertThat(summary).contains("4 domain(s)", "4 cloud-init seed(s)", "1 network(s)");

      Path host = artifacts.resolve("h1");
      assertThat(tree(artifacts))
          .contains(
              "h1/network.xml",
              "h1/pools/dhcp-main-resource-pool.xml",
              "h1/domains/dhcp-master-1.xml",
              "h1/domains/dhcp-worker-3.xml",
              "h1/cloud-init/dhcp-worker-3/user-data",
              "h1/cloud-init/dhcp-worker-3/meta-data",
              "h1/cloud-init/dhcp-worker-3/network-config");
      Hypervisor hv = engine.hypervisor("h1").orElseThrow();
      assertThat(host.resolve("network.xml"))
          .content()
          .isEqualTo(hv.network("dhcp-network").orElseThrow().xml())
          .contains("<range start='10.44.0.2' end='10.44.0.254'");
      assertThat(host.resolve("domains/dhcp-worker-1.xml"))
          .content()
          .isEqualTo(hv.domain("dhcp-worker-1").orElseThrow().xml())
          .contains(status.node("dhcp-worker-1").orElseThrow().mac().orElseThrow());
      // what went into the seed: the same files CloudInit renders for that node
      VmPlan worker = Layout.of(three, tmp).get(0).vms().get(1);
      assertThat(host.resolve("cloud-init/dhcp-worker-1/network-config"))
          .content()
          .isEqualTo(CloudInit.networkConfig(worker))
          .contains("dhcp4: true");
      assertThat(host.resolve("cloud-init/dhcp-worker-1/user-data"))
          .content()
          .isEqualTo(
              CloudInit.userData(
                  worker,
                  credentials.publicKey(),
                  credentials.hostKey("dhcp-worker-1").orElseThrow()));
      assertThat(
              PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(
                      host.resolve("cloud-init/dhcp-worker-1/user-data"))))
          .isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(artifacts)))
          .isEqualTo("rwx------");

      Topology one = topology(nat("10.44.0.0/24", 1));
      engine.apply(one, credentials, StepListener.NONE);
      engine.writeArtifacts(one, artifacts);
      assertThat(tree(artifacts))
          .contains("h1/domains/dhcp-worker-1.xml", "h1/cloud-init/dhcp-worker-1/user-data")
          .noneMatch(f -> f.contains("worker-2") || f.contains("worker-3"));
    }
  }

  @Test
  void realHostsWriteNoArtifacts() {
    Settings real =
        new Settings(
            Map.of(),
            false,
            Optional.empty(),
            tmp.resolve("known_hosts"),
            4,
            8,
            Optional.empty(),
            Duration.ofSeconds(5),
            Duration.ofMillis(100),
            Optional.empty(),
            tmp.resolve("cache"),
            Duration.ZERO,
            tmp);
    try (Engine engine = new Engine(real)) {
      assertThat(engine.writeArtifacts(topology(nat("10.45.0.0/24", 1)), tmp.resolve("a")))
          .isEmpty();
      assertThat(tmp.resolve("a")).doesNotExist();
    }
  }

  // ------------------------------------------------------------------ helpers

  private static Map<String, String> addresses(InfrastructureStatus status) {
    Map<String, String> addresses = new LinkedHashMap<>();
    for (NodeStatus node : status.nodes()) {
      if (node.change() != ResourceChange.REMOVED) {
        assertThat(node.ip()).as("address of %s", node.name()).isPresent();
        addresses.put(node.name(), node.ip().orElseThrow());
      }
    }
    return addresses;
  }

  private static List<String> tree(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .filter(Files::isRegularFile)
          .map(f -> root.relativize(f).toString())
          .sorted()
          .toList();
    }
  }

  /** Cluster {@code dhcp} on one host in nat mode: master 1 and workers 1..n, none with an IP. */
  private static String nat(String cidr, int workers) {
    return nat(cidr, workers, "");
  }

  /** The same, with {@code master} added to the master's entry. */
  private static String nat(String cidr, int workers, String master) {
    StringBuilder yaml =
        new StringBuilder(
            """
            hosts:
              - {name: h1, connection: {type: local}}
            cluster:
              name: dhcp
              network: {mode: nat, cidr: %s}
              nodeTemplate:
                os: {source: "https://example.invalid/never.qcow2", networkInterface: ens3}
              nodes:
                master:
                  instances:
                    - {id: 1%s}
                worker:
                  instances:
            """
                .formatted(cidr, master));
    for (int i = 1; i <= workers; i++) {
      yaml.append("        - {id: ").append(i).append("}\n");
    }
    yaml.append("kubernetes:\n  version: v1.33.4\n");
    return yaml.toString();
  }

  private static Topology topology(String yaml) {
    ClusterSpec spec = KubitectYaml.read(yaml, "dhcp.yaml");
    assertThat(SpecValidator.validate(spec).errors()).isEmpty();
    return Topology.of(spec);
  }
}
