package com.example.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubitect.core.AppliedCluster;
import io.kubitect.core.ApplyAction;
import io.kubitect.core.Kubitect;
import io.kubitect.core.KubitectEvent;
import io.kubitect.core.NodePlan;
import io.kubitect.core.NodeStatus;
import io.kubitect.core.Plan;
import io.kubitect.core.SpecValidator;
import io.kubitect.core.StepOutcome;
import io.kubitect.model.ClusterSpec;
import io.kubitect.model.NodeInstance;
import io.kubitect.testing.ClusterDirectory;
import io.kubitect.testing.KubitectExtension;
import io.kubitect.testing.RecordingListener;
import io.kubitect.testing.SpecFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a platform tool's tests do with kubitect-testing, through its public API only: Kubitect's
 * minimal preset and the seed's HA cluster applied on simulated hosts, their rendered files looked
 * at, the HA cluster scaled out. Every fixture makes its temporary directory in {@link #FIXTURES};
 * the nested classes' fixtures are closed before this class's {@code @AfterAll}, which checks that
 * nothing is left there.
 */
class PlatformToolTest {
  static final Path FIXTURES = Path.of("target", "kubitect-fixtures").toAbsolutePath();

  /** Step outcomes that changed something on a host. */
  private static final Set<StepOutcome> MUTATIONS =
      EnumSet.of(StepOutcome.CREATED, StepOutcome.CHANGED, StepOutcome.REMOVED);

  @BeforeAll
  static void startWithoutLeftovers() throws IOException {
    assertThat(entriesIn(FIXTURES))
        .as("%s is left from an earlier run (mvn clean)", FIXTURES)
        .isEmpty();
  }

  @AfterAll
  static void nothingIsLeftBehind() throws IOException {
    assertThat(FIXTURES).as("the fixtures' temporary directories were made here").isDirectory();
    assertThat(entriesIn(FIXTURES)).as("left in %s", FIXTURES).isEmpty();
    // Simulated hosts write their definition to java.io.tmpdir and delete it once connected.
    String simulatedHostFile = "kubitect-simulated-" + ProcessHandle.current().pid() + "-";
    assertThat(entriesIn(Path.of(System.getProperty("java.io.tmpdir"))))
        .as("simulated host files of this JVM in java.io.tmpdir")
        .noneMatch(p -> p.getFileName().toString().startsWith(simulatedHostFile));
  }

  /** Kubitect's minimal preset: one master on this machine, its address leased by DHCP. */
  @Nested
  class MinimalPreset {
    @RegisterExtension
    final KubitectExtension kubitect =
        KubitectExtension.builder()
            .spec("src/test/resources/minimal.yaml")
            .temporaryDirectoryIn(FIXTURES)
            .checkEventPairing()
            .build();

    @Test
    void theMasterGetsALeaseAndTheDefaultKubernetesVersion(
        AppliedCluster cluster, ClusterSpec spec, @ClusterDirectory Path dir) throws IOException {
      assertThat(dir).startsWith(FIXTURES);
      assertThat(cluster.simulated()).isTrue();
      assertThat(cluster.nodes()).hasSize(1);
      NodeStatus master = cluster.nodes().get(0);
      assertThat(master.name()).isEqualTo("k8s-cluster-master-1");
      assertThat(master.host()).isEqualTo("localhost");
      // No ip in the preset: the address is the NAT network's DHCP lease, never its gateway.
      assertThat(spec.cluster().nodes().master().instances().get(0).ip()).isEmpty();
      String ip = master.ip().orElseThrow();
      assertThat(ip).startsWith("192.168.113.").isNotEqualTo("192.168.113.1");
      assertThat(cluster.apiEndpoint()).contains(ip);

      // No kubernetes section: the model's default version is filled in and accepted.
      assertThat(spec.kubernetes().version()).isEmpty();
      assertThat(SpecValidator.validate(spec).errors()).isEmpty();
      String version = spec.resolveDefaults().kubernetes().version().orElseThrow();
      assertThat(version).matches("v\\d+\\.\\d+\\.\\d+");
      assertThat(kubesprayVariable(dir, "kube_version")).isIn(version, version.substring(1));

      Domain domain = Domain.read(dir, "localhost", master.name());
      assertThat(domain.name()).isEqualTo(master.name());
      assertThat(domain.mac()).isEqualTo(master.mac().orElseThrow());
      assertThat(domain.interfaceType()).isEqualTo("network");
      String network = Files.readString(dir.resolve("artifacts/hosts/localhost/network.xml"));
      assertThat(network)
          .contains("192.168.113.1")
          .as("a node without an ip has no DHCP reservation")
          .doesNotContain(master.mac().orElseThrow());
    }
  }

  /** The seed's HA cluster, shared by the ordered tests of the class, scaled by the last. */
  @Nested
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  class HaCluster {
    @RegisterExtension
    static final KubitectExtension KUBITECT =
        KubitectExtension.builder()
            .spec(SpecFixtures.HA)
            .lifecycle(KubitectExtension.Lifecycle.PER_CLASS)
            .temporaryDirectoryIn(FIXTURES)
            .checkEventPairing()
            .build();

    @Test
    @Order(1)
    void isAppliedOnSimulatedHosts(AppliedCluster cluster, @ClusterDirectory Path dir) {
      assertThat(dir).startsWith(FIXTURES);
      assertThat(cluster.name()).isEqualTo("kubitect-ha");
      assertThat(cluster.simulated()).isTrue();
      assertThat(cluster.apiEndpoint()).contains("10.10.13.200");
      assertThat(cluster.nodes())
          .extracting(NodeStatus::name)
          .containsExactlyInAnyOrder(
              "kubitect-ha-lb-1",
              "kubitect-ha-lb-2",
              "kubitect-ha-master-1",
              "kubitect-ha-master-2",
              "kubitect-ha-master-3",
              "kubitect-ha-worker-1",
              "kubitect-ha-worker-2",
              "kubitect-ha-worker-3");
    }

    @Test
    @Order(2)
    void definesEachNodeOnItsHost(AppliedCluster cluster, @ClusterDirectory Path dir)
        throws IOException {
      NodeStatus worker = node(cluster, "kubitect-ha-worker-1");
      assertThat(worker.host()).isEqualTo("host3");
      Domain domain = Domain.read(dir, "host3", worker.name());
      assertThat(domain.name()).isEqualTo("kubitect-ha-worker-1");
      assertThat(domain.vcpus()).isEqualTo(2); // the defaults: 2 CPUs, 4 GiB
      assertThat(domain.memoryKib()).isEqualTo(4L * 1024 * 1024);
      assertThat(domain.mac()).isEqualTo(worker.mac().orElseThrow());
      assertThat(domain.interfaceType()).isEqualTo("bridge");
      assertThat(domain.bridge()).isEqualTo("br0");
      assertThat(domain.volumes())
          .contains("kubitect-ha-worker-1-main-disk", "kubitect-ha-worker-1-rook-data-disk");
      assertThat(dir.resolve("artifacts/hosts/host3/cloud-init/kubitect-ha-worker-1/user-data"))
          .isRegularFile();
    }

    @Test
    @Order(3)
    void writesTheKubesprayInventory(@ClusterDirectory Path dir) throws IOException {
      Inventory inventory = Inventory.read(dir);
      assertThat(inventory.group("kube_control_plane"))
          .containsExactly("kubitect-ha-master-1", "kubitect-ha-master-2", "kubitect-ha-master-3");
      assertThat(inventory.group("etcd")).isEqualTo(inventory.group("kube_control_plane"));
      assertThat(inventory.group("kube_node"))
          .containsExactly("kubitect-ha-worker-1", "kubitect-ha-worker-2", "kubitect-ha-worker-3");
      assertThat(inventory.group("haproxy"))
          .containsExactly("kubitect-ha-lb-1", "kubitect-ha-lb-2");
      assertThat(inventory.ansibleHost("kubitect-ha-master-2")).isEqualTo("10.10.13.11");
    }

    @Test
    @Order(4)
    void scalesOutByOneWorker(
        Kubitect kubitect, ClusterSpec spec, RecordingListener events, @ClusterDirectory Path dir)
        throws IOException {
      ClusterSpec scaled =
          spec.withWorker(NodeInstance.builder().id("4").host("host1").ip("10.10.13.23").build());

      Plan plan = kubitect.plan(scaled, ApplyAction.SCALE);
      assertThat(plan.isRefused()).isFalse();
      Map<String, NodePlan.Action> actions =
          plan.nodes().stream().collect(Collectors.toMap(NodePlan::name, NodePlan::action));
      assertThat(actions).hasSize(9).containsEntry("kubitect-ha-worker-4", NodePlan.Action.CREATE);
      assertThat(actions.values())
          .filteredOn(action -> action != NodePlan.Action.UNCHANGED)
          .hasSize(1);

      events.clear();
      AppliedCluster applied = kubitect.apply(plan);
      NodeStatus added = node(applied, "kubitect-ha-worker-4");
      assertThat(added.host()).isEqualTo("host1");
      assertThat(added.ip()).contains("10.10.13.23");
      assertThat(applied.nodes()).hasSize(9);
      // Only the new worker's resources were created or changed; no other node was touched.
      List<String> touched =
          events.events(KubitectEvent.StepFinished.class).stream()
              .filter(e -> MUTATIONS.contains(e.outcome()))
              .flatMap(e -> e.step().node().stream())
              .distinct()
              .toList();
      assertThat(touched).containsExactly("kubitect-ha-worker-4");
      assertThat(events.failedSteps()).isEmpty();

      Inventory inventory = Inventory.read(dir);
      assertThat(inventory.group("kube_node")).endsWith("kubitect-ha-worker-4").hasSize(4);
      assertThat(inventory.ansibleHost("kubitect-ha-worker-4")).isEqualTo("10.10.13.23");
      Domain domain = Domain.read(dir, "host1", "kubitect-ha-worker-4");
      assertThat(domain.name()).isEqualTo("kubitect-ha-worker-4");
      assertThat(domain.mac()).isEqualTo(added.mac().orElseThrow());
      assertThat(kubitect.cluster("kubitect-ha").orElseThrow().nodes()).hasSize(9);
    }
  }

  private static NodeStatus node(AppliedCluster cluster, String name) {
    return cluster.nodes().stream()
        .filter(n -> n.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no node " + name + " in " + cluster.nodes()));
  }

  /** The value of a Kubespray variable in the inventory's group variables, as written. */
  private static String kubesprayVariable(Path dir, String name) throws IOException {
    String prefix = name + ": ";
    try (Stream<Path> files = Files.walk(dir.resolve("ansible/inventory/group_vars"))) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        for (String line : Files.readAllLines(file)) {
          if (line.startsWith(prefix)) {
            return line.substring(prefix.length()).replace("\"", "").trim();
          }
        }
      }
    }
    throw new AssertionError("no variable " + name + " in " + dir.resolve("ansible/inventory"));
  }

  private static List<Path> entriesIn(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.toList();
    }
  }
}
