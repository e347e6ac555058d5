package io.kubitect.kubespray.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubitect.core.spi.InfrastructureStatus;
import io.kubitect.core.spi.Topology;
import io.kubitect.model.KubitectYaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The k3s-ansible inventory against golden files in {@code src/test/resources/golden-k3s} ({@code
 * -Dgolden.update=true} rewrites them), the k3s version, and hostile labels and taints.
 */
class K3sInventoryTest {
  static final Path GOLDEN = Path.of("src/test/resources/golden-k3s");

  static Stream<InventoryTest.Case> cases() {
    return InventoryTest.cases();
  }

  static K3sInventory render(InventoryTest.Case c) {
    Topology topology = TestSpecs.topology(c.spec());
    return K3sInventory.of(topology, TestSpecs.infrastructure(topology, c.dhcp()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesGoldenFiles(InventoryTest.Case c) throws IOException {
    Map<String, String> files = render(c).files();
    Path dir = GOLDEN.resolve(c.name());
    if (Boolean.getBoolean("golden.update")) {
      new InventoryWriter(files).writeTo(dir);
    }
    assertThat(files).containsOnlyKeys(K3sInventory.HOSTS_FILE);
    assertThat(files.get(K3sInventory.HOSTS_FILE))
        .isEqualTo(Files.readString(dir.resolve(K3sInventory.HOSTS_FILE)));
    assertThat(render(c).files()).isEqualTo(files);
  }

  @Test
  void serverConfigIsK3sYamlWithTheApiEndpointLabelsAndTaints() {
    K3sInventory inventory =
        render(cases().filter(c -> c.name().equals("labels-taints")).findFirst().orElseThrow());

    Object master = load(inventory.serverConfig(inventory.host("labelled-master-1").orElseThrow()));
    assertThat(master)
        .isEqualTo(
            Map.of(
                "tls-san", List.of("192.168.113.100"),
                "node-label", List.of("tier=control-plane-primary", "zone=local"),
                "node-taint",
                    List.of(
                        "dedicated=control-plane:NoSchedule",
                        "dedicated=control-plane:NoExecute")));
    Object worker = load(inventory.serverConfig(inventory.host("labelled-worker-7").orElseThrow()));
    assertThat(worker)
        .isEqualTo(
            Map.of(
                "node-label", List.of("disk=ssd", "node-role.kubernetes.io/worker="),
                "node-taint", List.of("gpu=false:NoSchedule", "spot:PreferNoSchedule")));
  }

  @ParameterizedTest
  @CsvSource({
    "v1.33.4, v1.33.4+k3s1",
    "1.33.4, v1.33.4+k3s1",
    "v1.32.8+k3s2, v1.32.8+k3s2",
  })
  void normalisesTheVersionToAK3sRelease(String version, String release) {
    assertThat(K3sInventory.k3sVersion(version)).isEqualTo(release);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "latest", "v1.33", "v1.33.4+rke2r1", "v1.33.4\n", "../v1.33.4"})
  void refusesWhatIsNotAVersion(String version) {
    assertThatThrownBy(() -> K3sInventory.k3sVersion(version))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not of the form vX.Y.Z");
  }

  static Topology withWorkerLabel(String key, String value, String taint) {
    String yaml =
        """
        hosts:
          - name: localhost
            connection:
              type: local
        cluster:
          name: hostile
          network:
            mode: nat
            cidr: 192.168.113.0/24
          nodes:
            master:
              instances:
                - id: 1
                  ip: 192.168.113.10
            worker:
              instances:
                - id: 1
                  ip: 192.168.113.20
                  labels:
                    %s: %s
                  taints:
                    - %s
        kubernetes:
          version: v1.33.4
        """
            .formatted(Yaml.quote(key), Yaml.quote(value), Yaml.quote(taint));
    return Topology.of(KubitectYaml.read(yaml, "test"));
  }

  static Stream<List<String>> hostile() {
    return Stream.of(
        List.of("tier\"; rm -rf /", "x", "a=b:NoSchedule", "label"),
        List.of("tier", "x\"\n--node-label=evil", "a=b:NoSchedule", "label"),
        List.of("tier", "{{ lookup('pipe', 'id') }}", "a=b:NoSchedule", "label"),
        List.of("tier", "v".repeat(64), "a=b:NoSchedule", "label"),
        List.of("k".repeat(1_000), "x", "a=b:NoSchedule", "label"),
        List.of("tier", "x", "a=b:NoSchedule\nnode-label: evil", "taint"),
        List.of("tier", "x", "a=b:Sometimes", "taint"),
        List.of("tier", "x", "a=" + "v".repeat(60_000) + ":NoSchedule", "taint"));
  }

  @ParameterizedTest
  @MethodSource("hostile")
  void refusesLabelsAndTaintsKubernetesWouldNot(List<String> c) {
    Topology topology = withWorkerLabel(c.get(0), c.get(1), c.get(2));
    InfrastructureStatus infra = TestSpecs.infrastructure(topology, Map.of());

    assertThatThrownBy(() -> K3sInventory.of(topology, infra))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("node hostile-worker-1: the " + c.get(3))
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(400));
  }

  @Test
  void writesTheTokenPrivatelyAndRewritesTheDirectoryWhole(@TempDir Path temp) throws IOException {
    K3sInventory inventory = render(cases().findFirst().orElseThrow());
    Path dir = temp.resolve("inventory");
    Files.createDirectories(dir.resolve("group_vars/stale"));
    Files.writeString(dir.resolve("group_vars/stale/old.yml"), "x: 1\n");

    inventory.write(dir, "ab".repeat(32));

    Path token = dir.resolve(K3sInventory.TOKEN_FILE);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(token)))
        .isEqualTo("rw-------");
    assertThat(Files.readString(token))
        .isEqualTo("---\ntoken: !unsafe \"" + "ab".repeat(32) + "\"\n");
    assertThat(dir.resolve("group_vars/stale")).doesNotExist();
    assertThat(dir.resolve(K3sInventory.HOSTS_FILE)).exists();
  }

  private static Object load(String yaml) {
    return new org.yaml.snakeyaml.Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
  }
}
