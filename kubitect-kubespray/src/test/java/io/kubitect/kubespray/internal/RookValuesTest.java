package io.kubitect.kubespray.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubitect.core.spi.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The Rook values against golden files in {@code src/test/resources/golden-rook}; {@code
 * -Dgolden.update=true} rewrites them after an intended change (review the diff).
 */
class RookValuesTest {
  static final Path GOLDEN = Path.of("src/test/resources/golden-rook");

  static RookPlan plan(String name) {
    Topology rook = TestSpecs.topology("rook-selector.yaml");
    return switch (name) {
      case "selector" -> RookPlan.of(rook);
      case "defaults" ->
          RookPlan.of(
              RookPlanTest.with(
                  rook.spec(), r -> r.withNodeSelector(Map.of()).withVersion(Optional.empty())));
      default -> throw new IllegalArgumentException(name);
    };
  }

  @ParameterizedTest
  @ValueSource(strings = {"selector", "defaults"})
  void matchesGoldenFiles(String name, @TempDir Path cluster) throws IOException {
    List<Path> written = RookValues.write(plan(name), cluster);
    assertThat(written)
        .containsExactly(
            cluster.resolve("config/helm/rook-operator-values.yaml"),
            cluster.resolve("config/helm/rook-cluster-values.yaml"));
    Path dir = GOLDEN.resolve(name);
    for (Path file : written) {
      Path golden = dir.resolve(file.getFileName());
      if (Boolean.getBoolean("golden.update")) {
        Files.createDirectories(dir);
        Files.copy(file, golden, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      assertThat(Files.readString(file))
          .as("%s/%s", name, file.getFileName())
          .isEqualTo(Files.readString(golden));
    }
  }

  @Test
  void rendersTheSameBytesTwice() {
    assertThat(RookValues.cluster(plan("selector")))
        .isEqualTo(RookValues.cluster(plan("selector")));
    assertThat(RookValues.operator(plan("selector")))
        .isEqualTo(RookValues.operator(plan("selector")));
  }

  @Test
  @SuppressWarnings("unchecked")
  void hostileSelectorTextStaysOneScalar() {
    // The plan refuses these (RookPlanTest); the renderer must still not let them change the
    // document's structure, whoever calls it.
    Map<String, String> hostile = new java.util.TreeMap<>();
    hostile.put("a\"quote", "x\": y");
    hostile.put("b\nnewline: true", "line\n- item");
    hostile.put("c{{ lookup('pipe', 'id') }}", "{{ 7*7 }}");
    hostile.put("d# comment", "#v &anchor *alias !tag");
    hostile.put("e", "");
    RookPlan plan =
        new RookPlan(
            true,
            Optional.of("v1.0.0\"\n"),
            hostile,
            List.of("n1"),
            List.of("n1"),
            List.of("n1"),
            1,
            1,
            1,
            1,
            Optional.empty());
    Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));

    Map<String, Object> cluster = yaml.load(RookValues.cluster(plan));
    assertThat(cluster)
        .containsOnlyKeys(
            "operatorNamespace",
            "toolbox",
            "configOverride",
            "cephClusterSpec",
            "cephBlockPools",
            "cephFileSystems",
            "cephObjectStores");
    List<Map<String, Object>> expressions =
        (List<Map<String, Object>>)
            at(
                cluster,
                "cephClusterSpec",
                "placement",
                "all",
                "nodeAffinity",
                "requiredDuringSchedulingIgnoredDuringExecution",
                "nodeSelectorTerms",
                0,
                "matchExpressions");
    assertThat(expressions).hasSize(hostile.size());
    int i = 0;
    for (Map.Entry<String, String> e : hostile.entrySet()) {
      Map<String, Object> expression = expressions.get(i++);
      assertThat(expression.get("key")).isEqualTo(e.getKey());
      if (e.getValue().isEmpty()) {
        assertThat(expression).containsOnlyKeys("key", "operator");
      } else {
        assertThat(expression.get("values")).isEqualTo(List.of(e.getValue()));
      }
    }
    assertThat((List<?>) at(cluster, "cephClusterSpec", "placement", "all", "tolerations"))
        .hasSize(hostile.size());
    assertThat(at(cluster, "toolbox", "image")).isEqualTo("rook/ceph:v1.0.0\"\n");

    Map<String, Object> operator = yaml.load(RookValues.operator(plan));
    assertThat(operator).containsOnlyKeys("image", "enableDiscoveryDaemon", "csi", "discover");
    assertThat(at(operator, "csi", "provisionerNodeAffinity")).isEqualTo(plan.affinity());
  }

  /** The value at {@code path} (map keys and list indexes) in a parsed document. */
  static Object at(Object root, Object... path) {
    Object node = root;
    for (Object step : path) {
      Object next =
          step instanceof Integer index
              ? ((List<?>) node).get(index)
              : ((Map<?, ?>) node).get(step);
      assertThat(next).as("%s in %s", step, java.util.Arrays.toString(path)).isNotNull();
      node = java.util.Objects.requireNonNull(next);
    }
    return java.util.Objects.requireNonNull(node);
  }
}
