package io.kubitect.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The two forms a configuration is written in: Kubitect's current schema, which current Kubitect
 * reads (no key it lacks), and the SDK's own form, which round-trips everything.
 */
class ConfigFormatTest {
  /**
   * Every key of Kubitect's current schema (v3.6, reference §1.2); {@code []} is a list element,
   * {@code *} any key of a free map.
   */
  private static final Set<String> KUBITECT_KEYS =
      Set.of(
          "hosts",
          "hosts[]",
          "hosts[].name",
          "hosts[].default",
          "hosts[].connection",
          "hosts[].connection.type",
          "hosts[].connection.ip",
          "hosts[].connection.user",
          "hosts[].connection.ssh",
          "hosts[].connection.ssh.keyfile",
          "hosts[].connection.ssh.port",
          "hosts[].connection.ssh.verify",
          "hosts[].mainResourcePoolPath",
          "hosts[].dataResourcePools",
          "hosts[].dataResourcePools[]",
          "hosts[].dataResourcePools[].name",
          "hosts[].dataResourcePools[].path",
          "cluster",
          "cluster.name",
          "cluster.network",
          "cluster.network.mode",
          "cluster.network.cidr",
          "cluster.network.gateway",
          "cluster.network.bridge",
          "cluster.nodeTemplate",
          "cluster.nodeTemplate.user",
          "cluster.nodeTemplate.os",
          "cluster.nodeTemplate.os.distro",
          "cluster.nodeTemplate.os.source",
          "cluster.nodeTemplate.os.networkInterface",
          "cluster.nodeTemplate.ssh",
          "cluster.nodeTemplate.ssh.privateKeyPath",
          "cluster.nodeTemplate.ssh.addToKnownHosts",
          "cluster.nodeTemplate.dns",
          "cluster.nodeTemplate.dns[]",
          "cluster.nodeTemplate.updateOnBoot",
          "cluster.nodeTemplate.cpuMode",
          "cluster.nodes",
          "cluster.nodes.loadBalancer",
          "cluster.nodes.loadBalancer.vip",
          "cluster.nodes.loadBalancer.virtualRouterId",
          "cluster.nodes.loadBalancer.forwardPorts",
          "cluster.nodes.loadBalancer.forwardPorts[]",
          "cluster.nodes.loadBalancer.forwardPorts[].name",
          "cluster.nodes.loadBalancer.forwardPorts[].port",
          "cluster.nodes.loadBalancer.forwardPorts[].targetPort",
          "cluster.nodes.loadBalancer.forwardPorts[].target",
          "cluster.nodes.loadBalancer.default",
          "cluster.nodes.loadBalancer.default.cpu",
          "cluster.nodes.loadBalancer.default.ram",
          "cluster.nodes.loadBalancer.default.mainDiskSize",
          "cluster.nodes.loadBalancer.instances",
          "cluster.nodes.loadBalancer.instances[]",
          "cluster.nodes.loadBalancer.instances[].id",
          "cluster.nodes.loadBalancer.instances[].name",
          "cluster.nodes.loadBalancer.instances[].host",
          "cluster.nodes.loadBalancer.instances[].ip",
          "cluster.nodes.loadBalancer.instances[].mac",
          "cluster.nodes.loadBalancer.instances[].cpu",
          "cluster.nodes.loadBalancer.instances[].ram",
          "cluster.nodes.loadBalancer.instances[].mainDiskSize",
          "cluster.nodes.loadBalancer.instances[].priority",
          "kubernetes",
          "kubernetes.version",
          "kubernetes.manager",
          "kubernetes.networkPlugin",
          "kubernetes.dnsMode",
          "kubernetes.other",
          "kubernetes.other.autoRenewCertificates",
          "kubernetes.other.mergeKubeconfig",
          "addons",
          "addons.kubespray",
          "addons.kubespray.*",
          "addons.rook",
          "addons.rook.enabled",
          "addons.rook.version",
          "addons.rook.nodeSelector",
          "addons.rook.nodeSelector.*");

  /** The keys of a master or worker group, under {@code cluster.nodes.<group>}. */
  private static final List<String> GROUP_KEYS =
      List.of(
          "",
          ".default",
          ".default.cpu",
          ".default.ram",
          ".default.mainDiskSize",
          ".default.labels",
          ".default.labels.*",
          ".default.taints",
          ".default.taints[]",
          ".default.dataDisks",
          ".default.dataDisks[]",
          ".default.dataDisks[].name",
          ".default.dataDisks[].pool",
          ".default.dataDisks[].size",
          ".instances",
          ".instances[]",
          ".instances[].id",
          ".instances[].name",
          ".instances[].host",
          ".instances[].ip",
          ".instances[].mac",
          ".instances[].cpu",
          ".instances[].ram",
          ".instances[].mainDiskSize",
          ".instances[].labels",
          ".instances[].labels.*",
          ".instances[].taints",
          ".instances[].taints[]",
          ".instances[].dataDisks",
          ".instances[].dataDisks[]",
          ".instances[].dataDisks[].name",
          ".instances[].dataDisks[].pool",
          ".instances[].dataDisks[].size");

  private static boolean inKubitectSchema(String path) {
    String general = path;
    for (String free : List.of("addons.kubespray.", "addons.rook.nodeSelector.", ".labels.")) {
      int at = general.indexOf(free);
      if (at >= 0) {
        general = general.substring(0, at + free.length()) + "*";
        break;
      }
    }
    for (String group : List.of("master", "worker")) {
      String prefix = "cluster.nodes." + group;
      if (general.equals(prefix) || general.startsWith(prefix + ".")) {
        return GROUP_KEYS.contains(general.substring(prefix.length()));
      }
    }
    return KUBITECT_KEYS.contains(general);
  }

  /** Every key path of a YAML document, list elements as {@code []}. */
  private static List<String> keyPaths(String yaml) throws Exception {
    List<String> paths = new ArrayList<>();
    collect(new YAMLMapper().readTree(yaml), "", paths);
    return paths;
  }

  private static void collect(JsonNode node, String path, List<String> paths) {
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        String child = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
        paths.add(child);
        if (!child.startsWith("addons.kubespray.")) {
          collect(field.getValue(), child, paths);
        }
      }
    } else if (node.isArray()) {
      for (JsonNode element : node) {
        paths.add(path + "[]");
        collect(element, path + "[]", paths);
      }
    }
  }

  /** The examples, Kubitect's own export and its v2.0 full example (older schema throughout). */
  static Stream<String> configurations() {
    return Stream.concat(
        Examples.all().map(n -> "examples/" + n), Stream.of("kubitect-export", "kubitect-v2.0"));
  }

  private static ClusterSpec read(String name) {
    return switch (name) {
      case "kubitect-export" -> KubitectYaml.read(KubitectParityTest.KUBITECT_EXPORT, name);
      case "kubitect-v2.0" -> KubitectYaml.read(KubitectParityTest.KUBITECT_V2_0, name);
      default -> Examples.read(name.substring("examples/".length()));
    };
  }

  /** The resolved specification without the keys Kubitect lacks. */
  private static ClusterSpec withoutSdkKeys(ClusterSpec resolved) {
    return resolved.withKubernetes(
        resolved.kubernetes().withKubespray(Kubespray.builder().build()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configurations")
  void kubitectsFormHasOnlyKubitectsKeysAndRereadsToTheSameCluster(String name) throws Exception {
    ClusterSpec resolved = read(name).resolveDefaults();

    String kubitect = KubitectYaml.write(resolved, ConfigFormat.KUBITECT);

    assertThat(keyPaths(kubitect)).allSatisfy(p -> assertThat(inKubitectSchema(p)).as(p).isTrue());
    ClusterSpec again = KubitectYaml.read(kubitect, name + " (Kubitect's form)");
    assertThat(again).isEqualTo(withoutSdkKeys(resolved));
    // What is left out is named at the top, as comments: only the Kubespray checkout, as
    // resolution moved every key of an older schema to its current place.
    assertThat(kubitect.lines().takeWhile(l -> l.startsWith("#"))).hasSize(3);
    assertThat(kubitect)
        .startsWith("# Kubitect's current schema, written by Kubitect for Java.")
        .contains(
            "# kubespray release pinned by the SDK: "
                + resolved.kubernetes().kubespray().version().orElseThrow()
                + " (kubernetes.kubespray.version; Kubitect uses v2.29.0)")
        .contains(
            "# kubespray repository: " + resolved.kubernetes().kubespray().url().orElseThrow());
    // Unresolved, it is written resolved: the same text.
    assertThat(KubitectYaml.write(read(name), ConfigFormat.KUBITECT)).isEqualTo(kubitect);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configurations")
  void theSdksFormRoundTripsEverything(String name) {
    ClusterSpec resolved = read(name).resolveDefaults();

    String sdk = KubitectYaml.write(resolved, ConfigFormat.SDK);

    assertThat(sdk).isEqualTo(KubitectYaml.write(resolved)).contains("kubespray:");
    assertThat(KubitectYaml.read(sdk, name + " (SDK's form)")).isEqualTo(resolved);
  }

  @Test
  void withKubitectsPinnedReleaseReReadingResolvesToTheSameCluster() {
    ClusterSpec resolved = Examples.read("multi-master.yaml").resolveDefaults();

    String kubitect = KubitectYaml.write(resolved, ConfigFormat.KUBITECT);

    assertThat(KubitectYaml.read(kubitect, "x").resolveDefaults()).isEqualTo(resolved);
  }

  @Test
  void aValueWithLineBreaksStaysInItsCommentLine() throws Exception {
    ClusterSpec hostile =
        Examples.read("single-node.yaml")
            .withKubernetes(
                Kubernetes.builder()
                    .version("v1.33.4")
                    .kubespray(
                        Kubespray.builder()
                            .version("v2.29.0\nkubitect: {url: x}")
                            .url(
                                "https://x/\u2028cluster: {}\u0085addons: {}\r\u202e"
                                    + "y".repeat(5000))
                            .build())
                    .build());

    String kubitect = KubitectYaml.write(hostile, ConfigFormat.KUBITECT);

    List<String> comments = kubitect.lines().takeWhile(l -> l.startsWith("#")).toList();
    assertThat(comments).hasSize(3);
    assertThat(comments.get(1)).contains("v2.29.0\\u000Akubitect: {url: x}");
    assertThat(comments.get(2))
        .contains("\\u2028cluster: {}\\u0085addons: {}\\u000D\\u202E")
        .endsWith("... (kubernetes.kubespray.url)")
        .hasSizeLessThan(500);
    assertThat(keyPaths(kubitect))
        .noneMatch(p -> p.startsWith("kubitect") || p.equals("cluster.cluster"));
    assertThat(KubitectYaml.read(kubitect, "x").cluster())
        .isEqualTo(hostile.resolveDefaults().cluster());
  }
}
