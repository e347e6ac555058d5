package io.kubitect.libvirt.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubitect.core.SpecValidator;
import io.kubitect.core.spi.Topology;
import io.kubitect.model.ClusterSpec;
import io.kubitect.model.Ipv4Network;
import io.kubitect.model.KubitectYaml;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * The simulated DHCP servers: dnsmasq's choice of address, inside the range the network XML gives,
 * around the gateway and reservations, unique, deterministic, and stable while nodes come and go.
 */
class SimulatedDhcpTest {
  private static int ip(String text) {
    return Ipv4Network.parseAddress(text).orElseThrow();
  }

  private static List<NetworkXml.Dhcp.Range> range(String start, String end) {
    return List.of(new NetworkXml.Dhcp.Range(ip(start), ip(end)));
  }

  @Test
  void choosesTheFirstCandidateFromTheSdbmHashOfTheMacAsDnsmasqDoes() {
    // SDBM over 52 54 00 12 34 56 = 1826059958; 1826059958 % 253 = 74 -> 10.0.0.2 + 74
    assertThat(
            SimulatedDhcp.choose("52:54:00:12:34:56", range("10.0.0.2", "10.0.0.254"), a -> true))
        .isEqualTo(OptionalInt.of(ip("10.0.0.76")));
    // 1673941635 % 253 = 25 -> 10.0.0.27
    assertThat(
            SimulatedDhcp.choose("52:54:00:00:00:01", range("10.0.0.2", "10.0.0.254"), a -> true))
        .isEqualTo(OptionalInt.of(ip("10.0.0.27")));
  }

  @Test
  void takesTheNextFreeAddressAndWrapsWithinTheRange() {
    assertThat(
            SimulatedDhcp.choose(
                "52:54:00:12:34:56",
                range("10.0.0.2", "10.0.0.254"),
                a -> a != ip("10.0.0.76") && a != ip("10.0.0.77")))
        .isEqualTo(OptionalInt.of(ip("10.0.0.78")));
    // only 10.0.0.2 is free: the probe wraps from the candidate past the end to the start
    assertThat(
            SimulatedDhcp.choose(
                "52:54:00:12:34:56", range("10.0.0.2", "10.0.0.254"), a -> a == ip("10.0.0.2")))
        .isEqualTo(OptionalInt.of(ip("10.0.0.2")));
    assertThat(
            SimulatedDhcp.choose("52:54:00:12:34:56", range("10.0.0.2", "10.0.0.254"), a -> false))
        .isEmpty();
  }

  @Test
  void neverHandsOutDotZeroOrDot255InClassCAddressesLikeDnsmasq() {
    assertThat(
            SimulatedDhcp.choose(
                "52:54:00:12:34:56", range("192.168.1.255", "192.168.2.0"), a -> true))
        .isEmpty();
    assertThat(
            SimulatedDhcp.choose("52:54:00:12:34:56", range("10.1.1.255", "10.1.1.255"), a -> true))
        .isEqualTo(OptionalInt.of(ip("10.1.1.255")));
  }

  @Test
  void readsTheDhcpPartOfTheNetworkXmlAndTheNicsOfADomain() {
    NetworkXml.Dhcp dhcp = NetworkXml.dhcp(Fixtures.resource("golden/nat-network.xml"));
    assertThat(dhcp.server()).isEqualTo(ip("10.20.0.1"));
    assertThat(dhcp.ranges())
        .containsExactly(new NetworkXml.Dhcp.Range(ip("10.20.0.2"), ip("10.20.0.254")));
    assertThat(dhcp.reservations())
        .containsExactly(Map.entry("52:54:00:6c:cb:48", ip("10.20.0.10")));

    assertThat(DomainXml.nics(Fixtures.resource("golden/worker-domain.xml")))
        .singleElement()
        .satisfies(
            nic -> {
              assertThat(nic.type()).isEqualTo("network");
              assertThat(nic.source()).isEqualTo("demo-network");
              assertThat(nic.mac()).startsWith("52:54:00:");
            });
    assertThat(DomainXml.nics(Fixtures.resource("golden/bridged-domain.xml")))
        .singleElement()
        .satisfies(nic -> assertThat(nic.type()).isEqualTo("bridge"));
  }

  @Test
  void everyDhcpNodeGetsADistinctAddressInTheRenderedRangeAroundGatewayAndReservations() {
    Topology topology = topology(natYaml("10.30.0.0/24", 12, Map.of("worker-3", "10.30.0.100")));
    List<HostPlan> plans = Layout.of(topology, Fixtures.HOME);
    SimulatedDhcp dhcp = new SimulatedDhcp();
    dhcp.prepare(topology, plans);

    Map<String, String> leases = leases(dhcp, plans);
    NetworkXml.Dhcp rendered =
        NetworkXml.dhcp(NetworkXml.render(plans.get(0).network().orElseThrow(), Optional.empty()));
    assertThat(leases).hasSize(12 + 1 - 1); // 12 workers and the master, worker-3 is static
    assertThat(leases.values()).doesNotHaveDuplicates();
    assertThat(leases.values())
        .allSatisfy(
            address -> {
              int a = ip(address);
              assertThat(Integer.compareUnsigned(a, rendered.ranges().get(0).start()))
                  .isNotNegative();
              assertThat(Integer.compareUnsigned(a, rendered.ranges().get(0).end()))
                  .isNotPositive();
            })
        .doesNotContain("10.30.0.1", "10.30.0.100");
    assertThat(leases).doesNotContainKey("test-dhcp-worker-3");

    SimulatedDhcp elsewhere = new SimulatedDhcp();
    elsewhere.prepare(topology, Layout.of(topology, Fixtures.HOME));
    assertThat(leases(elsewhere, plans)).as("same spec, same addresses").isEqualTo(leases);
  }

  @Test
  void anExistingNodeKeepsItsAddressWhenOthersComeAndGoEvenInACrowdedRange() {
    // a /28: 13 addresses to hand out, so the MACs' first candidates collide
    SimulatedDhcp dhcp = new SimulatedDhcp();
    Topology five = topology(natYaml("10.31.0.0/28", 5, Map.of()));
    dhcp.prepare(five, Layout.of(five, Fixtures.HOME));
    Map<String, String> before = leases(dhcp, Layout.of(five, Fixtures.HOME));
    assertThat(before).hasSize(6);

    Topology eight = topology(natYaml("10.31.0.0/28", 8, Map.of()));
    dhcp.prepare(eight, Layout.of(eight, Fixtures.HOME));
    Map<String, String> grown = leases(dhcp, Layout.of(eight, Fixtures.HOME));
    assertThat(grown).hasSize(9).containsAllEntriesOf(before);
    assertThat(grown.values()).doesNotHaveDuplicates();

    // workers 1 and 2 leave; the others keep their addresses
    Topology shrunk = topology(natYaml("10.31.0.0/28", 8, Map.of(), 1, 2));
    dhcp.prepare(shrunk, Layout.of(shrunk, Fixtures.HOME));
    Map<String, String> after = leases(dhcp, Layout.of(shrunk, Fixtures.HOME));
    Map<String, String> expected = new LinkedHashMap<>(grown);
    expected.remove("test-dhcp-worker-1");
    expected.remove("test-dhcp-worker-2");
    assertThat(after).isEqualTo(expected);
  }

  @Test
  void aFullRangeLeavesTheLastNodesWithoutALease() {
    // a /29: .1 is the gateway, .2-.6 the range; the master's static .2 leaves four
    Topology topology = topology(natYaml("10.32.0.0/29", 5, Map.of("master-1", "10.32.0.2")));
    List<HostPlan> plans = Layout.of(topology, Fixtures.HOME);
    SimulatedDhcp dhcp = new SimulatedDhcp();
    dhcp.prepare(topology, plans);
    Map<String, String> leases = leases(dhcp, plans);
    assertThat(leases).hasSize(4).doesNotContainKey("test-dhcp-worker-5");
    assertThat(leases.values())
        .containsExactlyInAnyOrder("10.32.0.3", "10.32.0.4", "10.32.0.5", "10.32.0.6");
  }

  @Test
  void aNewStaticAddressTakesPrecedenceOverALease() {
    Topology dynamic = topology(natYaml("10.33.0.0/24", 2, Map.of()));
    SimulatedDhcp dhcp = new SimulatedDhcp();
    dhcp.prepare(dynamic, Layout.of(dynamic, Fixtures.HOME));
    String taken = leases(dhcp, Layout.of(dynamic, Fixtures.HOME)).get("test-dhcp-worker-1");

    // worker 3 is added with the address worker 1 holds: worker 1 gets another one
    Topology withStatic =
        topology(natYaml("10.33.0.0/24", 3, Map.of("worker-3", Objects.requireNonNull(taken))));
    dhcp.prepare(withStatic, Layout.of(withStatic, Fixtures.HOME));
    Map<String, String> leases = leases(dhcp, Layout.of(withStatic, Fixtures.HOME));
    assertThat(leases.get("test-dhcp-worker-1")).isNotNull().isNotEqualTo(taken);
    assertThat(leases.values()).doesNotContain(taken);
  }

  @Test
  void bridgedNodesOnSeveralHostsShareOneLanAndNeverTheVipGatewayOrAStaticAddress() {
    String yaml =
        """
        hosts:
          - {name: h1, connection: {type: local}}
          - {name: h2, connection: {type: remote, user: k, ip: 10.0.0.2, ssh: {keyfile: "~/.ssh/k"}}}
        cluster:
          name: test-lan
          network: {mode: bridge, cidr: 10.34.0.0/27, gateway: 10.34.0.30, bridge: br0}
          nodes:
            loadBalancer:
              vip: 10.34.0.20
              instances:
                - {id: 1, host: h1}
                - {id: 2, host: h2}
            master:
              instances:
                - {id: 1, host: h1, ip: 10.34.0.10}
            worker:
              instances:
        """
            + workers(20, "h1", "h2")
            + "kubernetes:\n  version: v1.33.4\n";
    Topology topology = topology(yaml);
    List<HostPlan> plans = Layout.of(topology, Fixtures.HOME);
    SimulatedDhcp dhcp = new SimulatedDhcp();
    dhcp.prepare(topology, plans);

    Map<String, String> leases = leases(dhcp, plans);
    assertThat(leases).hasSize(22);
    assertThat(leases.values())
        .doesNotHaveDuplicates()
        .doesNotContain("10.34.0.0", "10.34.0.31", "10.34.0.30", "10.34.0.20", "10.34.0.10")
        .allSatisfy(
            a ->
                assertThat(Ipv4Network.parse("10.34.0.0/27").orElseThrow().contains(ip(a)))
                    .isTrue());
    VmPlan master =
        plans.get(0).vms().stream().filter(v -> v.staticIp().isPresent()).findFirst().orElseThrow();
    assertThat(dhcp.address(SimulatedDhcp.bridgeSegment("br0"), master.mac()))
        .as("the guest agent of a static node reports its address")
        .contains("10.34.0.10");
  }

  @Test
  void natNetworksOnSeveralHostsStillNeverRepeatAnAddressOfTheCluster() {
    String yaml =
        """
        hosts:
          - {name: h1, connection: {type: local}}
          - {name: h2, connection: {type: remote, user: k, ip: 10.0.0.2, ssh: {keyfile: "~/.ssh/k"}}}
        cluster:
          name: test-multi
          network: {mode: nat, cidr: 10.35.0.0/28}
          nodes:
            master:
              instances:
                - {id: 1, host: h2, ip: 10.35.0.9}
            worker:
              instances:
        """
            + workers(10, "h1", "h2")
            + "kubernetes:\n  version: v1.33.4\n";
    Topology topology = topology(yaml);
    List<HostPlan> plans = Layout.of(topology, Fixtures.HOME);
    SimulatedDhcp dhcp = new SimulatedDhcp();
    dhcp.prepare(topology, plans);
    Map<String, String> leases = leases(dhcp, plans);
    assertThat(leases).hasSize(10);
    assertThat(leases.values()).doesNotHaveDuplicates().doesNotContain("10.35.0.9", "10.35.0.1");
  }

  @Test
  void forgettingAClusterFreesItsLeasesSoARecreationGetsTheFirstAddressesAgain() {
    Topology topology = topology(natYaml("10.36.0.0/28", 6, Map.of()));
    SimulatedDhcp dhcp = new SimulatedDhcp();
    dhcp.prepare(topology, Layout.of(topology, Fixtures.HOME));
    Map<String, String> first = leases(dhcp, Layout.of(topology, Fixtures.HOME));
    dhcp.forget("test-dhcp");
    assertThat(leases(dhcp, Layout.of(topology, Fixtures.HOME))).isEmpty();
    dhcp.prepare(topology, Layout.of(topology, Fixtures.HOME));
    assertThat(leases(dhcp, Layout.of(topology, Fixtures.HOME))).isEqualTo(first);
  }

  // ------------------------------------------------------------------ helpers

  /** Every node's address (by node name) from the segment it asks in. */
  private static Map<String, String> leases(SimulatedDhcp dhcp, List<HostPlan> plans) {
    Map<String, String> leases = new LinkedHashMap<>();
    for (HostPlan plan : plans) {
      for (VmPlan vm : plan.vms()) {
        if (vm.staticIp().isPresent()) {
          continue;
        }
        String segment =
            vm.bridged()
                ? SimulatedDhcp.bridgeSegment(vm.networkSource())
                : SimulatedDhcp.networkSegment(plan.name(), vm.networkSource());
        dhcp.address(segment, vm.mac()).ifPresent(a -> leases.put(vm.name(), a));
      }
    }
    return leases;
  }

  /** Workers 1..n alternating over {@code hosts}, without addresses. */
  private static String workers(int n, String... hosts) {
    StringBuilder yaml = new StringBuilder();
    for (int i = 1; i <= n; i++) {
      yaml.append("        - {id: ")
          .append(i)
          .append(", host: ")
          .append(hosts[i % hosts.length])
          .append("}\n");
    }
    return yaml.toString();
  }

  /**
   * Cluster {@code test-dhcp} on one host in nat mode: master 1 and workers 1..n, without static
   * addresses except those in {@code statics} (by {@code role-id}); {@code absent} workers left
   * out.
   */
  private static String natYaml(
      String cidr, int workers, Map<String, String> statics, int... absent) {
    StringBuilder yaml =
        new StringBuilder(
            """
            hosts:
              - {name: h1, connection: {type: local}}
            cluster:
              name: test-dhcp
              network: {mode: nat, cidr: %s}
              nodes:
                master:
                  instances:
                    - {id: 1%s}
                worker:
                  instances:
            """
                .formatted(cidr, staticOf(statics, "master-1")));
    outer:
    for (int i = 1; i <= workers; i++) {
      for (int a : absent) {
        if (a == i) {
          continue outer;
        }
      }
      yaml.append("        - {id: ")
          .append(i)
          .append(staticOf(statics, "worker-" + i))
          .append("}\n");
    }
    yaml.append("kubernetes:\n  version: v1.33.4\n");
    return yaml.toString();
  }

  private static String staticOf(Map<String, String> statics, String node) {
    return statics.containsKey(node) ? ", ip: " + statics.get(node) : "";
  }

  private static Topology topology(String yaml) {
    ClusterSpec spec = KubitectYaml.read(yaml, "dhcp.yaml");
    assertThat(SpecValidator.validate(spec).errors()).isEmpty();
    return Topology.of(spec);
  }
}
