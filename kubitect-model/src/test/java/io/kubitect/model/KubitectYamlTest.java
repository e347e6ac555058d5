package io.kubitect.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class KubitectYamlTest {

  /**
   * Keys the current-schema full example leaves out on purpose: those of older schemas, and
   * Kubitect's instance name, which has no effect.
   */
  private static final Set<String> OLDER_SCHEMA_KEYS =
      Set.of(
          "kubernetes.kubespray",
          "kubernetes.kubespray.url",
          "kubernetes.kubespray.version",
          "kubernetes.other.copyKubeconfig",
          "kubitect",
          "kubitect.url",
          "kubitect.version",
          "cluster.network.dns",
          "cluster.nodeTemplate.networkInterface",
          "cluster.nodeTemplate.image",
          "cluster.nodeTemplate.image.distro",
          "cluster.nodeTemplate.image.source",
          "cluster.nodes.loadBalancer.instances[].name",
          "cluster.nodes.master.instances[].name",
          "cluster.nodes.worker.instances[].name");

  // ---------------------------------------------------------------- examples load and round-trip

  static Stream<String> examples() {
    return Examples.all();
  }

  @Test
  void everyDocumentedExampleIsInTheExamplesDirectory() {
    assertThat(Examples.all()).containsAll(Examples.DOCUMENTED);
  }

  @ParameterizedTest
  @MethodSource("examples")
  void exampleLoads(String name) {
    ClusterSpec spec = Examples.read(name);

    assertThat(spec.hosts()).isNotEmpty();
    assertThat(spec.cluster().name()).isPresent();
    assertThat(spec.cluster().network().cidr()).isPresent();
    assertThat(spec.cluster().nodes().master().instances()).isNotEmpty();
    assertThat(spec.kubernetes().version()).isPresent();
  }

  @ParameterizedTest
  @MethodSource("examples")
  void exampleRoundTripIsLossless(String name) {
    ClusterSpec spec = Examples.read(name);

    String written = KubitectYaml.write(spec);
    ClusterSpec again = KubitectYaml.read(written, name + " (written)");

    assertThat(again).isEqualTo(spec);
    assertThat(KubitectYaml.write(again)).isEqualTo(written);
  }

  @ParameterizedTest
  @MethodSource("examples")
  void resolvedExampleRoundTripIsLossless(String name) {
    ClusterSpec resolved = Examples.read(name).resolveDefaults();

    ClusterSpec again = KubitectYaml.read(KubitectYaml.write(resolved), name + " (resolved)");

    assertThat(again).isEqualTo(resolved);
  }

  @Test
  void seedConfigurationLoadsUnchangedWithTheOlderSchema() {
    ClusterSpec spec = Examples.read("ha.yaml");

    assertThat(spec.hosts())
        .extracting(h -> h.name().orElseThrow())
        .containsExactly("host1", "host2", "host3", "host4", "host5");
    assertThat(spec.hosts().get(0).connection().type()).contains(ConnectionType.REMOTE);
    assertThat(spec.hosts().get(0).connection().ssh().keyfile()).contains("~/.ssh/id_rsa_ha");
    assertThat(spec.hosts().get(2).dataResourcePools())
        .containsExactly(
            DataResourcePool.builder().name("data-pool").path("/mnt/libvirt/pools/").build());
    Cluster cluster = spec.cluster();
    assertThat(cluster.name()).contains("kubitect-ha");
    assertThat(cluster.network().mode()).contains(NetworkMode.BRIDGE);
    assertThat(cluster.network().cidr()).contains("10.10.0.0/20");
    assertThat(cluster.network().bridge()).contains("br0");
    assertThat(cluster.nodeTemplate().os().distro()).contains(Distro.UBUNTU);
    assertThat(cluster.nodeTemplate().ssh().addToKnownHosts()).contains(true);
    assertThat(cluster.nodes().loadBalancer().vip()).contains("10.10.13.200");
    assertThat(cluster.nodes().loadBalancer().instances())
        .extracting(i -> i.id().orElseThrow())
        .containsExactly("1", "2");
    assertThat(cluster.nodes().master().instances()).hasSize(3);
    NodeInstance worker = cluster.nodes().worker().instances().get(0);
    assertThat(worker.host()).contains("host3");
    assertThat(worker.dataDisks())
        .containsExactly(DataDisk.builder().name("rook").pool("data-pool").size(512).build());
    assertThat(spec.kubernetes().version()).contains("v1.23.7");
    assertThat(spec.kubernetes().kubespray().version()).contains("v2.19.0");
    assertThat(spec.kubernetes().kubespray().url()).isEmpty();
  }

  @Test
  void fullExampleUsesEveryKeyOfTheCurrentSchema() throws IOException {
    Set<String> schema = schemaPaths();
    Set<String> used = documentPaths(Files.readString(Examples.file("full-example.yaml")));

    Set<String> missing = new TreeSet<>(schema);
    missing.removeAll(used);
    missing.removeAll(OLDER_SCHEMA_KEYS);

    assertThat(missing).as("schema keys the full example does not use").isEmpty();
  }

  @Test
  void schemaIntrospectionSeesTheWholeModel() {
    // Guards the test above: the introspected key set must contain keys from every section.
    assertThat(schemaPaths())
        .contains(
            "hosts[].default",
            "hosts[].connection.ssh.verify",
            "hosts[].dataResourcePools[].path",
            "cluster.nodeTemplate.os.networkInterface",
            "cluster.nodes.loadBalancer.default.mainDiskSize",
            "cluster.nodes.loadBalancer.instances[].priority",
            "cluster.nodes.master.default.dataDisks[].pool",
            "cluster.nodes.worker.instances[].taints",
            "kubernetes.kubespray.url",
            "kubernetes.other.mergeKubeconfig",
            "addons.kubespray",
            "addons.rook.nodeSelector")
        .hasSizeGreaterThan(70);
  }

  // ------------------------------------------------------------------- builder and round trips

  @Test
  void builderSpecRoundTripIsLossless() {
    ClusterSpec spec = everyKeySpec();

    ClusterSpec again = KubitectYaml.read(KubitectYaml.write(spec), "builder");

    assertThat(again).isEqualTo(spec);
    assertThat(KubitectYaml.read(KubitectYaml.write(spec.resolveDefaults()), "resolved"))
        .isEqualTo(spec.resolveDefaults());
  }

  @Test
  void builderSpecSetsEveryKeyOfTheSchema() {
    Set<String> missing = new TreeSet<>(schemaPaths());
    missing.removeAll(documentPaths(KubitectYaml.write(everyKeySpec())));

    assertThat(missing).isEmpty();
  }

  @Test
  void emptySpecRoundTrips() {
    ClusterSpec empty = ClusterSpec.builder().build();

    assertThat(KubitectYaml.read(KubitectYaml.write(empty), "empty")).isEqualTo(empty);
  }

  @Test
  void writeLeavesOutUnsetValues() {
    ClusterSpec spec =
        ClusterSpec.builder()
            .cluster(Cluster.builder().name("demo").build())
            .kubernetes(Kubernetes.builder().version("v1.33.4").build())
            .build();

    assertThat(KubitectYaml.write(spec))
        .isEqualTo("cluster:\n  name: demo\nkubernetes:\n  version: v1.33.4\n");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "plain",
        "yes",
        "No",
        "on",
        "off",
        "true",
        "FALSE",
        "null",
        "~",
        "1",
        "-1",
        "007",
        "1.5",
        ".5",
        "1e3",
        "0x10",
        "1_000",
        ".inf",
        "-.NaN",
        "52:54:00:00:00:10",
        "12:30",
        "2001-12-14",
        "a: b",
        "a #b",
        "#comment",
        "- item",
        "*alias",
        "&anchor",
        "!tag",
        "%directive",
        "@at",
        "`tick",
        "{braces}",
        "[brackets]",
        "'single'",
        "\"double\"",
        " leading",
        "trailing ",
        "two\nlines",
        "tab\there",
        "ünïcödé",
        "~/.ssh/id_rsa",
        "https://example.com/a?b=c#d"
      })
  void textValuesStayTextThroughARoundTrip(String text) {
    ClusterSpec spec =
        ClusterSpec.builder()
            .cluster(
                Cluster.builder()
                    .name(text)
                    .nodes(
                        Nodes.builder()
                            .worker(
                                NodeGroup.builder()
                                    .addInstance(
                                        NodeInstance.builder()
                                            .id(text)
                                            .putLabel("key", text)
                                            .addTaint(text)
                                            .build())
                                    .build())
                            .build())
                    .build())
            .addons(Addons.builder().putKubespray("text", text).build())
            .build();

    ClusterSpec again = KubitectYaml.read(KubitectYaml.write(spec), "text");

    assertThat(again).isEqualTo(spec);
    assertThat(again.addons().kubespray().get("text")).isEqualTo(text);
  }

  @Test
  void kubesprayVariablesPassThroughUnchanged() {
    Map<String, Object> nested = Map.of("inner", List.of(1, "two", true), "empty", Map.of());
    ClusterSpec spec =
        ClusterSpec.builder()
            .addons(
                Addons.builder()
                    .putKubespray("flag", true)
                    .putKubespray("count", 3)
                    .putKubespray("big", 12_345_678_901L)
                    .putKubespray("ratio", 0.5)
                    .putKubespray("numberText", "128")
                    .putKubespray("boolText", "true")
                    .putKubespray("emptyList", List.of())
                    .putKubespray("emptyMap", Map.of())
                    .putKubespray("list", List.of("a", "b"))
                    .putKubespray("nested", nested)
                    .build())
            .build();

    ClusterSpec again = KubitectYaml.read(KubitectYaml.write(spec), "kubespray");

    assertThat(again).isEqualTo(spec);
  }

  @Test
  void macAddressesAreQuotedForYaml11Readers() {
    ClusterSpec spec =
        ClusterSpec.builder()
            .cluster(
                Cluster.builder()
                    .nodes(
                        Nodes.builder()
                            .master(
                                NodeGroup.builder()
                                    .addInstance(
                                        NodeInstance.builder()
                                            .id("1")
                                            .mac("52:54:00:00:00:10")
                                            .build())
                                    .build())
                            .build())
                    .build())
            .build();

    assertThat(KubitectYaml.write(spec)).contains("mac: \"52:54:00:00:00:10\"");
  }

  // ------------------------------------------------------------------------ lenient where Go is

  @Test
  void keyWithoutValueIsAbsent() {
    ClusterSpec spec =
        KubitectYaml.read(
            """
            hosts:
            cluster:
              name:
              network:
              nodes:
                master:
                  instances:
                    - id: 1
                      cpu: ~
            kubernetes:
            addons:
            """,
            "nulls.yaml");

    assertThat(spec.hosts()).isEmpty();
    assertThat(spec.cluster().name()).isEmpty();
    assertThat(spec.cluster().network()).isEqualTo(Network.builder().build());
    assertThat(spec.cluster().nodes().master().instances().get(0).cpu()).isEmpty();
  }

  @Test
  void labelWithoutValueIsEmptyText() {
    ClusterSpec spec =
        KubitectYaml.read(
            """
            cluster:
              nodes:
                worker:
                  default:
                    labels:
                      node-role.kubernetes.io/node:
                      rook: false
            """,
            "labels.yaml");

    assertThat(spec.cluster().nodes().worker().defaults().labels())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("node-role.kubernetes.io/node", "", "rook", "false"));
  }

  @Test
  void scalarsAreReadLikeKubitectReadsThem() {
    ClusterSpec spec =
        KubitectYaml.read(
            """
            ---
            hosts:
              - name: 12
                default: yes
            cluster:
              nodes:
                master:
                  instances:
                    - id: 1
                      ip: 10.0.0.1
            ...
            """,
            "scalars.yaml");

    assertThat(spec.hosts().get(0).name()).contains("12");
    assertThat(spec.hosts().get(0).defaultHost()).contains(true);
    assertThat(spec.cluster().nodes().master().instances().get(0).id()).contains("1");
  }

  @Test
  void trailingEmptyDocumentIsIgnored() {
    ClusterSpec spec = KubitectYaml.read("cluster:\n  name: a\n---\n", "trailing.yaml");

    assertThat(spec.cluster().name()).contains("a");
  }

  // ------------------------------------------------------------------------------- rejections

  static Stream<Arguments> rejected() {
    return Stream.of(
        Arguments.of(
            "unknown key",
            "cluster:\n  name: demo\n  nmae: typo\n",
            "cluster.nmae",
            3,
            3,
            "unknown key 'nmae'; allowed keys here: name, network, nodeTemplate, nodes"),
        Arguments.of(
            "unknown key in a list element",
            """
            cluster:
              nodes:
                master:
                  instances:
                    - id: 1
                    - id: 2
                      cpus: 4
            """,
            "cluster.nodes.master.instances[1].cpus",
            7,
            11,
            "unknown key 'cpus'; allowed keys here: cpu, dataDisks, host, id, ip, labels, mac,"
                + " mainDiskSize, name, ram, taints"),
        Arguments.of(
            "unknown top-level key",
            "hosts: []\nkubitect:\n  version: v2.1.0\nkubitek: {}\n",
            "kubitek",
            4,
            1,
            "unknown key 'kubitek'; allowed keys here: addons, cluster, hosts, kubernetes,"
                + " kubitect"),
        Arguments.of(
            "duplicate key",
            "cluster:\n  name: a\n  name: b\n",
            "cluster.name",
            3,
            3,
            "duplicate key 'name'; a key may appear only once in a mapping"),
        Arguments.of(
            "duplicate top-level key",
            "cluster:\n  name: a\ncluster:\n  name: b\n",
            "cluster",
            3,
            1,
            "duplicate key 'cluster'; a key may appear only once in a mapping"),
        Arguments.of(
            "duplicate key in a list element",
            """
            cluster:
              nodes:
                master:
                  instances:
                    - id: 1
                      cpu: 2
                      cpu: 3
            """,
            "cluster.nodes.master.instances[0].cpu",
            7,
            11,
            "duplicate key 'cpu'; a key may appear only once in a mapping"),
        Arguments.of(
            "string where a number goes",
            """
            cluster:
              nodes:
                master:
                  instances:
                    - id: 1
                    - id: 2
                      cpu: four
            """,
            "cluster.nodes.master.instances[1].cpu",
            7,
            16,
            "'four' is not a whole number"),
        Arguments.of(
            "quoted number",
            "cluster:\n  nodes:\n    master:\n      instances:\n        - id: 1\n          ram: \"8\"\n",
            "cluster.nodes.master.instances[0].ram",
            6,
            16,
            "'8' (quoted, so text) is not a whole number"),
        Arguments.of(
            "fraction where a whole number goes",
            """
            cluster:
              nodes:
                loadBalancer:
                  forwardPorts:
                    - name: http
                      port: 80.5
            """,
            "cluster.nodes.loadBalancer.forwardPorts[0].port",
            6,
            17,
            "'80.5' is not a whole number"),
        Arguments.of(
            "number out of range",
            "cluster:\n  nodes:\n    worker:\n      default:\n        mainDiskSize: 99999999999\n",
            "cluster.nodes.worker.default.mainDiskSize",
            5,
            23,
            "'99999999999' is out of range for a whole number (at most 2147483647)"),
        Arguments.of(
            "number too large for a float",
            "addons:\n  kubespray:\n    big: 1e400\n",
            "addons.kubespray.big",
            3,
            10,
            "'1e400' is not a finite number (too large, infinite or NaN)"),
        Arguments.of(
            "infinity",
            "addons:\n  kubespray:\n    big: -.inf\n",
            "addons.kubespray.big",
            3,
            10,
            "'-.inf' is not a finite number (too large, infinite or NaN)"),
        Arguments.of(
            "number where true or false goes",
            "hosts:\n  - name: a\n    default: 1\n",
            "hosts[0].default",
            3,
            14,
            "'1' is not true or false"),
        Arguments.of(
            "quoted boolean",
            "cluster:\n  nodeTemplate:\n    updateOnBoot: \"true\"\n",
            "cluster.nodeTemplate.updateOnBoot",
            3,
            19,
            "'true' (quoted, so text) is not true or false"),
        Arguments.of(
            "mapping where a list goes",
            "hosts:\n  name: localhost\n",
            "hosts",
            2,
            3,
            "a mapping is not a list"),
        Arguments.of(
            "text where a list goes",
            "cluster:\n  nodeTemplate:\n    dns: 1.1.1.1\n",
            "cluster.nodeTemplate.dns",
            3,
            10,
            "'1.1.1.1' is not a list"),
        Arguments.of(
            "list where a mapping goes",
            """
            cluster:
              nodes:
                master:
                  instances:
                    - id: 1
                      labels: [a, b]
            """,
            "cluster.nodes.master.instances[0].labels",
            6,
            19,
            "a list is not a mapping"),
        Arguments.of(
            "mapping where text goes",
            "cluster:\n  name:\n    first: a\n",
            "cluster.name",
            3,
            5,
            "a mapping is not a text value"),
        Arguments.of(
            "bad enum value",
            "cluster:\n  network:\n    mode: wrong\n",
            "cluster.network.mode",
            3,
            11,
            "'wrong' is not allowed; use one of: nat, route, bridge"),
        Arguments.of(
            "enum given as a number",
            "kubernetes:\n  networkPlugin: 3\n",
            "kubernetes.networkPlugin",
            2,
            18,
            "'3' is not allowed; use one of: calico, cilium, flannel, kube-router"),
        Arguments.of(
            "unknown distro",
            "cluster:\n  nodeTemplate:\n    os:\n      distro: ubuntu24\n",
            "cluster.nodeTemplate.os.distro",
            4,
            15,
            "'ubuntu24' is not allowed; use one of: ubuntu20, ubuntu22, debian11, debian12,"
                + " debian13, centos9, rocky9, ubuntu, debian, centos, rocky"),
        Arguments.of(
            "empty list element",
            "hosts:\n  -\n",
            "hosts[0]",
            2,
            4,
            "a value is missing here (null is not allowed)"),
        Arguments.of(
            "empty Kubespray variable",
            "addons:\n  kubespray:\n    helm_enabled: ~\n",
            "addons.kubespray.helm_enabled",
            3,
            19,
            "a value is missing here (null is not allowed)"),
        Arguments.of(
            "top level is a list",
            "- hosts\n- cluster\n",
            "",
            1,
            1,
            "expected a mapping with the sections hosts, cluster, kubernetes and addons"),
        Arguments.of(
            "top level is text",
            "kubitect\n",
            "",
            1,
            1,
            "expected a mapping with the sections hosts, cluster, kubernetes and addons"),
        Arguments.of(
            "bad indentation (key indented too far)",
            "cluster:\n  name: a\n   network: b\n",
            "",
            3,
            11,
            "malformed YAML: mapping values are not allowed here"),
        Arguments.of(
            "bad indentation (key between two levels)",
            "cluster:\n  network:\n    mode: nat\n   cidr: 10.0.0.0/24\n",
            "",
            4,
            4,
            "malformed YAML: expected <block end>, but found '<block mapping start>' (while"
                + " parsing a block mapping that starts at line 2, column 3)"),
        Arguments.of(
            "unclosed quote",
            "cluster:\n  name: \"demo\n  network:\n    mode: nat\n",
            "",
            5,
            1,
            "malformed YAML: found unexpected end of stream (while scanning a quoted scalar"
                + " that starts at line 2, column 9)"),
        Arguments.of(
            "unclosed flow list",
            "cluster:\n  nodeTemplate:\n    dns: [1.1.1.1, 8.8.8.8\n",
            "",
            4,
            1,
            "malformed YAML: expected ',' or ']', but got <stream end> (while parsing a flow"
                + " sequence that starts at line 3, column 10)"),
        Arguments.of(
            "tab indentation",
            "cluster:\n\tname: a\n",
            "",
            2,
            1,
            "malformed YAML: found character '\\t(TAB)' that cannot start any token. (Do not use"
                + " \\t(TAB) for indentation) (while scanning for the next token)"),
        Arguments.of(
            "alias",
            "cluster:\n  name: &n demo\n  network:\n    bridge: *n\n",
            "cluster.network.bridge",
            4,
            13,
            "YAML aliases (*name) are not supported; write the value out"),
        Arguments.of(
            "list as a key",
            "cluster:\n  [a, b]: c\n",
            "cluster",
            2,
            3,
            "a key must be plain text, not a list or mapping"),
        Arguments.of(
            "mapping as a key",
            "addons:\n  kubespray:\n    ? {a: b}\n    : c\n",
            "addons.kubespray",
            3,
            7,
            "a key must be plain text, not a list or mapping"),
        Arguments.of(
            "alias as a key",
            "cluster:\n  name: &n demo\n  *n : b\n",
            "cluster",
            3,
            3,
            "YAML aliases (*name) are not supported; write the value out"),
        Arguments.of(
            "several documents",
            "cluster:\n  name: a\n---\ncluster:\n  name: b\n",
            "",
            4,
            1,
            "a second YAML document starts here; a configuration is a single document"),
        Arguments.of(
            "several documents with markers",
            "---\ncluster:\n  name: a\n---\ncluster:\n  name: b\n",
            "",
            5,
            1,
            "a second YAML document starts here; a configuration is a single document"),
        Arguments.of("empty text", "", "", 0, 0, "the configuration is empty"),
        Arguments.of("blank text", "  \n\n", "", 0, 0, "the configuration is empty"),
        Arguments.of(
            "comments only", "# nothing yet\n# to see\n", "", 0, 0, "the configuration is empty"),
        Arguments.of("null document", "~\n", "", 0, 0, "the configuration is empty"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejected")
  void rejectsWithPathLineAndColumn(
      String label, String yaml, String path, int line, int column, String problem) {
    SpecFormatException e =
        assertThrows(SpecFormatException.class, () -> KubitectYaml.read(yaml, "bad.yaml"));

    assertThat(e.source()).isEqualTo("bad.yaml");
    assertThat(e.path()).as("path").isEqualTo(path);
    assertThat(e.line()).as("line").isEqualTo(line);
    assertThat(e.column()).as("column").isEqualTo(column);
    assertThat(e.problem()).as("problem").isEqualTo(problem);
    assertReadable(e);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejected")
  void rejectsFilesTheSameWay(
      String label,
      String yaml,
      String path,
      int line,
      int column,
      String problem,
      @TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("kubitect.yaml");
    Files.writeString(file, yaml, StandardCharsets.UTF_8);

    SpecFormatException e = assertThrows(SpecFormatException.class, () -> KubitectYaml.read(file));

    assertThat(e.source()).isEqualTo(file.toString());
    assertThat(e.path()).isEqualTo(path);
    assertThat(e.line()).isEqualTo(line);
    assertThat(e.column()).isEqualTo(column);
    assertThat(e.problem()).isEqualTo(problem);
  }

  @Test
  void missingFileIsRejected(@TempDir Path dir) {
    Path file = dir.resolve("missing.yaml");

    SpecFormatException e = assertThrows(SpecFormatException.class, () -> KubitectYaml.read(file));

    assertThat(e.path()).isEmpty();
    assertThat(e.line()).isZero();
    assertThat(e.column()).isZero();
    assertThat(e.getMessage()).isEqualTo(file + ": file does not exist");
    assertReadable(e);
  }

  @Test
  void directoryIsRejected(@TempDir Path dir) {
    SpecFormatException e = assertThrows(SpecFormatException.class, () -> KubitectYaml.read(dir));

    assertThat(e.path()).isEmpty();
    assertThat(e.line()).isZero();
    assertThat(e.column()).isZero();
    assertThat(e.problem()).startsWith("cannot be read");
    assertReadable(e);
  }

  @Test
  void messageNamesSourceLocationAndPath() {
    SpecFormatException e =
        assertThrows(
            SpecFormatException.class,
            () -> KubitectYaml.read("cluster:\n  network:\n    mode: wrong\n", "my.yaml"));

    assertThat(e.getMessage())
        .isEqualTo(
            "my.yaml:3:11: cluster.network.mode: 'wrong' is not allowed; use one of: nat, route,"
                + " bridge");
  }

  @Test
  void mutatedExamplesFailOnlyWithSpecFormatException() throws IOException {
    // Every prefix of every example, and each example with one character removed at regular
    // steps: reading either works or fails with the SDK's exception, never anything else.
    List<String> texts = new ArrayList<>();
    for (String name : Examples.DOCUMENTED) {
      String yaml = Files.readString(Examples.file(name));
      for (int end = 0; end < yaml.length(); end += 7) {
        texts.add(yaml.substring(0, end));
        texts.add(yaml.substring(0, end) + yaml.substring(Math.min(yaml.length(), end + 1)));
      }
    }
    for (String text : texts) {
      try {
        KubitectYaml.read(text, "mutated.yaml");
      } catch (SpecFormatException e) {
        assertReadable(e);
      }
    }
    assertThat(texts).hasSizeGreaterThan(1000);
  }

  private static void assertReadable(SpecFormatException e) {
    List<String> expected = new ArrayList<>();
    for (SpecFormatException.Problem p : e.problems()) {
      expected.add(
          e.source()
              + (p.line() > 0 ? ":" + p.line() + ":" + p.column() : "")
              + ": "
              + (p.path().isEmpty() ? "" : p.path() + ": ")
              + p.problem());
    }
    if (e.hasUnlistedProblems()) {
      expected.add(e.source() + ": further problems are not listed; at most 100 are");
    }
    assertThat(e.getMessage()).isEqualTo(String.join("\n", expected));
    for (SpecFormatException.Problem p : e.problems()) {
      assertProblemReadable(p.problem());
    }
  }

  private static void assertProblemReadable(String problem) {
    assertThat(problem)
        .isNotBlank()
        .doesNotContain(
            "Immutable",
            "Json",
            "io.kubitect",
            "java.",
            "com.fasterxml",
            "org.yaml",
            "Exception",
            "\tat ",
            "[Source:",
            "reference chain",
            "in 'reader'");
  }

  // ---------------------------------------------------------------------------------- helpers

  /** Every key path of the schema, list elements as {@code []}, found from the model types. */
  static Set<String> schemaPaths() {
    ObjectMapper mapper = new ObjectMapper().registerModule(new Jdk8Module());
    Set<String> paths = new TreeSet<>();
    collect(mapper, ClusterSpec.class, "", paths);
    return paths;
  }

  private static void collect(ObjectMapper mapper, Class<?> type, String prefix, Set<String> out) {
    Class<?> implementation = type.getAnnotation(JsonSerialize.class).as();
    BeanDescription description =
        mapper.getSerializationConfig().introspect(mapper.constructType(implementation));
    for (BeanPropertyDefinition property : description.findProperties()) {
      String path = prefix.isEmpty() ? property.getName() : prefix + "." + property.getName();
      out.add(path);
      JavaType propertyType = property.getPrimaryType();
      if (propertyType.isCollectionLikeType()) {
        Class<?> element = propertyType.getContentType().getRawClass();
        if (isModel(element)) {
          collect(mapper, element, path + "[]", out);
        }
      } else if (isModel(propertyType.getRawClass())) {
        collect(mapper, propertyType.getRawClass(), path, out);
      }
    }
  }

  private static boolean isModel(Class<?> type) {
    return type.getPackageName().equals(ClusterSpec.class.getPackageName())
        && type.isAnnotationPresent(JsonSerialize.class);
  }

  /** Every key path of a YAML document, list elements as {@code []}. */
  static Set<String> documentPaths(String yaml) {
    try {
      JsonNode root = new YAMLMapper().readTree(yaml);
      Set<String> paths = new TreeSet<>();
      walk(root, "", paths);
      return paths;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static void walk(JsonNode node, String prefix, Set<String> out) {
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.properties().iterator();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        String path = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
        out.add(path);
        walk(field.getValue(), path, out);
      }
    } else if (node.isArray()) {
      for (JsonNode element : node) {
        walk(element, prefix + "[]", out);
      }
    }
  }

  /** A specification that sets every key of the schema, older-schema keys included. */
  static ClusterSpec everyKeySpec() {
    return ClusterSpec.builder()
        .addHosts(
            Host.builder()
                .name("local")
                .defaultHost(true)
                .connection(Connection.builder().type(ConnectionType.LOCAL).build())
                .mainResourcePoolPath("/srv/pools/")
                .build(),
            Host.builder()
                .name("remote")
                .defaultHost(false)
                .connection(
                    Connection.builder()
                        .type(ConnectionType.REMOTE)
                        .user("kubitect")
                        .ip("10.0.0.5")
                        .ssh(
                            HostSsh.builder()
                                .keyfile("~/.ssh/id_rsa")
                                .port(2222)
                                .verify(false)
                                .build())
                        .build())
                .addDataResourcePools(
                    DataResourcePool.builder().name("fast").path("/mnt/fast/").build())
                .build())
        .cluster(
            Cluster.builder()
                .name("demo")
                .network(
                    Network.builder()
                        .mode(NetworkMode.BRIDGE)
                        .cidr("10.0.0.0/24")
                        .gateway("10.0.0.254")
                        .bridge("br0")
                        .addDns("9.9.9.9")
                        .build())
                .nodeTemplate(
                    NodeTemplate.builder()
                        .user("ops")
                        .os(
                            OperatingSystem.builder()
                                .distro(Distro.ROCKY9)
                                .source("/images/rocky.qcow2")
                                .networkInterface("eth1")
                                .build())
                        .ssh(
                            NodeSsh.builder()
                                .privateKeyPath("~/.ssh/nodes")
                                .addToKnownHosts(true)
                                .build())
                        .addDns("9.9.9.9", "2620:fe::fe")
                        .updateOnBoot(false)
                        .cpuMode(CpuMode.HOST_MODEL)
                        .networkInterface("eth1")
                        .image(
                            LegacyImage.builder()
                                .distro("centos")
                                .source("/images/rocky.qcow2")
                                .build())
                        .build())
                .nodes(
                    Nodes.builder()
                        .loadBalancer(
                            LoadBalancers.builder()
                                .vip("10.0.0.200")
                                .virtualRouterId(77)
                                .addForwardPorts(
                                    ForwardPort.builder()
                                        .name("https")
                                        .port(443)
                                        .targetPort(8443)
                                        .target(ForwardTarget.MASTERS)
                                        .build())
                                .defaults(
                                    LoadBalancerDefaults.builder()
                                        .cpu(1)
                                        .ram(2)
                                        .mainDiskSize(8)
                                        .build())
                                .addInstances(
                                    LoadBalancerInstance.builder()
                                        .id("lb1")
                                        .name("demo-lb-lb1")
                                        .host("local")
                                        .ip("10.0.0.201")
                                        .mac("52:54:00:aa:bb:01")
                                        .cpu(2)
                                        .ram(3)
                                        .mainDiskSize(9)
                                        .priority(150)
                                        .build())
                                .build())
                        .master(group("m", "10.0.0.1"))
                        .worker(group("w", "10.0.0.2"))
                        .build())
                .build())
        .kubernetes(
            Kubernetes.builder()
                .version("v1.32.8")
                .manager(KubernetesManager.K3S)
                .networkPlugin(NetworkPlugin.FLANNEL)
                .dnsMode(DnsMode.COREDNS)
                .kubespray(
                    Kubespray.builder()
                        .url("https://example.com/kubespray.git")
                        .version("v2.29.0")
                        .build())
                .other(
                    KubernetesOther.builder()
                        .autoRenewCertificates(true)
                        .mergeKubeconfig(false)
                        .copyKubeconfig(false)
                        .build())
                .build())
        .addons(
            Addons.builder()
                .putKubespray("helm_enabled", true)
                .rook(
                    Rook.builder()
                        .enabled(true)
                        .version("v1.17.2")
                        .putNodeSelector("storage", "yes")
                        .build())
                .build())
        .kubitect(
            KubitectProject.builder()
                .url("https://github.com/MusicDin/kubitect")
                .version("v2.0.7")
                .build())
        .build();
  }

  private static NodeGroup group(String prefix, String ip) {
    return NodeGroup.builder()
        .defaults(
            NodeDefaults.builder()
                .cpu(3)
                .ram(6)
                .mainDiskSize(64)
                .putLabel("role", prefix)
                .addTaint("dedicated=" + prefix + ":NoSchedule")
                .addDataDisks(DataDisk.builder().name("logs").pool("main").size(4).build())
                .build())
        .addInstances(
            NodeInstance.builder()
                .id(prefix + "1")
                .name("demo-" + prefix + "1")
                .host("remote")
                .ip(ip)
                .mac("52:54:00:aa:bb:" + (prefix.equals("m") ? "10" : "20"))
                .cpu(4)
                .ram(8)
                .mainDiskSize(128)
                .addDataDisks(DataDisk.builder().name("data").pool("fast").size(100).build())
                .putLabel("zone", "a")
                .addTaint("zone=a:PreferNoSchedule")
                .build())
        .build();
  }
}
