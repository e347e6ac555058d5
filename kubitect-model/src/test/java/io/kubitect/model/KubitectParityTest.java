package io.kubitect.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Configurations that Kubitect accepts load here too, and mean the same: what Kubitect writes into
 * exported configurations, zero values, older schemas, and every structural problem of a file
 * reported at once.
 */
class KubitectParityTest {

  /**
   * What {@code kubitect export config} prints for the cluster of Kubitect's deployment test
   * (yaml.v3's layout, every default written out, the version without its v, empty pools).
   */
  static final String KUBITECT_EXPORT =
      """
      hosts:
          - name: localhost
            default: true
            connection:
                type: local
                ssh:
                    port: 22
            mainResourcePoolPath: /var/lib/libvirt/images/
      cluster:
          name: k8s
          network:
              cidr: 192.168.113.0/24
              mode: nat
          nodeTemplate:
              user: k8s
              os:
                  distro: ubuntu22
                  networkInterface: ens3
                  source: https://cloud-images.ubuntu.com/releases/jammy/release/ubuntu-22.04-server-cloudimg-amd64.img
              ssh:
                  addToKnownHosts: true
              cpuMode: host-passthrough
              updateOnBoot: true
          nodes:
              master:
                  default:
                      cpu: 2
                      ram: 4
                      mainDiskSize: 32
                  instances:
                      - id: "1"
                        ip: 192.168.113.10
                        cpu: 2
                        ram: 4
                        mainDiskSize: 32
              worker:
                  default:
                      cpu: 2
                      ram: 4
                      mainDiskSize: 32
                  instances:
                      - id: "1"
                        ip: 192.168.113.20
                        cpu: 2
                        ram: 2
                        mainDiskSize: 16
                        dataDisks:
                          - name: rook
                            pool: ""
                            size: 16
              loadBalancer:
                  default:
                      cpu: 2
                      ram: 4
                      mainDiskSize: 32
                  instances:
                      - id: "1"
                        ip: 192.168.113.100
                        cpu: 1
                        ram: 1
                        mainDiskSize: 8
                        priority: 10
      kubernetes:
          version: 1.33.4
          manager: kubespray
          dnsMode: coredns
          networkPlugin: calico
          other:
              autoRenewCertificates: false
              mergeKubeconfig: true
      addons:
          rook:
              enabled: true
              version: ""
              nodeSelector: {}
      """;

  /** Kubitect v2.0.7's documented full example (docs/examples/full-example.md), unchanged. */
  static final String KUBITECT_V2_0 =
      """
      kubitect:
        url: "https://github.com/MusicDin/kubitect" # (1)
        version: "v2.0.7"
      hosts:
        - name: localhost # (3)
          default: true # (4)
          connection:
            type: local # (5)
        - name: remote-server-1
          connection:
            type: remote
            user: myuser # (6)
            ip: 10.10.40.143 # (7)
            ssh:
              port: 1234  # (8)
              verify: false # (9)
              keyfile: "~/.ssh/id_rsa_server1" # (10)
      cluster:
        name: "my-k8s-cluster" # (13)
        network:
          mode: bridge # (14)
          cidr: "10.10.64.0/24" # (15)
          gateway: 10.10.64.1 # (16)
          bridge: br0 # (17)
          dns: # (18)
            - 1.1.1.1
            - 1.0.0.1
        nodeTemplate:
          networkInterface: "ens3" # (19)
          user: "k8s"
          ssh:
            privateKeyPath: "~/.ssh/id_rsa_test"
            addToKnownHosts: true
          image:
            distro: "ubuntu"
            source: "https://cloud-images.ubuntu.com/releases/focal/release-20220111/ubuntu-20.04-server-cloudimg-amd64.img"
          updateOnBoot: true
        nodes:
          loadBalancer:
            vip: "10.10.64.200" # (20)
            instances:
              - id: 1
                ip: 10.10.64.5 # (22)
                host: remote-server-1 # (26)
          master:
            instances:
              - id: 1
                host: remote-server-1
          worker:
            instances:
              - id: 1
                ip: 10.10.64.101
      kubernetes:
        version: "v1.22.6"
        networkPlugin: calico
        dnsMode: coredns
        kubespray:
          url: "https://github.com/kubernetes-sigs/kubespray.git"
          version: "v2.18.1"
        other:
          copyKubeconfig: false
      """;

  // ------------------------------------------------------------------------ Kubitect's exports

  @Test
  void kubitectExportLoadsAndResolvesToTheSameCluster() {
    ClusterSpec spec = KubitectYaml.read(KUBITECT_EXPORT, "export.yaml");

    assertThat(spec.kubernetes().version()).contains("1.33.4");
    DataDisk disk = spec.cluster().nodes().worker().instances().get(0).dataDisks().get(0);
    assertThat(disk.pool()).contains("");
    assertThat(spec.addons().rook().version()).contains("");

    ClusterSpec resolved = spec.resolveDefaults();
    assertThat(resolved.kubernetes().version()).contains("v1.33.4");
    assertThat(resolved.cluster().nodes().worker().instances().get(0).dataDisks())
        .containsExactly(DataDisk.builder().name("rook").pool("main").size(16).build());
    assertThat(resolved.cluster().nodes().master().instances().get(0).id()).contains("1");
  }

  @ParameterizedTest
  @CsvSource({
    "1.33.4, v1.33.4",
    "v1.33.4, v1.33.4",
    "1.31.13, v1.31.13",
    // Not Kubitect's form of a version: left for the validator.
    "1.33, 1.33",
    "latest, latest",
    "V1.33.4, V1.33.4"
  })
  void kubernetesVersionGetsItsVWhenResolved(String written, String resolved) {
    ClusterSpec spec =
        ClusterSpec.builder().kubernetes(Kubernetes.builder().version(written).build()).build();

    assertThat(spec.resolveDefaults().kubernetes().version()).contains(resolved);
    assertThat(SpecDefaults.withV(written)).isEqualTo(resolved);
  }

  @Test
  void cidrWithHostBitsResolvesToItsNetwork() {
    ClusterSpec resolved =
        ClusterSpec.builder()
            .cluster(
                Cluster.builder()
                    .network(Network.builder().cidr("192.168.113.13/24").build())
                    .build())
            .build()
            .resolveDefaults();

    assertThat(resolved.cluster().network().cidr()).contains("192.168.113.0/24");
    assertThat(resolved.cluster().network().gateway()).contains("192.168.113.1");
    assertThat(resolved.cluster().nodeTemplate().dns()).containsExactly("192.168.113.1");
    assertThat(resolved.resolveDefaults()).isEqualTo(resolved);
  }

  @Test
  void emptyPoolIsTheMainPool() {
    ClusterSpec spec =
        KubitectYaml.read(
            """
            cluster:
              nodes:
                worker:
                  default:
                    dataDisks:
                      - {name: logs, pool: "", size: 4}
                  instances:
                    - id: 1
                      dataDisks:
                        - {name: rook, pool: "", size: 16}
            """,
            "pool.yaml");

    assertThat(spec.resolveDefaults().cluster().nodes().worker().instances().get(0).dataDisks())
        .extracting(d -> d.pool().orElseThrow())
        .containsExactly("main", "main");
  }

  // ------------------------------------------------------------------------------ zero values

  @Test
  void zeroSizesTakeTheGroupDefaultOrTheBuiltInOne() {
    ClusterSpec resolved =
        KubitectYaml.read(
                """
                cluster:
                  nodes:
                    loadBalancer:
                      virtualRouterId: 0
                      default: {cpu: 0, ram: 3, mainDiskSize: 0}
                      instances:
                        - {id: 1, cpu: 0, ram: 0, mainDiskSize: 0, priority: 0}
                      forwardPorts:
                        - {name: https, port: 443, targetPort: 0}
                    master:
                      default: {cpu: 0, ram: 8}
                      instances:
                        - {id: 1, cpu: 0, ram: 0, mainDiskSize: 0}
                    worker:
                      instances:
                        - {id: 1, cpu: -1}
                hosts:
                  - name: h
                    connection: {type: remote, ip: 10.0.0.5, user: u, ssh: {keyfile: k, port: 0}}
                """,
                "zero.yaml")
            .resolveDefaults();

    LoadBalancers lb = resolved.cluster().nodes().loadBalancer();
    assertThat(lb.virtualRouterId()).contains(SpecDefaults.VIRTUAL_ROUTER_ID);
    assertThat(lb.defaults().cpu()).contains(SpecDefaults.CPU);
    assertThat(lb.defaults().mainDiskSize()).contains(SpecDefaults.MAIN_DISK_GIB);
    LoadBalancerInstance lbInstance = lb.instances().get(0);
    assertThat(lbInstance.cpu()).contains(SpecDefaults.CPU);
    assertThat(lbInstance.ram()).contains(3);
    assertThat(lbInstance.mainDiskSize()).contains(SpecDefaults.MAIN_DISK_GIB);
    assertThat(lbInstance.priority()).contains(SpecDefaults.PRIORITY);
    assertThat(lb.forwardPorts().get(0).targetPort()).contains(443);
    NodeInstance master = resolved.cluster().nodes().master().instances().get(0);
    assertThat(master.cpu()).contains(SpecDefaults.CPU);
    assertThat(master.ram()).contains(8);
    assertThat(master.mainDiskSize()).contains(SpecDefaults.MAIN_DISK_GIB);
    // Below zero is no "not set": left for the validator.
    assertThat(resolved.cluster().nodes().worker().instances().get(0).cpu()).contains(-1);
    assertThat(resolved.hosts().get(0).connection().ssh().port()).contains(SpecDefaults.SSH_PORT);
    assertThat(resolved.resolveDefaults()).isEqualTo(resolved);
  }

  // ----------------------------------------------------------------------------- instance name

  @Test
  void instanceNamesAreReadCarriedAndWrittenBack() {
    String yaml =
        """
        cluster:
          name: demo
          nodes:
            loadBalancer:
              instances:
                - {id: 1, name: edge}
            master:
              instances:
                - {id: 1, name: demo-master-1}
            worker:
              instances:
                - {id: 1, name: ""}
        """;

    ClusterSpec spec = KubitectYaml.read(yaml, "names.yaml");

    assertThat(spec.cluster().nodes().loadBalancer().instances().get(0).name()).contains("edge");
    assertThat(spec.cluster().nodes().master().instances().get(0).name()).contains("demo-master-1");
    assertThat(spec.cluster().nodes().worker().instances().get(0).name()).contains("");
    assertThat(KubitectYaml.read(KubitectYaml.write(spec), "again")).isEqualTo(spec);
    ClusterSpec resolved = spec.resolveDefaults();
    assertThat(resolved.cluster().nodes().loadBalancer().instances().get(0).name())
        .contains("edge");
    assertThat(KubitectYaml.read(KubitectYaml.write(resolved), "resolved")).isEqualTo(resolved);
  }

  // ------------------------------------------------------------------------------ older schemas

  @Test
  void kubitectV2ExampleLoadsAndMovesToTheCurrentSchema() {
    ClusterSpec spec = KubitectYaml.read(KUBITECT_V2_0, "v2.yaml");

    assertThat(spec.kubitect().url()).contains("https://github.com/MusicDin/kubitect");
    assertThat(spec.kubitect().version()).contains("v2.0.7");
    assertThat(spec.cluster().network().dns()).containsExactly("1.1.1.1", "1.0.0.1");
    assertThat(spec.cluster().nodeTemplate().networkInterface()).contains("ens3");
    assertThat(spec.cluster().nodeTemplate().image().distro()).contains("ubuntu");
    assertThat(spec.kubernetes().other().copyKubeconfig()).contains(false);

    ClusterSpec resolved = spec.resolveDefaults();
    NodeTemplate template = resolved.cluster().nodeTemplate();
    assertThat(template.dns()).containsExactly("1.1.1.1", "1.0.0.1");
    assertThat(template.os().distro()).contains(Distro.UBUNTU22);
    assertThat(template.os().source())
        .contains(
            "https://cloud-images.ubuntu.com/releases/focal/release-20220111/"
                + "ubuntu-20.04-server-cloudimg-amd64.img");
    assertThat(template.os().networkInterface()).contains("ens3");
    // Moved, so the resolved specification is in today's schema.
    assertThat(template.networkInterface()).isEmpty();
    assertThat(template.image()).isEqualTo(LegacyImage.builder().build());
    assertThat(resolved.cluster().network().dns()).isEmpty();
    assertThat(resolved.kubitect()).isEqualTo(KubitectProject.builder().build());
    assertThat(resolved.kubernetes().other().copyKubeconfig()).isEmpty();
    assertThat(resolved.kubernetes().other().mergeKubeconfig()).contains(false);
    assertThat(KubitectYaml.write(resolved)).doesNotContain("image:", "kubitect:", "copyKube");
    assertThat(resolved.resolveDefaults()).isEqualTo(resolved);
  }

  @ParameterizedTest
  @CsvSource({
    // v2.0 named the NIC ens3 for ubuntu and eth0 for anything else.
    "ubuntu, ubuntu22, ens3",
    "debian, debian11, eth0",
    "centos, centos9, eth0",
    "N/A, ubuntu22, eth0"
  })
  void v2ImageDistroMeansWhatItMeantThen(String written, String distro, String nic) {
    ClusterSpec spec =
        KubitectYaml.read(
            "cluster:\n  nodeTemplate:\n    image:\n      distro: \""
                + written
                + "\"\n      source: /images/node.qcow2\n",
            "image.yaml");

    OperatingSystem os = spec.resolveDefaults().cluster().nodeTemplate().os();

    assertThat(os.distro()).map(String::valueOf).contains(distro);
    assertThat(os.networkInterface()).contains(nic);
    assertThat(os.source()).contains("/images/node.qcow2");
  }

  @Test
  void currentKeysWinOverOlderOnes() {
    ClusterSpec spec =
        KubitectYaml.read(
            """
            cluster:
              network:
                dns: [1.1.1.1]
              nodeTemplate:
                dns: [9.9.9.9]
                networkInterface: eth5
                image: {distro: debian, source: /old.qcow2}
                os: {distro: rocky9, source: /new.qcow2, networkInterface: eth1}
            kubernetes:
              other: {copyKubeconfig: true, mergeKubeconfig: false}
            """,
            "both.yaml");

    ClusterSpec resolved = spec.resolveDefaults();

    NodeTemplate template = resolved.cluster().nodeTemplate();
    assertThat(template.dns()).containsExactly("9.9.9.9");
    assertThat(template.os())
        .isEqualTo(
            OperatingSystem.builder()
                .distro(Distro.ROCKY9)
                .source("/new.qcow2")
                .networkInterface("eth1")
                .build());
    assertThat(resolved.kubernetes().other().mergeKubeconfig()).contains(false);
  }

  @Test
  void copyKubeconfigTrueMeansMerge() {
    ClusterSpec spec =
        KubitectYaml.read("kubernetes:\n  other:\n    copyKubeconfig: true\n", "v3.yaml");

    assertThat(spec.resolveDefaults().kubernetes().other().mergeKubeconfig()).contains(true);
  }

  @ParameterizedTest
  @CsvSource({"ubuntu, ubuntu22", "debian, debian11", "centos, centos9", "rocky, rocky9"})
  void olderDistroSpellingsMeanWhatTheyMeantThen(String written, String preset) {
    ClusterSpec spec =
        KubitectYaml.read("cluster:\n  nodeTemplate:\n    os:\n      distro: " + written, "os");

    assertThat(spec.cluster().nodeTemplate().os().distro().orElseThrow().isLegacyAlias()).isTrue();
    assertThat(spec.resolveDefaults().cluster().nodeTemplate().os().distro())
        .map(String::valueOf)
        .contains(preset);
  }

  // ------------------------------------------------------------------ hostile input, new keys

  static Stream<Arguments> wrongTypes() {
    return Stream.of(
        Arguments.of(
            "cluster:\n  nodes:\n    worker:\n      instances:\n        - {id: 1, name: [a]}",
            "cluster.nodes.worker.instances[0].name",
            "a list is not a text value"),
        Arguments.of(
            "cluster:\n  nodes:\n    loadBalancer:\n      instances:\n"
                + "        - {id: 1, name: {a: b}}",
            "cluster.nodes.loadBalancer.instances[0].name",
            "a mapping is not a text value"),
        Arguments.of("kubitect: 5", "kubitect", "'5' is not a mapping"),
        Arguments.of("kubitect: {url: [x]}", "kubitect.url", "a list is not a text value"),
        Arguments.of(
            "kubitect: {versions: v2}",
            "kubitect.versions",
            "unknown key 'versions'; allowed keys here: url, version"),
        Arguments.of(
            "cluster:\n  network:\n    dns: 1.1.1.1",
            "cluster.network.dns",
            "'1.1.1.1' is not a list"),
        Arguments.of(
            "cluster:\n  network:\n    dns: [~]",
            "cluster.network.dns[0]",
            "a value is missing here (null is not allowed)"),
        Arguments.of(
            "cluster:\n  nodeTemplate:\n    networkInterface: [eth0]",
            "cluster.nodeTemplate.networkInterface",
            "a list is not a text value"),
        Arguments.of(
            "cluster:\n  nodeTemplate:\n    image: ubuntu",
            "cluster.nodeTemplate.image",
            "'ubuntu' is not a mapping"),
        Arguments.of(
            "cluster:\n  nodeTemplate:\n    image: {distro: [ubuntu]}",
            "cluster.nodeTemplate.image.distro",
            "a list is not a text value"),
        Arguments.of(
            "cluster:\n  nodeTemplate:\n    image: {name: ubuntu}",
            "cluster.nodeTemplate.image.name",
            "unknown key 'name'; allowed keys here: distro, source"),
        Arguments.of(
            "kubernetes:\n  other:\n    copyKubeconfig: \"yes\"",
            "kubernetes.other.copyKubeconfig",
            "'yes' (quoted, so text) is not true or false"),
        Arguments.of(
            "kubernetes:\n  other:\n    copyKubeconfig: 1",
            "kubernetes.other.copyKubeconfig",
            "'1' is not true or false"));
  }

  @ParameterizedTest
  @MethodSource("wrongTypes")
  void newKeysOfTheWrongTypeAreRefused(String yaml, String path, String problem) {
    SpecFormatException e =
        assertThrows(SpecFormatException.class, () -> KubitectYaml.read(yaml, "bad.yaml"));

    assertThat(e.path()).isEqualTo(path);
    assertThat(e.problem()).isEqualTo(problem);
  }

  @Test
  void newKeysMayBeEmpty() {
    ClusterSpec spec =
        KubitectYaml.read(
            """
            kubitect: {url: "", version: ""}
            cluster:
              network: {dns: []}
              nodeTemplate:
                networkInterface: ""
                image: {distro: "", source: ""}
              nodes:
                worker:
                  instances:
                    - {id: 1, name: ""}
            kubernetes:
              other: {copyKubeconfig: ~}
            """,
            "empty.yaml");

    assertThat(spec.kubitect().url()).contains("");
    assertThat(spec.cluster().network().dns()).isEmpty();
    assertThat(spec.cluster().nodeTemplate().networkInterface()).contains("");
    assertThat(spec.cluster().nodeTemplate().image().distro()).contains("");
    assertThat(spec.kubernetes().other().copyKubeconfig()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "kubitect:\n  url: %s\n",
        "cluster:\n  nodeTemplate:\n    image:\n      distro: %s\n",
        "cluster:\n  nodes:\n    master:\n      instances:\n        - id: 1\n          name: %s\n"
      })
  void hugeValuesOfNewKeysStayWithinTheLimits(String template) {
    String fits = "x".repeat(KubitectYaml.MAX_SCALAR_CHARS - 100);
    String tooLong = "x".repeat(KubitectYaml.MAX_SCALAR_CHARS + 1);

    KubitectYaml.read(String.format(template, fits), "fits.yaml");
    SpecFormatException e =
        assertThrows(
            SpecFormatException.class,
            () -> KubitectYaml.read(String.format(template, tooLong), "huge.yaml"));

    assertThat(e.problem()).contains("at most " + KubitectYaml.MAX_SCALAR_CHARS);
    assertThat(e.getMessage()).hasSizeLessThan(300);
  }

  // ------------------------------------------------------------------- every problem at once

  @Test
  void everyStructuralProblemIsReportedAtOnce() {
    String yaml =
        """
        cluster:
          nmae: typo
          name: demo
          name: again
          nodes:
            worker:
              instances:
                - id: 1
                  cpu: four
                  ram: "8"
                  cpus: 4
                  labels: {a: [1], b: ok}
                  taints: [a=b:NoSchedule, [x]]
                -
                - 5
        kubernetes:
          networkPlugin: weave
          other:
            copyKubeconfig: maybe
        addons:
          kubespray:
            a: ~
        """;

    SpecFormatException e =
        assertThrows(SpecFormatException.class, () -> KubitectYaml.read(yaml, "many.yaml"));

    assertThat(e.problems())
        .extracting(p -> p.line() + ":" + p.column() + " " + p.path())
        .containsExactly(
            "2:3 cluster.nmae",
            "4:3 cluster.name",
            "9:16 cluster.nodes.worker.instances[0].cpu",
            "10:16 cluster.nodes.worker.instances[0].ram",
            "11:11 cluster.nodes.worker.instances[0].cpus",
            "12:23 cluster.nodes.worker.instances[0].labels.a",
            "13:36 cluster.nodes.worker.instances[0].taints[1]",
            "14:10 cluster.nodes.worker.instances[1]",
            "15:11 cluster.nodes.worker.instances[2]",
            "17:18 kubernetes.networkPlugin",
            "19:21 kubernetes.other.copyKubeconfig",
            "22:8 addons.kubespray.a");
    assertThat(e.problems())
        .extracting(SpecFormatException.Problem::problem)
        .contains(
            "unknown key 'nmae'; allowed keys here: name, network, nodeTemplate, nodes",
            "duplicate key 'name'; a key may appear only once in a mapping",
            "'four' is not a whole number",
            "'weave' is not allowed; use one of: calico, cilium, flannel, kube-router");
    // One line per problem, each as a single problem would be reported.
    List<String> lines = String.valueOf(e.getMessage()).lines().toList();
    assertThat(lines).hasSize(e.problems().size());
    assertThat(lines.get(0))
        .isEqualTo(
            "many.yaml:2:3: cluster.nmae: unknown key 'nmae'; allowed keys here: name, network,"
                + " nodeTemplate, nodes");
    assertThat(e.path()).isEqualTo("cluster.nmae");
    assertThat(e.hasUnlistedProblems()).isFalse();
  }

  @Test
  void problemsBeforeAFatalOneAreKept() {
    String yaml = "cluster:\n  name: a\n  name: b\n  network:\n    bridge: *x\n";

    SpecFormatException e =
        assertThrows(SpecFormatException.class, () -> KubitectYaml.read(yaml, "fatal.yaml"));

    assertThat(e.problems())
        .extracting(SpecFormatException.Problem::problem)
        .containsExactly(
            "duplicate key 'name'; a key may appear only once in a mapping",
            "YAML aliases (*name) are not supported; write the value out");
  }

  @Test
  void atMostMaxProblemsAreListed() {
    StringBuilder yaml = new StringBuilder("cluster:\n");
    for (int i = 0; i < 150; i++) {
      yaml.append("  bad").append(i).append(": x\n");
    }

    SpecFormatException e =
        assertThrows(
            SpecFormatException.class, () -> KubitectYaml.read(yaml.toString(), "many.yaml"));

    assertThat(e.problems()).hasSize(SpecFormatException.MAX_PROBLEMS);
    assertThat(e.hasUnlistedProblems()).isTrue();
    List<String> lines = String.valueOf(e.getMessage()).lines().toList();
    assertThat(lines).hasSize(SpecFormatException.MAX_PROBLEMS + 1);
    assertThat(lines.get(lines.size() - 1))
        .isEqualTo("many.yaml: further problems are not listed; at most 100 are");
  }

  @Test
  void manyProblemsInALargeFileAreFoundQuickly() {
    StringBuilder yaml = new StringBuilder("hosts:\n");
    while (yaml.length() < KubitectYaml.MAX_CONFIG_BYTES - 100) {
      yaml.append("  - {name: h, bogus: 1}\n");
    }

    SpecFormatException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(10),
            () ->
                assertThrows(
                    SpecFormatException.class,
                    () -> KubitectYaml.read(yaml.toString(), "large.yaml")));

    assertThat(e.problems()).hasSize(SpecFormatException.MAX_PROBLEMS);
  }

  @Test
  void oneProblemIsOneLineAsBefore() {
    SpecFormatException e =
        assertThrows(
            SpecFormatException.class,
            () -> KubitectYaml.read("cluster:\n  nmae: x\n", "one.yaml"));

    assertThat(e.problems()).hasSize(1);
    assertThat(e.getMessage())
        .isEqualTo(
            "one.yaml:2:3: cluster.nmae: unknown key 'nmae'; allowed keys here: name, network,"
                + " nodeTemplate, nodes");
  }

  @Test
  void longPathsAreShortenedInTheMessageOnly() {
    String key = "k".repeat(1000);
    String yaml = "addons:\n  kubespray:\n    " + key + ": ~\n";

    SpecFormatException e =
        assertThrows(SpecFormatException.class, () -> KubitectYaml.read(yaml, "long.yaml"));

    assertThat(e.path()).isEqualTo("addons.kubespray." + key);
    assertThat(e.getMessage()).hasSizeLessThan(400).contains("...");
  }
}
