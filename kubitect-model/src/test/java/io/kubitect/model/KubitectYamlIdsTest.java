package io.kubitect.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

/**
 * Instance ids: text in Java, whole numbers in Kubitect's YAML. A plain decimal id is written as a
 * YAML integer, any other id as text that every YAML reader reads back as text.
 */
class KubitectYamlIdsTest {

  /** The scalar as written in a configuration, the id read from it, the scalar written back. */
  static Stream<Arguments> ids() {
    return Stream.of(
        Arguments.of("1", "1", "1"),
        Arguments.of("\"1\"", "1", "1"),
        Arguments.of("0", "0", "0"),
        Arguments.of("42", "42", "42"),
        Arguments.of("9223372036854775807", "9223372036854775807", "9223372036854775807"),
        Arguments.of("9223372036854775808", "9223372036854775808", "\"9223372036854775808\""),
        Arguments.of("07", "07", "\"07\""),
        Arguments.of("00", "00", "\"00\""),
        Arguments.of("-1", "-1", "\"-1\""),
        Arguments.of("+1", "+1", "\"+1\""),
        Arguments.of("1_000", "1_000", "\"1_000\""),
        Arguments.of("abc", "abc", "abc"),
        Arguments.of("\"abc\"", "abc", "abc"),
        Arguments.of("worker-1", "worker-1", "worker-1"),
        Arguments.of("1e3", "1e3", "\"1e3\""),
        Arguments.of("\"1e3\"", "1e3", "\"1e3\""),
        Arguments.of("true", "true", "\"true\""),
        Arguments.of("\"true\"", "true", "\"true\""),
        Arguments.of("yes", "yes", "\"yes\""),
        Arguments.of("\"null\"", "null", "\"null\""),
        Arguments.of("0x1F", "0x1F", "\"0x1F\""),
        Arguments.of("0o17", "0o17", "\"0o17\""),
        Arguments.of("0b101", "0b101", "\"0b101\""),
        Arguments.of("2001-12-14", "2001-12-14", "\"2001-12-14\""),
        Arguments.of("\"\"", "", "\"\""));
  }

  @ParameterizedTest(name = "id: {0}")
  @MethodSource("ids")
  void idRoundTripsAndIsWrittenAsAnIntegerOnlyWhenPlainDecimal(
      String scalar, String id, String written) {
    ClusterSpec spec = KubitectYaml.read(workers(scalar), "ids.yaml");
    assertThat(spec.cluster().nodes().worker().instances().get(0).id()).contains(id);

    String yaml = KubitectYaml.write(spec);

    assertThat(yaml).isEqualTo(workers(written));
    assertThat(KubitectYaml.read(yaml, "written")).isEqualTo(spec);
  }

  /** An id, and whether a YAML 1.1 reader (SnakeYAML, PyYAML) reads the written id as a number. */
  static Stream<Arguments> idsForYaml11() {
    return Stream.of(
        Arguments.of("1", true),
        Arguments.of("0", true),
        Arguments.of("9223372036854775807", true),
        Arguments.of("9223372036854775808", false),
        Arguments.of("07", false),
        Arguments.of("-1", false),
        Arguments.of("1e3", false),
        Arguments.of("true", false),
        Arguments.of("No", false),
        Arguments.of("0x1F", false),
        Arguments.of("0o17", false),
        Arguments.of("0b101", false),
        Arguments.of("1_000", false),
        Arguments.of("12:30", false),
        Arguments.of("2001-12-14", false),
        Arguments.of("abc", false),
        Arguments.of("", false),
        Arguments.of("\u0661", false));
  }

  @ParameterizedTest(name = "id {0}")
  @MethodSource("idsForYaml11")
  void aYaml11ReaderSeesAnIntegerExactlyForPlainDecimalIds(String id, boolean integer) {
    ClusterSpec spec =
        ClusterSpec.builder()
            .cluster(
                Cluster.builder()
                    .nodes(
                        Nodes.builder()
                            .loadBalancer(
                                LoadBalancers.builder()
                                    .addInstance(LoadBalancerInstance.builder().id(id).build())
                                    .build())
                            .master(group(id))
                            .worker(group(id))
                            .build())
                    .build())
            .build();
    String yaml = KubitectYaml.write(spec);

    Object nodes = nodesAsSnakeYamlReadsThem(yaml);

    for (String group : List.of("loadBalancer", "master", "worker")) {
      Object value = firstId(nodes, group);
      if (integer) {
        assertThat(value).as(group).isInstanceOf(Number.class);
        assertThat(String.valueOf(value)).as(group).isEqualTo(id);
      } else {
        assertThat(value).as(group).isEqualTo(id);
      }
    }
    assertThat(KubitectYaml.read(yaml, "written")).isEqualTo(spec);
  }

  @Test
  void onlyInstanceIdsBecomeIntegers() {
    ClusterSpec spec =
        ClusterSpec.builder()
            .addHost(Host.builder().name("1").build())
            .cluster(
                Cluster.builder()
                    .name("1")
                    .nodes(
                        Nodes.builder()
                            .worker(
                                NodeGroup.builder()
                                    .addInstance(
                                        NodeInstance.builder()
                                            .id("2")
                                            .host("1")
                                            .putLabel("id", "3")
                                            .addTaint("4")
                                            .addDataDisk(DataDisk.builder().name("5").build())
                                            .build())
                                    .build())
                            .build())
                    .build())
            .addons(Addons.builder().putKubespray("id", "6").build())
            .build();

    String yaml = KubitectYaml.write(spec);

    assertThat(yaml)
        .contains("- id: 2\n")
        .contains("- name: \"1\"\n")
        .contains("name: \"1\"\n  nodes:")
        .contains("host: \"1\"\n")
        .contains("id: \"3\"\n")
        .contains("- \"4\"\n")
        .contains("- name: \"5\"\n")
        .contains("id: \"6\"\n");
    assertThat(KubitectYaml.read(yaml, "written")).isEqualTo(spec);
  }

  @Test
  void seedConfigurationRoundTripsWithIntegerIds() throws IOException {
    String original = Files.readString(Examples.file("ha.yaml"));
    ClusterSpec spec = KubitectYaml.read(original, "ha.yaml");

    String written = KubitectYaml.write(spec);

    assertThat(KubitectYaml.read(written, "ha.yaml (written)")).isEqualTo(spec);
    assertThat(written).doesNotContain("id: \"");
    assertThat(idLines(written)).isEqualTo(idLines(original)).hasSize(8);
    Object nodes = nodesAsSnakeYamlReadsThem(written);
    for (String group : List.of("loadBalancer", "master", "worker")) {
      assertThat(firstId(nodes, group)).as(group).isEqualTo(1);
    }
  }

  @Test
  void scaledSeedConfigurationWritesTheNewIdAsAnInteger() {
    ClusterSpec spec =
        Examples.read("ha.yaml").withWorker(NodeInstance.of("4", "host5")).withoutWorker("1");

    String written = KubitectYaml.write(spec);

    assertThat(idLines(written))
        .containsExactly(
            "- id: 1", "- id: 2", "- id: 1", "- id: 2", "- id: 3", "- id: 2", "- id: 3", "- id: 4");
    assertThat(KubitectYaml.read(written, "scaled")).isEqualTo(spec);
  }

  // ---------------------------------------------------------------------------------- helpers

  /** A configuration with one worker whose id is {@code scalar}, as the writer lays it out. */
  private static String workers(String scalar) {
    return "cluster:\n  nodes:\n    worker:\n      instances:\n        - id: " + scalar + "\n";
  }

  private static NodeGroup group(String id) {
    return NodeGroup.builder().addInstance(NodeInstance.builder().id(id).build()).build();
  }

  private static List<String> idLines(String yaml) {
    return yaml.lines().map(String::trim).filter(l -> l.startsWith("- id:")).toList();
  }

  /** {@code cluster.nodes} of a document as SnakeYAML (YAML 1.1, like PyYAML) reads it. */
  private static Object nodesAsSnakeYamlReadsThem(String yaml) {
    Object root = new Yaml().load(yaml);
    return child(child(root, "cluster"), "nodes");
  }

  private static Object firstId(Object nodes, String group) {
    List<?> instances = (List<?>) child(child(nodes, group), "instances");
    return child(instances.get(0), "id");
  }

  private static Object child(@Nullable Object mapping, String key) {
    Map<?, ?> map = (Map<?, ?>) Objects.requireNonNull(mapping, "mapping");
    return Objects.requireNonNull(map.get(key), key);
  }
}
