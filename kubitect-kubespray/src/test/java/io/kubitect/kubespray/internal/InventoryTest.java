package io.kubitect.kubespray.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubitect.core.NodeRole;
import io.kubitect.core.spi.InfrastructureStatus;
import io.kubitect.core.spi.Topology;
import io.kubitect.model.ClusterSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Inventory and group variables against golden files in {@code src/test/resources/golden}. Run with
 * {@code -Dgolden.update=true} to rewrite them after an intended change, then review the diff.
 */
class InventoryTest {
  static final Path GOLDEN = Path.of("src/test/resources/golden");

  /** A golden case: its directory name, the spec it renders and DHCP addresses. */
  record Case(String name, String spec, Map<String, String> dhcp) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("ha", "ha.yaml", Map.of()),
        new Case("single-node", "single-node.yaml", Map.of()),
        new Case("workerless", "workerless.yaml", Map.of()),
        new Case(
            "labels-taints", "labels-taints.yaml", Map.of("labelled-worker-7", "192.168.113.57")));
  }

  static Inventory render(Case c) {
    Topology topology = TestSpecs.topology(c.spec());
    InfrastructureStatus infra = TestSpecs.infrastructure(topology, c.dhcp());
    return Inventory.of(topology, infra, List.of());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesGoldenFiles(Case c) throws IOException {
    Map<String, String> files = render(c).files();
    Path dir = GOLDEN.resolve(c.name());
    if (Boolean.getBoolean("golden.update")) {
      new InventoryWriter(files).writeTo(dir);
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      List<String> golden =
          walk.filter(Files::isRegularFile)
              .map(p -> dir.relativize(p).toString())
              .sorted()
              .toList();
      assertThat(golden).containsExactlyInAnyOrderElementsOf(files.keySet());
    }
    for (Map.Entry<String, String> file : files.entrySet()) {
      assertThat(file.getValue())
          .as("%s/%s", c.name(), file.getKey())
          .isEqualTo(Files.readString(dir.resolve(file.getKey())));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void rendersTheSameBytesTwice(Case c) {
    assertThat(render(c).files()).isEqualTo(render(c).files());
  }

  @Test
  void mergesDefaultLabelsAndTaintsWithTheInstanceWinning() {
    Inventory inventory =
        render(cases().filter(c -> c.name().equals("labels-taints")).findFirst().orElseThrow());

    Inventory.Host master = inventory.host("labelled-master-1").orElseThrow();
    assertThat(master.labels())
        .containsExactly(Map.entry("tier", "control-plane-primary"), Map.entry("zone", "local"));
    // Taints are identified by key and effect (as in Kubernetes): another effect adds a taint.
    assertThat(master.taints())
        .containsExactly("dedicated=control-plane:NoSchedule", "dedicated=control-plane:NoExecute");

    Inventory.Host worker7 = inventory.host("labelled-worker-7").orElseThrow();
    assertThat(worker7.ip()).isEqualTo("192.168.113.57");
    assertThat(worker7.labels())
        .containsEntry("disk", "ssd")
        .containsEntry("node-role.kubernetes.io/worker", "");
    assertThat(worker7.taints()).containsExactly("gpu=false:NoSchedule", "spot:PreferNoSchedule");
    assertThat(inventory.host("labelled-worker-1").orElseThrow().labels())
        .containsEntry("disk", "hdd");
    assertThat(inventory.ignoredAddonKeys()).containsExactly("kube_version");
  }

  @Test
  void usesTheMastersAsKubeNodeWithoutWorkers() {
    Inventory inventory =
        render(cases().filter(c -> c.name().equals("workerless")).findFirst().orElseThrow());

    assertThat(inventory.kubeNode())
        .containsExactly("workerless-master-1", "workerless-master-2", "workerless-master-3");
    assertThat(inventory.apiAddress()).isEqualTo("192.168.113.200");
  }

  @Test
  void reachesASingleMasterDirectlyWithoutLoadBalancers() {
    Inventory inventory =
        render(cases().filter(c -> c.name().equals("single-node")).findFirst().orElseThrow());

    assertThat(inventory.hasLoadBalancers()).isFalse();
    assertThat(inventory.apiAddress()).isEqualTo("192.168.113.10");
    assertThat(inventory.files().get("group_vars/all/all.yml"))
        .doesNotContain("loadbalancer_apiserver");
  }

  @Test
  void usesTheOnlyLoadBalancersAddressWithoutAVip() {
    Inventory inventory = render(new Case("multi-master", "multi-master.yaml", Map.of()));

    assertThat(inventory.apiAddress()).isEqualTo("192.168.113.100");
    assertThat(inventory.names(NodeRole.LOAD_BALANCER)).containsExactly("multi-master-lb-1");
  }

  @Test
  void refusesANodeWithoutAnAddress() {
    Topology topology = TestSpecs.topology("labels-taints.yaml");
    InfrastructureStatus infra = TestSpecs.infrastructure(topology, Map.of());

    assertThatThrownBy(() -> Inventory.of(topology, infra, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("labelled-worker-7 has no IP address");
  }

  @Test
  void passesKubeVersionAsAnExtraVariableSoThatNoInventoryVariableOutranksIt() {
    Inventory ha = render(cases().findFirst().orElseThrow());
    assertThat(ha.extraVariables()).containsExactly(Map.entry("kube_version", "v1.23.7"));
    assertThatThrownBy(() -> ha.extraVariables().put("x", 1))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void writesKubeVersionAsTheReleaseNamesIt() {
    assertThat(render(cases().findFirst().orElseThrow()).kubeVersion()).isEqualTo("v1.23.7");
    assertThat(render(new Case("multi-master", "multi-master.yaml", Map.of())).kubeVersion())
        .isEqualTo("1.32.8");
  }

  /** The labels-taints topology with other addons. */
  static Inventory withAddons(Map<String, Object> addons) {
    ClusterSpec spec = TestSpecs.topology("labels-taints.yaml").spec();
    Topology topology = Topology.of(spec.withAddons(spec.addons().withKubespray(addons)));
    InfrastructureStatus infra =
        TestSpecs.infrastructure(topology, Map.of("labelled-worker-7", "192.168.113.57"));
    return Inventory.of(topology, infra, List.of());
  }

  @Test
  void writesEveryAddonTextAsDataThatAnsibleDoesNotTemplate() {
    Map<String, Object> addons = new java.util.LinkedHashMap<>();
    addons.put("probe", "{{ lookup('pipe', 'id') }}");
    addons.put("nested", Map.of("list", List.of("{% if true %}x{% endif %}", 3, false)));
    addons.put("flag", true);
    addons.put("kube_version", "{{ lookup('pipe', 'id') }}");

    String text = withAddons(addons).files().get("group_vars/k8s_cluster/addons.yml");

    assertThat(text)
        .isEqualTo(
            """
            ---
            probe: !unsafe "{{ lookup('pipe', 'id') }}"
            nested:
              list:
                - !unsafe "{% if true %}x{% endif %}"
                - 3
                - false
            flag: true
            """);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"ansible_ssh_common_args", "ansible_host_key_checking", "ansible_become_pass"})
  void refusesAnsibleConnectionVariablesWithoutRelyingOnTheValidator(String key) {
    assertThatThrownBy(() -> withAddons(Map.of(key, "-o StrictHostKeyChecking=no")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("addons.kubespray." + key)
        .hasMessageContaining("connection variable");
  }
}
