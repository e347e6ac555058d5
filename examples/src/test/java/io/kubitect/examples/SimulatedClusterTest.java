package io.kubitect.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubitect.core.AppliedCluster;
import io.kubitect.core.ApplyAction;
import io.kubitect.core.Kubitect;
import io.kubitect.core.KubitectEvent;
import io.kubitect.core.NodeStatus;
import io.kubitect.core.Phase;
import io.kubitect.core.ResourceChange;
import io.kubitect.core.loadbalancer.KeepalivedHaproxyConfigurator;
import io.kubitect.kubespray.KubesprayInstaller;
import io.kubitect.libvirt.LibvirtProvisioner;
import io.kubitect.model.ClusterSpec;
import io.kubitect.model.KubitectYaml;
import io.kubitect.model.NodeInstance;
import io.kubitect.testing.KubitectTest;
import io.kubitect.testing.RecordingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SDK as a unit-test fixture: the seed's HA cluster on simulated hosts, as in the README. */
class SimulatedClusterTest {
  /** The README's example: the extension applies ha.yaml, the test gets the cluster. */
  @Nested
  @KubitectTest(spec = "ha.yaml")
  class AsAFixture {
    @Test
    void myPlatformToolCreatesTheCluster(
        AppliedCluster cluster, Kubitect kubitect, ClusterSpec spec) {
      assertThat(cluster.nodes()).hasSize(8);
      assertThat(cluster.simulated()).isTrue();
      assertThat(cluster.apiEndpoint()).contains("10.10.13.200");
      assertThat(cluster.nodes()).extracting(NodeStatus::host).contains("host1", "host5");
      AppliedCluster again = kubitect.apply(spec, ApplyAction.CREATE);
      assertThat(again.mutatingCalls()).isZero();
      assertThat(again)
          .usingRecursiveComparison()
          .ignoringFields("mutatingCalls")
          .isEqualTo(cluster);
    }
  }

  /** The same without the extension: a Kubitect on simulated hosts in a temporary directory. */
  @Test
  void withoutTheExtension(@TempDir Path state) {
    try (Kubitect kubitect =
        Kubitect.builder().simulatedHosts().home(state).stateDirectory(state).build()) {
      AppliedCluster cluster =
          kubitect.apply(kubitect.plan(KubitectYaml.read(Path.of("ha.yaml")), ApplyAction.CREATE));
      assertThat(cluster.nodes()).hasSize(8);
      kubitect.destroy("kubitect-ha");
    }
  }

  /** The real tools that check rendered files; missing ones skip outside CI, fail in CI. */
  private static void requireCheckTools() {
    boolean installed =
        List.of("haproxy", "ansible-inventory").stream()
            .allMatch(
                tool ->
                    Files.isExecutable(Path.of("/usr/sbin", tool))
                        || Files.isExecutable(Path.of("/usr/bin", tool)));
    Assumptions.assumeTrue(
        installed || System.getenv("CI") != null,
        "haproxy and ansible-inventory check the rendered files (apt-get install haproxy"
            + " ansible-core)");
  }

  @Test
  void theWholePipelineWithEveryExecutorOnSimulatedHosts(@TempDir Path state) {
    requireCheckTools();
    RecordingListener events = new RecordingListener();
    ClusterSpec spec = KubitectYaml.read(Path.of("ha.yaml"));
    try (LibvirtProvisioner hosts = LibvirtProvisioner.builder().simulated().build()) {
      Kubitect kubitect =
          Kubitect.builder()
              .provisioner(hosts)
              .loadBalancers(new KeepalivedHaproxyConfigurator().checkingRenderedFiles())
              .installer(KubesprayInstaller.builder().checkRenderedInventory(true).build())
              .stateDirectory(state)
              .listener(events)
              .build();

      kubitect.apply(spec, ApplyAction.CREATE);

      assertThat(events.failedSteps()).isEmpty();
      assertThat(events.failedPhases()).isEmpty();
      assertThat(events.lines())
          .anyMatch(e -> e.contains("haproxy -c accepts it"))
          .anyMatch(e -> e.contains("ansible-inventory reads 8 hosts"));
      events.assertPaired(); // every start has its end
      assertThat(events.events(KubitectEvent.PhaseFinished.class))
          .extracting(KubitectEvent.PhaseFinished::phase)
          .containsSubsequence(
              Phase.PLAN, Phase.PROVISION, Phase.LOAD_BALANCERS, Phase.KUBERNETES, Phase.STATE);
      Path dir = state.resolve("kubitect-ha");
      assertThat(dir.resolve("config/kubitect-applied.yaml")).exists();
      assertThat(dir.resolve("config/known_hosts")).content().hasLineCount(8);
      assertThat(dir.resolve("artifacts/load-balancers/kubitect-ha-lb-1/haproxy.cfg"))
          .content()
          .contains("10.10.13.10:6443");
      assertThat(dir.resolve("artifacts/load-balancers/kubitect-ha-lb-2/keepalived.conf"))
          .content()
          .contains("10.10.13.200");
      assertThat(dir.resolve("ansible/inventory/hosts.yaml"))
          .content()
          .contains("kubitect-ha-worker-3");

      events.clear();
      AppliedCluster again = kubitect.apply(spec, ApplyAction.CREATE);
      assertThat(events.events(KubitectEvent.PhaseFinished.class))
          .anyMatch(
              e -> e.phase() == Phase.PLAN && e.detail().equals("no changes; checking the hosts"));
      assertThat(events.events(KubitectEvent.PhaseStarted.class))
          .noneMatch(e -> e.phase() == Phase.KUBERNETES);
      assertThat(again.mutatingCalls()).isZero();

      assertThat(kubitect.clusters()).containsExactly("kubitect-ha");
      assertThat(kubitect.exportConfig("kubitect-ha")).contains("distro: ubuntu22");
      kubitect.destroy("kubitect-ha");
      assertThat(dir).doesNotExist();
      assertThat(kubitect.clusters()).isEmpty();
    }
  }

  /** The cluster an apply returns says what that apply did to each node. */
  @Test
  void applyReturnsWhatItDidToEachNode(@TempDir Path work) {
    ClusterSpec spec = KubitectYaml.read(Path.of("ha.yaml"));
    try (Kubitect kubitect =
        Kubitect.builder()
            .simulatedHosts()
            .home(work.resolve("home"))
            .stateDirectory(work.resolve("state"))
            .build()) {
      AppliedCluster created = kubitect.apply(spec, ApplyAction.CREATE);
      assertThat(created.nodes())
          .hasSize(8)
          .allSatisfy(n -> assertThat(n.change()).isEqualTo(ResourceChange.CREATED));

      AppliedCluster again = kubitect.apply(spec, ApplyAction.CREATE);
      assertThat(again.nodes())
          .hasSize(8)
          .allSatisfy(n -> assertThat(n.change()).isEqualTo(ResourceChange.UNCHANGED));

      ClusterSpec scaled =
          spec.withWorker(NodeInstance.builder().id("4").host("host1").ip("10.10.13.23").build());
      AppliedCluster grown = kubitect.apply(scaled, ApplyAction.SCALE);
      assertThat(grown.nodes()).hasSize(9);
      assertThat(grown.nodes())
          .filteredOn(n -> n.change() == ResourceChange.CREATED)
          .extracting(NodeStatus::name)
          .containsExactly("kubitect-ha-worker-4");

      AppliedCluster shrunk = kubitect.apply(spec, ApplyAction.SCALE);
      assertThat(shrunk.nodes())
          .hasSize(8)
          .noneMatch(n -> n.name().equals("kubitect-ha-worker-4"))
          .allSatisfy(n -> assertThat(n.change()).isEqualTo(ResourceChange.UNCHANGED));

      // read back from the state later, nothing was just done to any node
      assertThat(kubitect.cluster("kubitect-ha").orElseThrow().nodes())
          .allSatisfy(n -> assertThat(n.change()).isEqualTo(ResourceChange.UNCHANGED));
      kubitect.destroy("kubitect-ha");
    }
  }
}
