package io.kubitect.kubespray.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubitect.core.spi.Topology;
import io.kubitect.model.ClusterSpec;
import io.kubitect.model.KubernetesManager;
import io.kubitect.model.Rook;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The Rook plan of §5.4: candidates, selector matching, OSD nodes, counts and skipping. */
class RookPlanTest {
  private static final ClusterSpec ROOK = TestSpecs.topology("rook-selector.yaml").spec();

  static Topology with(ClusterSpec spec, UnaryOperator<Rook> change) {
    return Topology.of(spec.withAddons(spec.addons().withRook(change.apply(spec.addons().rook()))));
  }

  @Test
  void selectsMatchingWorkersAndTheOnesWithDisksAsOsdNodes() {
    RookPlan plan = RookPlan.of(Topology.of(ROOK));

    assertThat(plan.candidates())
        .containsExactly("rook-worker-1", "rook-worker-2", "rook-worker-3", "rook-worker-4");
    // storage: "" asks only for the key; zone: a for the value.
    assertThat(plan.nodes()).containsExactly("rook-worker-1", "rook-worker-2", "rook-worker-3");
    assertThat(plan.osdNodes()).containsExactly("rook-worker-1", "rook-worker-2");
    assertThat(plan.mon()).isEqualTo(3);
    assertThat(plan.mgr()).isEqualTo(2);
    assertThat(plan.replication()).isEqualTo(2);
    assertThat(plan.minSize()).isEqualTo(1);
    assertThat(plan.installs()).isTrue();
    assertThat(plan.affinity()).isEqualTo("storage; zone=a");
    assertThat(plan.describe()).contains("mon=3 mgr=2 replication=2 min_size=1", "v1.13.4");
  }

  @Test
  void anEmptySelectorTakesEveryCandidate() {
    RookPlan plan = RookPlan.of(with(ROOK, r -> r.withNodeSelector(Map.of())));

    assertThat(plan.nodes()).hasSize(4);
    assertThat(plan.osdNodes()).containsExactly("rook-worker-1", "rook-worker-2", "rook-worker-4");
    assertThat(plan.replication()).isEqualTo(3);
    assertThat(plan.minSize()).isEqualTo(2);
  }

  @Test
  void takesTheMastersWhenThereAreNoWorkers() {
    Topology workerless = TestSpecs.topology("workerless.yaml");
    RookPlan plan = RookPlan.of(with(workerless.spec(), r -> r.withEnabled(true)));

    assertThat(plan.candidates())
        .containsExactly("workerless-master-1", "workerless-master-2", "workerless-master-3");
    assertThat(plan.nodes()).isEqualTo(plan.candidates());
    assertThat(plan.osdNodes()).isEmpty();
    assertThat(plan.installs()).isFalse();
    assertThat(plan.skipReason())
        .hasValue("no master has a data disk (Ceph needs one per storage" + " node)");
  }

  @Test
  void countsFollowTheNodeNumbers() {
    ClusterSpec one = ROOK.withoutWorker("2").withoutWorker("3").withoutWorker("4");
    RookPlan plan = RookPlan.of(Topology.of(one));

    assertThat(plan.nodes()).containsExactly("rook-worker-1");
    assertThat(plan.mon()).isEqualTo(1);
    assertThat(plan.mgr()).isEqualTo(1);
    assertThat(plan.replication()).isEqualTo(1);
    assertThat(plan.minSize()).isEqualTo(1);
  }

  @Test
  void skipsWithTheReasonWhenTheSelectorMatchesNothing() {
    RookPlan plan = RookPlan.of(with(ROOK, r -> r.withNodeSelector(Map.of("zone", "c"))));

    assertThat(plan.installs()).isFalse();
    assertThat(plan.skipReason().orElseThrow())
        .isEqualTo("no worker matches addons.rook.nodeSelector {zone=c}");
    assertThat(plan.describe()).startsWith("skipped: no worker matches");
  }

  @Test
  void aDisabledAddonInstallsNothingAndIsNotSkipped() {
    RookPlan plan = RookPlan.of(with(ROOK, r -> r.withEnabled(false)));

    assertThat(plan.installs()).isFalse();
    assertThat(plan.skipReason()).isEmpty();
    assertThat(plan.describe()).isEqualTo("addons.rook is not enabled");
  }

  @Test
  void labelsMatchUnderK3sToo() {
    // Kubitect read node_labels from the inventory, which k3s inventories lack.
    Topology k3s =
        Topology.of(ROOK.withKubernetes(ROOK.kubernetes().withManager(KubernetesManager.K3S)));

    assertThat(RookPlan.of(k3s).osdNodes()).containsExactly("rook-worker-1", "rook-worker-2");
  }

  @Test
  void refusesAVersionThatIsNotVxyz() {
    for (String version :
        new String[] {"../x", "v1.13", "latest", "v1.13.4\nimage: evil", "1.13.4"}) {
      assertThatThrownBy(() -> RookPlan.of(with(ROOK, r -> r.withVersion(version))))
          .as(version)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("addons.rook.version ")
          .hasMessageEndingWith(" is not a version of the form vX.Y.Z")
          .hasMessageNotContaining("\n");
    }
  }

  @Test
  void anEmptyVersionIsTheChartsDefault() {
    assertThat(RookPlan.of(with(ROOK, r -> r.withVersion(""))).version()).isEmpty();
  }

  @Test
  void refusesSelectorKeysAndValuesThatAreNotLabels() {
    String[][] hostile = {
      {"zone\"x", "a"},
      {"zone\nimage", "a"},
      {"{{ lookup('pipe','id') }}", "a"},
      {"", "a"},
      {"zone", "a;b=c"},
      {"zone", "a\nb"},
      {"zone", "{{ x }}"},
      {"Example.COM/zone", "a"},
      {"x".repeat(64), "a"},
    };
    for (String[] entry : hostile) {
      assertThatThrownBy(
              () -> RookPlan.of(with(ROOK, r -> r.withNodeSelector(Map.of(entry[0], entry[1])))))
          .as("%s=%s", entry[0], entry[1])
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("addons.rook.nodeSelector ")
          .hasMessageNotContaining("\n");
    }
  }

  @Test
  void aHugeSelectorIsPlannedQuicklyAndShownShort() {
    Map<String, String> selector = new LinkedHashMap<>();
    for (int i = 0; i < 10_000; i++) {
      selector.put("example.com/key-" + i, "v" + i);
    }
    long start = System.nanoTime();
    RookPlan plan = RookPlan.of(with(ROOK, r -> r.withNodeSelector(selector)));

    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
    assertThat(plan.installs()).isFalse();
    assertThat(plan.skipReason().orElseThrow()).contains("(and 9995 more)").hasSizeLessThan(400);
  }
}
