package io.kubitect.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class SpecDefaultsTest {

  // ------------------------------------------------------------------------------ node sizes

  @Test
  void masterInstancesTakeTheGroupDefaults() {
    // Kubitect's TestMaster_Defaults.
    NodeGroup master =
        resolve(
                nodes(
                    Nodes.builder()
                        .master(
                            NodeGroup.builder()
                                .defaults(
                                    NodeDefaults.builder().cpu(2).ram(4).mainDiskSize(256).build())
                                .addInstances(
                                    NodeInstance.builder().id("1").cpu(4).build(),
                                    NodeInstance.builder().id("2").ram(8).build(),
                                    NodeInstance.builder().id("3").mainDiskSize(512).build())
                                .build())
                        .build()))
            .cluster()
            .nodes()
            .master();

    assertThat(master.instances()).extracting(i -> i.cpu().orElseThrow()).containsExactly(4, 2, 2);
    assertThat(master.instances()).extracting(i -> i.ram().orElseThrow()).containsExactly(4, 8, 4);
    assertThat(master.instances())
        .extracting(i -> i.mainDiskSize().orElseThrow())
        .containsExactly(256, 256, 512);
  }

  @Test
  void workerAndLoadBalancerInstancesTakeTheirGroupDefaults() {
    Nodes resolved =
        resolve(
                nodes(
                    Nodes.builder()
                        .worker(
                            NodeGroup.builder()
                                .defaults(NodeDefaults.builder().cpu(8).build())
                                .addInstances(
                                    NodeInstance.builder().id("1").build(),
                                    NodeInstance.builder().id("2").cpu(1).ram(1).build())
                                .build())
                        .loadBalancer(
                            LoadBalancers.builder()
                                .defaults(LoadBalancerDefaults.builder().ram(1).build())
                                .addInstances(
                                    LoadBalancerInstance.builder().id("1").build(),
                                    LoadBalancerInstance.builder().id("2").mainDiskSize(9).build())
                                .build())
                        .build()))
            .cluster()
            .nodes();

    assertThat(resolved.worker().instances())
        .extracting(i -> List.of(i.cpu().orElseThrow(), i.ram().orElseThrow()))
        .containsExactly(List.of(8, 4), List.of(1, 1));
    assertThat(resolved.loadBalancer().instances())
        .extracting(
            i ->
                List.of(
                    i.cpu().orElseThrow(), i.ram().orElseThrow(), i.mainDiskSize().orElseThrow()))
        .containsExactly(List.of(2, 1, 32), List.of(2, 1, 9));
  }

  @Test
  void builtInSizesAreTwoCpusFourGibAndThirtyTwoGib() {
    Nodes resolved = resolve(ClusterSpec.builder().build()).cluster().nodes();

    assertThat(resolved.master().defaults())
        .isEqualTo(NodeDefaults.builder().cpu(2).ram(4).mainDiskSize(32).build());
    assertThat(resolved.worker().defaults())
        .isEqualTo(NodeDefaults.builder().cpu(2).ram(4).mainDiskSize(32).build());
    assertThat(resolved.loadBalancer().defaults())
        .isEqualTo(LoadBalancerDefaults.builder().cpu(2).ram(4).mainDiskSize(32).build());
    assertThat(SpecDefaults.CPU).isEqualTo(2);
    assertThat(SpecDefaults.RAM_GIB).isEqualTo(4);
    assertThat(SpecDefaults.MAIN_DISK_GIB).isEqualTo(32);
  }

  // ------------------------------------------------------------------------------------ hosts

  @Test
  void firstHostIsTheDefaultWhenNoneIsMarked() {
    ClusterSpec resolved =
        resolve(
            ClusterSpec.builder()
                .addHosts(local("a"), local("b"))
                .cluster(
                    Cluster.builder()
                        .nodes(
                            Nodes.builder()
                                .master(
                                    NodeGroup.builder()
                                        .addInstances(
                                            NodeInstance.builder().id("1").build(),
                                            NodeInstance.builder().id("2").host("b").build())
                                        .build())
                                .loadBalancer(
                                    LoadBalancers.builder()
                                        .addInstance(LoadBalancerInstance.builder().id("1").build())
                                        .build())
                                .build())
                        .build())
                .build());

    assertThat(resolved.hosts())
        .extracting(h -> h.defaultHost().orElseThrow())
        .containsExactly(true, false);
    assertThat(resolved.cluster().nodes().master().instances())
        .extracting(i -> i.host().orElseThrow())
        .containsExactly("a", "b");
    assertThat(resolved.cluster().nodes().loadBalancer().instances().get(0).host()).contains("a");
  }

  @Test
  void markedHostIsTheDefault() {
    ClusterSpec resolved =
        resolve(
            ClusterSpec.builder()
                .addHosts(local("a"), local("b").withDefaultHost(true))
                .cluster(
                    Cluster.builder()
                        .nodes(
                            Nodes.builder()
                                .worker(
                                    NodeGroup.builder()
                                        .addInstance(NodeInstance.builder().id("1").build())
                                        .build())
                                .build())
                        .build())
                .build());

    assertThat(resolved.hosts())
        .extracting(h -> h.defaultHost().orElseThrow())
        .containsExactly(false, true);
    assertThat(resolved.cluster().nodes().worker().instances().get(0).host()).contains("b");
  }

  @Test
  void remoteHostsGetPortTwentyTwoAndVerifiedHostKeys() {
    Host remote =
        Host.builder()
            .name("r")
            .connection(
                Connection.builder()
                    .type(ConnectionType.REMOTE)
                    .user("u")
                    .ip("10.0.0.9")
                    .ssh(HostSsh.builder().keyfile("~/.ssh/id_rsa").build())
                    .build())
            .build();
    Host explicit =
        remote.withConnection(
            remote
                .connection()
                .withSsh(remote.connection().ssh().withPort(2222).withVerify(false)));

    List<Host> resolved =
        resolve(ClusterSpec.builder().addHosts(remote, explicit, local("l")).build()).hosts();

    assertThat(resolved.get(0).connection().ssh())
        .isEqualTo(HostSsh.builder().keyfile("~/.ssh/id_rsa").port(22).verify(true).build());
    assertThat(resolved.get(1).connection().ssh())
        .isEqualTo(HostSsh.builder().keyfile("~/.ssh/id_rsa").port(2222).verify(false).build());
    assertThat(resolved.get(2).connection().ssh()).isEqualTo(HostSsh.builder().build());
  }

  @Test
  void poolPathsDefaultToTheLibvirtImagesDirectory() {
    Host host =
        local("a")
            .withDataResourcePools(
                DataResourcePool.builder().name("rook").build(),
                DataResourcePool.builder().name("fast").path("/mnt/fast/").build());

    Host resolved = resolve(ClusterSpec.builder().addHosts(host).build()).hosts().get(0);

    assertThat(resolved.mainResourcePoolPath()).contains("/var/lib/libvirt/images/");
    assertThat(resolved.dataResourcePools())
        .extracting(p -> p.path().orElseThrow())
        .containsExactly("/var/lib/libvirt/images/", "/mnt/fast/");
  }

  // ---------------------------------------------------------------------------------- network

  @Test
  void gatewayIsTheFirstHostAddressOfTheCidr() {
    Network network = resolve(network("10.10.0.0/20")).cluster().network();

    assertThat(network.gateway()).contains("10.10.0.1");
    assertThat(network.mode()).contains(NetworkMode.NAT);
  }

  @Test
  void explicitGatewayAndModeAreKept() {
    ClusterSpec spec =
        network("192.168.113.0/24")
            .withCluster(
                Cluster.builder()
                    .network(
                        Network.builder()
                            .mode(NetworkMode.ROUTE)
                            .cidr("192.168.113.0/24")
                            .gateway("192.168.113.254")
                            .build())
                    .build());

    Network network = resolve(spec).cluster().network();

    assertThat(network.gateway()).contains("192.168.113.254");
    assertThat(network.mode()).contains(NetworkMode.ROUTE);
  }

  @Test
  void unreadableCidrLeavesTheGatewayUnsetForTheValidator() {
    Network network = resolve(network("not-a-cidr")).cluster().network();

    assertThat(network.cidr()).contains("not-a-cidr");
    assertThat(network.gateway()).isEmpty();
  }

  @Test
  void dnsDefaultsToTheGateway() {
    assertThat(resolve(network("10.10.0.0/20")).cluster().nodeTemplate().dns())
        .containsExactly("10.10.0.1");

    ClusterSpec explicit =
        network("10.10.0.0/20")
            .withCluster(
                network("10.10.0.0/20")
                    .cluster()
                    .withNodeTemplate(NodeTemplate.builder().addDns("1.1.1.1").build()));
    assertThat(resolve(explicit).cluster().nodeTemplate().dns()).containsExactly("1.1.1.1");
  }

  // ---------------------------------------------------------------------------- node template

  @Test
  void nodeTemplateDefaults() {
    NodeTemplate template = resolve(ClusterSpec.builder().build()).cluster().nodeTemplate();

    assertThat(template.user()).contains("k8s");
    assertThat(template.updateOnBoot()).contains(true);
    assertThat(template.cpuMode()).contains(CpuMode.CUSTOM);
    assertThat(template.ssh().addToKnownHosts()).contains(false);
    assertThat(template.ssh().privateKeyPath()).isEmpty();
    assertThat(template.os())
        .isEqualTo(
            OperatingSystem.builder()
                .distro(Distro.UBUNTU22)
                .source(
                    "https://cloud-images.ubuntu.com/releases/jammy/release/"
                        + "ubuntu-22.04-server-cloudimg-amd64.img")
                .networkInterface("ens3")
                .build());
  }

  static Stream<Arguments> presets() {
    return Stream.of(
        Arguments.of(
            Distro.UBUNTU20,
            "https://cloud-images.ubuntu.com/releases/focal/release/"
                + "ubuntu-20.04-server-cloudimg-amd64.img",
            "ens3"),
        Arguments.of(
            Distro.UBUNTU22,
            "https://cloud-images.ubuntu.com/releases/jammy/release/"
                + "ubuntu-22.04-server-cloudimg-amd64.img",
            "ens3"),
        Arguments.of(
            Distro.DEBIAN11,
            "https://cloud.debian.org/images/cloud/bullseye/latest/"
                + "debian-11-genericcloud-amd64.qcow2",
            "ens3"),
        Arguments.of(
            Distro.DEBIAN12,
            "https://cloud.debian.org/images/cloud/bookworm/latest/"
                + "debian-12-genericcloud-amd64.qcow2",
            "ens3"),
        Arguments.of(
            Distro.DEBIAN13,
            "https://cloud.debian.org/images/cloud/trixie/latest/debian-13-genericcloud-amd64.qcow2",
            "ens3"),
        Arguments.of(
            Distro.CENTOS9,
            "https://cloud.centos.org/centos/9-stream/x86_64/images/"
                + "CentOS-Stream-GenericCloud-9-latest.x86_64.qcow2",
            "eth0"),
        Arguments.of(
            Distro.ROCKY9,
            "https://dl.rockylinux.org/pub/rocky/9/images/x86_64/"
                + "Rocky-9-GenericCloud-Base.latest.x86_64.qcow2",
            "eth0"));
  }

  @ParameterizedTest
  @MethodSource("presets")
  void distroPresetFillsSourceAndNetworkInterface(Distro distro, String source, String nic) {
    OperatingSystem os = os(OperatingSystem.builder().distro(distro).build());

    assertThat(os)
        .isEqualTo(
            OperatingSystem.builder().distro(distro).source(source).networkInterface(nic).build());
  }

  @Test
  void legacyUbuntuMeansUbuntu22() {
    OperatingSystem os = os(OperatingSystem.builder().distro(Distro.UBUNTU).build());

    assertThat(os.distro()).contains(Distro.UBUNTU22);
    assertThat(os.source()).contains(Distro.UBUNTU22.source());
    assertThat(os.networkInterface()).contains("ens3");
  }

  @Test
  void legacyDebianMeansDebian11AsInTheOlderSchema() {
    OperatingSystem os = os(OperatingSystem.builder().distro(Distro.DEBIAN).build());

    assertThat(os.distro()).contains(Distro.DEBIAN11);
    assertThat(os.source()).contains(Distro.DEBIAN11.source());
    assertThat(os.networkInterface()).contains("ens3");
  }

  @Test
  void legacyCentosAndRockyMeanTheir9Presets() {
    OperatingSystem centos = os(OperatingSystem.builder().distro(Distro.CENTOS).build());
    OperatingSystem rocky = os(OperatingSystem.builder().distro(Distro.ROCKY).build());

    assertThat(centos.distro()).contains(Distro.CENTOS9);
    assertThat(centos.networkInterface()).contains("eth0");
    assertThat(rocky.distro()).contains(Distro.ROCKY9);
    assertThat(rocky.source()).contains(Distro.ROCKY9.source());
  }

  @Test
  void customSourceWithoutDistroKeepsUbuntu22AndEns3() {
    OperatingSystem os = os(OperatingSystem.builder().source("/images/custom.qcow2").build());

    assertThat(os)
        .isEqualTo(
            OperatingSystem.builder()
                .distro(Distro.UBUNTU22)
                .source("/images/custom.qcow2")
                .networkInterface("ens3")
                .build());
  }

  @Test
  void explicitNetworkInterfaceWinsOverThePreset() {
    OperatingSystem os =
        os(OperatingSystem.builder().distro(Distro.ROCKY9).networkInterface("ens5").build());

    assertThat(os.networkInterface()).contains("ens5");
    assertThat(os.source()).contains(Distro.ROCKY9.source());
  }

  // ---------------------------------------------------------------------------- load balancers

  @Test
  void forwardPortTargetsItsOwnPortOnTheWorkers() {
    LoadBalancers lb =
        resolve(
                nodes(
                    Nodes.builder()
                        .loadBalancer(
                            LoadBalancers.builder()
                                .addForwardPorts(
                                    ForwardPort.builder().name("http").port(80).build(),
                                    ForwardPort.builder()
                                        .name("sample")
                                        .port(60000)
                                        .targetPort(35000)
                                        .target(ForwardTarget.ALL)
                                        .build(),
                                    ForwardPort.builder().name("no-port").build())
                                .build())
                        .build()))
            .cluster()
            .nodes()
            .loadBalancer();

    assertThat(lb.forwardPorts())
        .containsExactly(
            ForwardPort.builder()
                .name("http")
                .port(80)
                .targetPort(80)
                .target(ForwardTarget.WORKERS)
                .build(),
            ForwardPort.builder()
                .name("sample")
                .port(60000)
                .targetPort(35000)
                .target(ForwardTarget.ALL)
                .build(),
            ForwardPort.builder().name("no-port").target(ForwardTarget.WORKERS).build());
  }

  @Test
  void loadBalancerPriorityIsTenUnlessSet() {
    LoadBalancers lb =
        resolve(
                nodes(
                    Nodes.builder()
                        .loadBalancer(
                            LoadBalancers.builder()
                                .vip("10.0.0.200")
                                .addInstances(
                                    LoadBalancerInstance.builder().id("1").priority(200).build(),
                                    LoadBalancerInstance.builder().id("2").build())
                                .build())
                        .build()))
            .cluster()
            .nodes()
            .loadBalancer();

    assertThat(lb.instances()).extracting(i -> i.priority().orElseThrow()).containsExactly(200, 10);
  }

  @Test
  void virtualRouterIdIsFiftyOneAlsoWithOneOrNoLoadBalancer() {
    for (int count = 0; count <= 2; count++) {
      LoadBalancers.Builder lb = LoadBalancers.builder();
      for (int i = 1; i <= count; i++) {
        lb.addInstance(LoadBalancerInstance.builder().id(String.valueOf(i)).build());
      }
      ClusterSpec spec = nodes(Nodes.builder().loadBalancer(lb.build()).build());

      assertThat(resolve(spec).cluster().nodes().loadBalancer().virtualRouterId())
          .as("%d load balancers", count)
          .contains(51);
    }
  }

  @Test
  void explicitVirtualRouterIdIsKept() {
    ClusterSpec spec =
        nodes(
            Nodes.builder()
                .loadBalancer(LoadBalancers.builder().virtualRouterId(13).build())
                .build());

    assertThat(resolve(spec).cluster().nodes().loadBalancer().virtualRouterId()).contains(13);
  }

  // ------------------------------------------------------------- labels, taints and data disks

  @Test
  void defaultLabelsAreMergedAndTheInstanceWins() {
    NodeGroup worker =
        resolveWorker(
            NodeDefaults.builder().putLabel("rook", "false").putLabel("tier", "general").build(),
            NodeInstance.builder().id("1").putLabel("rook", "true").putLabel("zone", "a").build(),
            NodeInstance.builder().id("2").build());

    assertThat(worker.instances().get(0).labels())
        .containsExactlyInAnyOrderEntriesOf(Map.of("rook", "true", "tier", "general", "zone", "a"));
    assertThat(worker.instances().get(1).labels())
        .containsExactlyInAnyOrderEntriesOf(Map.of("rook", "false", "tier", "general"));
  }

  @Test
  void defaultTaintsAreMergedAndTheInstanceWinsPerKeyAndEffect() {
    NodeGroup worker =
        resolveWorker(
            NodeDefaults.builder()
                .addTaints("dedicated=general:NoSchedule", "spot:PreferNoSchedule")
                .build(),
            NodeInstance.builder()
                .id("1")
                .addTaints("dedicated=gpu:NoSchedule", "dedicated=gpu:NoExecute")
                .build(),
            NodeInstance.builder().id("2").build());

    assertThat(worker.instances().get(0).taints())
        .containsExactly(
            "spot:PreferNoSchedule", "dedicated=gpu:NoSchedule", "dedicated=gpu:NoExecute");
    assertThat(worker.instances().get(1).taints())
        .containsExactly("dedicated=general:NoSchedule", "spot:PreferNoSchedule");
  }

  @Test
  void defaultDataDisksComeFirstAndTheInstanceWinsByName() {
    NodeGroup worker =
        resolveWorker(
            NodeDefaults.builder()
                .addDataDisks(
                    DataDisk.builder().name("logs").size(4).build(),
                    DataDisk.builder().name("rook").pool("fast").size(64).build())
                .build(),
            NodeInstance.builder()
                .id("1")
                .addDataDisks(
                    DataDisk.builder().name("rook").pool("fast").size(512).build(),
                    DataDisk.builder().name("extra").size(8).build())
                .build(),
            NodeInstance.builder().id("2").build());

    assertThat(worker.defaults().dataDisks())
        .containsExactly(
            DataDisk.builder().name("logs").pool("main").size(4).build(),
            DataDisk.builder().name("rook").pool("fast").size(64).build());
    assertThat(worker.instances().get(0).dataDisks())
        .containsExactly(
            DataDisk.builder().name("logs").pool("main").size(4).build(),
            DataDisk.builder().name("rook").pool("fast").size(512).build(),
            DataDisk.builder().name("extra").pool("main").size(8).build());
    assertThat(worker.instances().get(1).dataDisks())
        .containsExactly(
            DataDisk.builder().name("logs").pool("main").size(4).build(),
            DataDisk.builder().name("rook").pool("fast").size(64).build());
  }

  @Test
  void dataDiskPoolDefaultsToMain() {
    NodeGroup worker =
        resolveWorker(
            NodeDefaults.builder().build(),
            NodeInstance.builder()
                .id("1")
                .addDataDisks(DataDisk.builder().name("data").size(10).build())
                .build());

    assertThat(worker.instances().get(0).dataDisks().get(0).pool())
        .contains(SpecDefaults.MAIN_POOL);
    assertThat(SpecDefaults.MAIN_POOL).isEqualTo("main");
  }

  // ---------------------------------------------------------------------------- kubernetes

  @Test
  void kubernetesDefaultsFollowThePinnedKubesprayRelease() {
    Kubernetes kubernetes = resolve(ClusterSpec.builder().build()).kubernetes();

    assertThat(kubernetes.version()).contains("v1.33.4");
    assertThat(kubernetes.kubespray().version()).contains("v2.29.0");
    assertThat(kubernetes.kubespray().url())
        .contains("https://github.com/kubernetes-sigs/kubespray");
    assertThat(kubernetes.manager()).contains(KubernetesManager.KUBESPRAY);
    assertThat(kubernetes.networkPlugin()).contains(NetworkPlugin.CALICO);
    assertThat(kubernetes.dnsMode()).contains(DnsMode.COREDNS);
    assertThat(kubernetes.other().autoRenewCertificates()).contains(false);
    assertThat(kubernetes.other().mergeKubeconfig()).contains(false);
  }

  @Test
  void olderKubesprayReleaseBringsItsOwnKubernetesVersion() {
    Kubernetes kubernetes = resolve(kubespray("v2.19.0")).kubernetes();

    assertThat(kubernetes.version()).contains("v1.23.7");
    assertThat(kubernetes.kubespray().version()).contains("v2.19.0");
  }

  @Test
  void everyKnownReleaseDefaultsToItsOwnKubernetesVersion() {
    for (KubesprayRelease release : KubesprayReleases.all()) {
      assertThat(resolve(kubespray(release.version())).kubernetes().version())
          .as(release.version())
          .contains(release.defaultKubernetesVersion());
      assertThat(SemanticVersion.parse(release.defaultKubernetesVersion()))
          .as(release.version())
          .hasValueSatisfying(v -> assertThat(release.supports(v)).isTrue());
    }
  }

  @Test
  void unknownKubesprayReleaseGetsTheCurrentDefaultVersion() {
    assertThat(resolve(kubespray("v9.9.9")).kubernetes().version()).contains("v1.33.4");
  }

  @Test
  void explicitKubernetesValuesAreKept() {
    Kubernetes explicit =
        Kubernetes.builder()
            .version("v1.31.12")
            .manager(KubernetesManager.K3S)
            .networkPlugin(NetworkPlugin.CILIUM)
            .other(KubernetesOther.builder().mergeKubeconfig(true).build())
            .build();

    Kubernetes kubernetes =
        resolve(ClusterSpec.builder().kubernetes(explicit).build()).kubernetes();

    assertThat(kubernetes.version()).contains("v1.31.12");
    assertThat(kubernetes.manager()).contains(KubernetesManager.K3S);
    assertThat(kubernetes.networkPlugin()).contains(NetworkPlugin.CILIUM);
    assertThat(kubernetes.other().mergeKubeconfig()).contains(true);
    assertThat(kubernetes.other().autoRenewCertificates()).contains(false);
  }

  @Test
  void rookIsDisabledUnlessEnabled() {
    assertThat(resolve(ClusterSpec.builder().build()).addons().rook().enabled()).contains(false);
  }

  // ---------------------------------------------------------------------------- whole specs

  static Stream<String> examples() {
    return Examples.all();
  }

  @ParameterizedTest
  @MethodSource("examples")
  void resolvingTwiceIsResolvingOnce(String name) {
    ClusterSpec once = Examples.read(name).resolveDefaults();

    assertThat(once.resolveDefaults()).isEqualTo(once);
  }

  @Test
  void resolvingTwiceIsResolvingOnceForBuiltSpecs() {
    for (ClusterSpec spec :
        List.of(ClusterSpec.builder().build(), KubitectYamlTest.everyKeySpec(), garbage())) {
      ClusterSpec once = spec.resolveDefaults();

      assertThat(once.resolveDefaults()).isEqualTo(once);
    }
  }

  /** Keys that resolution always writes out, whatever the example says. */
  private static final List<String> ALWAYS_RESOLVED =
      List.of(
          "hosts[].default",
          "hosts[].mainResourcePoolPath",
          "cluster.network.mode",
          "cluster.nodeTemplate.user",
          "cluster.nodeTemplate.os.distro",
          "cluster.nodeTemplate.os.source",
          "cluster.nodeTemplate.os.networkInterface",
          "cluster.nodeTemplate.ssh.addToKnownHosts",
          "cluster.nodeTemplate.dns",
          "cluster.nodeTemplate.updateOnBoot",
          "cluster.nodeTemplate.cpuMode",
          "cluster.network.gateway",
          "cluster.nodes.loadBalancer.virtualRouterId",
          "cluster.nodes.loadBalancer.default.cpu",
          "cluster.nodes.loadBalancer.default.ram",
          "cluster.nodes.loadBalancer.default.mainDiskSize",
          "cluster.nodes.master.default.cpu",
          "cluster.nodes.master.default.ram",
          "cluster.nodes.master.default.mainDiskSize",
          "cluster.nodes.master.instances[].host",
          "cluster.nodes.master.instances[].cpu",
          "cluster.nodes.master.instances[].ram",
          "cluster.nodes.master.instances[].mainDiskSize",
          "cluster.nodes.worker.default.cpu",
          "cluster.nodes.worker.default.ram",
          "cluster.nodes.worker.default.mainDiskSize",
          "kubernetes.version",
          "kubernetes.manager",
          "kubernetes.networkPlugin",
          "kubernetes.dnsMode",
          "kubernetes.kubespray.url",
          "kubernetes.kubespray.version",
          "kubernetes.other.autoRenewCertificates",
          "kubernetes.other.mergeKubeconfig",
          "addons.rook.enabled");

  @ParameterizedTest
  @MethodSource("examples")
  void resolvedExampleWritesOutEveryDefault(String name) {
    ClusterSpec resolved = Examples.read(name).resolveDefaults();

    Set<String> written = KubitectYamlTest.documentPaths(KubitectYaml.write(resolved));

    assertThat(written).containsAll(ALWAYS_RESOLVED);
  }

  @Test
  void seedConfigurationResolvesToTheCurrentPresets() {
    ClusterSpec resolved = Examples.read("ha.yaml").resolveDefaults();

    assertThat(resolved.hosts())
        .extracting(h -> h.defaultHost().orElseThrow())
        .containsExactly(true, false, false, false, false);
    assertThat(resolved.hosts().get(0).connection().ssh().port()).contains(22);
    assertThat(resolved.hosts().get(0).connection().ssh().verify()).contains(true);
    assertThat(resolved.cluster().network().gateway()).contains("10.10.0.1");
    assertThat(resolved.cluster().nodeTemplate().dns()).containsExactly("10.10.0.1");
    assertThat(resolved.cluster().nodeTemplate().os().distro()).contains(Distro.UBUNTU22);
    assertThat(resolved.cluster().nodeTemplate().os().networkInterface()).contains("ens3");
    LoadBalancers lb = resolved.cluster().nodes().loadBalancer();
    assertThat(lb.virtualRouterId()).contains(51);
    assertThat(lb.instances()).extracting(i -> i.priority().orElseThrow()).containsExactly(10, 10);
    assertThat(resolved.cluster().nodes().worker().instances().get(0).dataDisks())
        .containsExactly(DataDisk.builder().name("rook").pool("data-pool").size(512).build());
    assertThat(resolved.kubernetes().version()).contains("v1.23.7");
    assertThat(resolved.kubernetes().kubespray().version()).contains("v2.19.0");
  }

  @Test
  void resolutionNeverFailsOnInvalidValues() {
    ClusterSpec resolved = garbage().resolveDefaults();

    assertThat(resolved.cluster().network().cidr()).contains("10.0.0.1/33");
    assertThat(resolved.cluster().network().gateway()).isEmpty();
    assertThat(resolved.cluster().nodes().master().instances().get(0).cpu()).contains(-3);
    assertThat(resolved.kubernetes().version()).contains("latest");
  }

  // ---------------------------------------------------------------------------------- helpers

  @ParameterizedTest
  @EnumSource(Distro.class)
  void everyDistroHasAPreset(Distro distro) {
    assertThat(distro.preset().isLegacyAlias()).isFalse();
    assertThat(distro.source()).startsWith("https://");
    assertThat(distro.networkInterface()).isIn("ens3", "eth0");
  }

  private static ClusterSpec resolve(ClusterSpec spec) {
    return spec.resolveDefaults();
  }

  private static ClusterSpec nodes(Nodes nodes) {
    return ClusterSpec.builder().cluster(Cluster.builder().nodes(nodes).build()).build();
  }

  private static ClusterSpec network(String cidr) {
    return ClusterSpec.builder()
        .cluster(Cluster.builder().network(Network.builder().cidr(cidr).build()).build())
        .build();
  }

  /** Resolves a spec with this OS and returns the resolved OS. */
  private static OperatingSystem os(OperatingSystem os) {
    return ClusterSpec.builder()
        .cluster(Cluster.builder().nodeTemplate(NodeTemplate.builder().os(os).build()).build())
        .build()
        .resolveDefaults()
        .cluster()
        .nodeTemplate()
        .os();
  }

  private static ClusterSpec kubespray(String version) {
    return ClusterSpec.builder()
        .kubernetes(
            Kubernetes.builder().kubespray(Kubespray.builder().version(version).build()).build())
        .build();
  }

  private static Host local(String name) {
    return Host.builder()
        .name(name)
        .connection(Connection.builder().type(ConnectionType.LOCAL).build())
        .build();
  }

  private static NodeGroup resolveWorker(NodeDefaults defaults, NodeInstance... instances) {
    return resolve(
            nodes(
                Nodes.builder()
                    .worker(NodeGroup.builder().defaults(defaults).addInstances(instances).build())
                    .build()))
        .cluster()
        .nodes()
        .worker();
  }

  private static ClusterSpec garbage() {
    return ClusterSpec.builder()
        .addHosts(Host.builder().build(), Host.builder().name("x").defaultHost(true).build())
        .cluster(
            Cluster.builder()
                .network(Network.builder().cidr("10.0.0.1/33").build())
                .nodes(
                    Nodes.builder()
                        .master(
                            NodeGroup.builder()
                                .addInstances(
                                    NodeInstance.builder().cpu(-3).build(),
                                    NodeInstance.builder().id("").host("nowhere").build())
                                .build())
                        .loadBalancer(
                            LoadBalancers.builder()
                                .addForwardPorts(ForwardPort.builder().port(0).build())
                                .build())
                        .build())
                .build())
        .kubernetes(Kubernetes.builder().version("latest").build())
        .build();
  }
}
