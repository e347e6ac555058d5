package io.kubitect.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubitect.core.NodeRole;
import io.kubitect.model.ClusterSpec;
import io.kubitect.model.ConnectionType;
import io.kubitect.model.CpuMode;
import io.kubitect.model.Distro;
import io.kubitect.model.DnsMode;
import io.kubitect.model.ForwardTarget;
import io.kubitect.model.Ipv4Network;
import io.kubitect.model.KubesprayReleases;
import io.kubitect.model.KubitectYaml;
import io.kubitect.model.NetworkMode;
import io.kubitect.model.NetworkPlugin;
import io.kubitect.model.SpecDefaults;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What {@link Topology#of} resolves for executors, read off the repository's example specs. */
class TopologyTest {
  private static final Path ROOT = repositoryRoot();

  @Test
  void haExampleResolvesNetworkAccessImageAndHosts() {
    Topology t = Topology.of(example("examples/ha.yaml"));

    assertThat(t.clusterName()).isEqualTo("kubitect-ha");
    ClusterNetwork network = t.network();
    assertThat(network.mode()).isEqualTo(NetworkMode.BRIDGE);
    assertThat(network.bridged()).isTrue();
    assertThat(network.cidr()).isEqualTo(Ipv4Network.parse("10.10.0.0/20").orElseThrow());
    assertThat(network.gateway()).isEqualTo("10.10.0.1");
    assertThat(network.bridge()).contains("br0");
    assertThat(network.dns()).containsExactly("10.10.0.1");

    assertThat(t.nodeAccess()).isEqualTo(new NodeAccess("k8s", "ens3", 22));
    // the older schema's 'ubuntu' stands for the current Ubuntu preset
    assertThat(t.image())
        .isEqualTo(new NodeImage(Distro.UBUNTU22, Distro.UBUNTU22.source(), true, CpuMode.CUSTOM));

    assertThat(t.hostLayouts())
        .extracting(HostLayout::name)
        .containsExactly("host1", "host2", "host3", "host4", "host5");
    HostLayout host1 = t.hostLayout("host1").orElseThrow();
    assertThat(host1.mainPoolPath()).isEqualTo(SpecDefaults.POOL_PATH);
    assertThat(host1.dataPools()).isEmpty();
    assertThat(host1.connection().type()).contains(ConnectionType.REMOTE);
    assertThat(host1.connection().ip()).contains("10.10.0.5");
    assertThat(host1.connection().ssh().port()).contains(22);
    assertThat(host1.connection().ssh().verify()).contains(true);
    assertThat(host1.connection().ssh().keyfile()).contains("~/.ssh/id_rsa_ha");
    HostLayout host3 = t.hostLayout("host3").orElseThrow();
    assertThat(host3.dataPools())
        .containsExactly(new HostLayout.DataPool("data-pool", "/mnt/libvirt/pools/"));
    assertThat(host3.dataPool("data-pool")).isPresent();
    assertThat(host3.dataPool("main")).isEmpty();
    assertThat(t.hostLayout("host9")).isEmpty();
  }

  @Test
  void haExampleResolvesNodesLoadBalancingAndKubernetes() {
    Topology t = Topology.of(example("examples/ha.yaml"));

    assertThat(t.nodes())
        .extracting(Node::name)
        .containsExactly(
            "kubitect-ha-lb-1",
            "kubitect-ha-lb-2",
            "kubitect-ha-master-1",
            "kubitect-ha-master-2",
            "kubitect-ha-master-3",
            "kubitect-ha-worker-1",
            "kubitect-ha-worker-2",
            "kubitect-ha-worker-3");
    Node worker = t.node("kubitect-ha-worker-1").orElseThrow();
    assertThat(worker.host()).isEqualTo("host3");
    assertThat(worker.ip()).contains("10.10.13.20");
    assertThat(worker.dataDisks()).containsExactly(new Node.Disk("rook", "data-pool", 512));
    assertThat(worker.dataDisks().get(0).onMainPool()).isFalse();
    assertThat(t.nodes(NodeRole.LOAD_BALANCER))
        .extracting(Node::priority)
        .containsExactly(SpecDefaults.PRIORITY, SpecDefaults.PRIORITY);

    assertThat(t.loadBalancing())
        .isEqualTo(new LoadBalancerSettings(Optional.of("10.10.13.200"), 51, List.of()));

    KubernetesSettings k = t.kubernetes();
    assertThat(k.version()).isEqualTo("v1.23.7");
    assertThat(k.networkPlugin()).isEqualTo(NetworkPlugin.CALICO);
    assertThat(k.dnsMode()).isEqualTo(DnsMode.COREDNS);
    assertThat(k.autoRenewCertificates()).isFalse();
    assertThat(k.kubesprayVersion()).isEqualTo("v2.19.0");
    assertThat(k.kubesprayUrl()).isEqualTo(KubesprayReleases.DEFAULT_URL);
    assertThat(k.kubesprayAddons()).isEmpty();
  }

  @Test
  void fullExampleResolvesEveryWrittenValue() {
    Topology t = Topology.of(example("examples/full-example.yaml"));

    assertThat(t.network().gateway()).isEqualTo("10.10.64.1");
    assertThat(t.network().dns()).containsExactly("1.1.1.1", "1.0.0.1");
    assertThat(t.image().cpuMode()).isEqualTo(CpuMode.HOST_PASSTHROUGH);
    assertThat(t.image().source()).isEqualTo(Distro.UBUNTU22.source());
    assertThat(t.nodeAccess().networkInterface()).isEqualTo("ens3");

    assertThat(t.hostLayout("localhost").orElseThrow().connection().type())
        .contains(ConnectionType.LOCAL);
    assertThat(t.hostLayout("remote-server-1").orElseThrow().connection().ssh().port())
        .contains(1234);
    HostLayout server2 = t.hostLayout("remote-server-2").orElseThrow();
    assertThat(server2.mainPoolPath()).isEqualTo("/var/lib/libvirt/pools/");
    assertThat(server2.dataPools())
        .containsExactly(
            new HostLayout.DataPool("data-pool", "/mnt/data/pool"),
            new HostLayout.DataPool("backup-pool", "/mnt/backup/pool"));

    // the master default's disk is merged in, the instance's own one comes with it
    Node master3 = t.node("my-k8s-cluster-master-3").orElseThrow();
    assertThat(master3.dataDisks())
        .containsExactlyInAnyOrder(
            new Node.Disk("etcd-backup", "main", 16), new Node.Disk("audit-logs", "main", 8));
    assertThat(master3.dataDisks()).allMatch(Node.Disk::onMainPool);

    LoadBalancerSettings lb = t.loadBalancing();
    assertThat(lb.vip()).contains("10.10.64.200");
    assertThat(lb.virtualRouterId()).isEqualTo(13);
    assertThat(lb.forwardPorts())
        .containsExactly(
            new LoadBalancerSettings.PortForward("http", 80, 80, ForwardTarget.WORKERS),
            new LoadBalancerSettings.PortForward("https", 443, 443, ForwardTarget.ALL),
            new LoadBalancerSettings.PortForward("sample", 60000, 35000, ForwardTarget.WORKERS));

    KubernetesSettings k = t.kubernetes();
    assertThat(k.autoRenewCertificates()).isTrue();
    assertThat(k.kubesprayVersion()).isEqualTo(KubesprayReleases.DEFAULT_VERSION);
    // passed through as written, in the specification's order
    assertThat(k.kubesprayAddons())
        .containsOnlyKeys(
            "ingress_nginx_enabled",
            "ingress_nginx_namespace",
            "ingress_nginx_configmap",
            "metrics_server_enabled",
            "supplementary_addresses_in_ssl_keys");
    assertThat(List.copyOf(k.kubesprayAddons().keySet()))
        .containsExactly(
            "ingress_nginx_enabled",
            "ingress_nginx_namespace",
            "ingress_nginx_configmap",
            "metrics_server_enabled",
            "supplementary_addresses_in_ssl_keys");
    assertThatThrownBy(() -> k.kubesprayAddons().put("x", 1))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void natNetworkWithoutGatewayOrDnsUsesTheFirstHostAddress() {
    Topology t = Topology.of(example("examples/single-node.yaml"));

    assertThat(t.network())
        .isEqualTo(
            new ClusterNetwork(
                NetworkMode.NAT,
                Ipv4Network.parse("192.168.113.0/24").orElseThrow(),
                "192.168.113.1",
                Optional.empty(),
                List.of("192.168.113.1")));
    assertThat(t.network().bridged()).isFalse();
    assertThat(t.loadBalancing().vip()).isEmpty();
    assertThat(t.nodes()).extracting(Node::host).containsExactly("localhost");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("specs")
  void everyExampleAndFixtureResolves(Path file) {
    ClusterSpec spec = KubitectYaml.read(file);

    Topology t = Topology.of(spec);

    ClusterSpec resolved = spec.resolveDefaults();
    assertThat(t.spec()).isEqualTo(resolved);
    assertThat(t.clusterName()).isEqualTo(resolved.cluster().name().orElseThrow());
    assertThat(t.hostLayouts()).hasSameSizeAs(resolved.hosts());
    assertThat(t.hostLayouts())
        .extracting(HostLayout::name)
        .containsExactlyElementsOf(t.hosts().stream().map(h -> h.name().orElseThrow()).toList());
    for (Node node : t.nodes()) {
      HostLayout host = t.hostLayout(node.host()).orElseThrow();
      for (Node.Disk disk : node.dataDisks()) {
        assertThat(disk.onMainPool() || host.dataPool(disk.pool()).isPresent())
            .as("%s of %s", disk, node.name())
            .isTrue();
      }
    }
    assertThat(t.network().cidr().contains(Ipv4Network.parseAddress(t.network().gateway()).get()))
        .isTrue();
    assertThat(t.network().dns()).isNotEmpty();
    assertThat(t.nodeAccess().user()).isNotBlank();
    assertThat(t.nodeAccess().networkInterface()).isNotBlank();
    assertThat(t.nodeAccess().sshPort()).isEqualTo(NodeAccess.SSH_PORT);
    assertThat(t.image().source()).isNotBlank();
    assertThat(t.kubernetes().kubesprayAddons()).isEqualTo(resolved.addons().kubespray());
  }

  /** The lookups are indexes of the lists (one scan of every node per lookup was quadratic). */
  @ParameterizedTest(name = "{0}")
  @MethodSource("specs")
  void lookupsAgreeWithTheLists(Path file) {
    Topology t = Topology.of(KubitectYaml.read(file));

    for (Node node : t.nodes()) {
      assertThat(t.node(node.name()))
          .contains(t.nodes().stream().filter(n -> n.name().equals(node.name())).findFirst().get());
    }
    for (HostLayout host : t.hostLayouts()) {
      assertThat(t.hostLayout(host.name())).contains(host);
      assertThat(t.nodesOn(host.name()))
          .containsExactlyElementsOf(
              t.nodes().stream().filter(n -> n.host().equals(host.name())).toList());
    }
    assertThat(t.node("no-such-node")).isEmpty();
    assertThat(t.hostLayout("no-such-host")).isEmpty();
    assertThat(t.nodesOn("no-such-host")).isEmpty();
  }

  @Test
  void findsTheExamplesAndTheFixtures() {
    assertThat(specs())
        .extracting(p -> ROOT.relativize(p).toString())
        .contains(
            "examples/ha.yaml",
            "kubitect-core/src/test/resources/io/kubitect/core/SpecFuzzTestInputs/"
                + "readValidateWrite/example-ha.yaml");
  }

  @Test
  void anInvalidNetworkIsRefused() {
    ClusterSpec spec = example("examples/single-node.yaml");
    ClusterSpec noCidr =
        spec.withCluster(
            spec.cluster().withNetwork(spec.cluster().network().withCidr(Optional.empty())));
    ClusterSpec noBridge =
        spec.withCluster(
            spec.cluster().withNetwork(spec.cluster().network().withMode(NetworkMode.BRIDGE)));

    assertThatThrownBy(() -> Topology.of(noCidr))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cluster.network.cidr");
    assertThatThrownBy(() -> Topology.of(noBridge))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cluster.network.bridge");
  }

  static List<Path> specs() {
    Path fixtures =
        ROOT.resolve(
            "kubitect-core/src/test/resources/io/kubitect/core/SpecFuzzTestInputs/readValidateWrite");
    return Stream.concat(yaml(ROOT.resolve("examples"), ""), yaml(fixtures, "example-")).toList();
  }

  private static Stream<Path> yaml(Path dir, String prefix) {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(
              f -> {
                String name = f.getFileName().toString();
                return name.startsWith(prefix) && name.endsWith(".yaml");
              })
          .sorted()
          .toList()
          .stream();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static ClusterSpec example(String path) {
    return KubitectYaml.read(ROOT.resolve(path));
  }

  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.isRegularFile(dir.resolve("examples").resolve("ha.yaml"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("no examples/ha.yaml above " + Path.of("").toAbsolutePath());
  }
}
