package io.kubitect.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.kubitect.core.spi.KubernetesInstaller;
import io.kubitect.model.ClusterSpec;
import io.kubitect.model.DataDisk;
import io.kubitect.model.ForwardPort;
import io.kubitect.model.NetworkPlugin;
import io.kubitect.model.NodeInstance;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The worked examples of reference §2.5 with Kubitect's quirks fixed: one change per node, label,
 * taint and data-disk edits judged sensibly, {@code addons.kubespray} seen, one to two load
 * balancers possible, masters scaled in and out.
 */
class PlannerTest {
  private static final ClusterSpec APPLIED = Specs.valid();
  private static final String W1 = "cluster.nodes.worker.instances[id=1]";

  private static Plan plan(ClusterSpec desired, ApplyAction action) {
    return Planner.plan(Optional.of(APPLIED), desired, action);
  }

  private static List<PlannedChange> changes(ClusterSpec desired, ApplyAction action) {
    return plan(desired, action).changes();
  }

  private static ClusterSpec withWorkers(NodeInstance... extra) {
    return Specs.workers(
        APPLIED,
        g -> {
          List<NodeInstance> all = new ArrayList<>(g.instances());
          all.addAll(List.of(extra));
          return g.withInstances(all);
        });
  }

  @Nested
  class NewCluster {
    @Test
    void createsEveryNodeAndInstallsOnMastersAndWorkers() {
      Plan plan = Planner.plan(Optional.empty(), APPLIED, ApplyAction.CREATE);

      assertThat(plan.isNewCluster()).isTrue();
      assertThat(plan.isRefused()).isFalse();
      assertThat(plan.nodes())
          .extracting(NodePlan::name, NodePlan::action)
          .containsExactly(
              tuple("k8s-lb-1", NodePlan.Action.CREATE),
              tuple("k8s-lb-2", NodePlan.Action.CREATE),
              tuple("k8s-master-1", NodePlan.Action.CREATE),
              tuple("k8s-master-2", NodePlan.Action.CREATE),
              tuple("k8s-master-3", NodePlan.Action.CREATE),
              tuple("k8s-worker-1", NodePlan.Action.CREATE),
              tuple("k8s-worker-2", NodePlan.Action.CREATE));
      assertThat(plan.installerSteps())
          .containsExactly(
              new Plan.InstallerStep(
                  KubernetesInstaller.Action.CREATE,
                  List.of(
                      "k8s-master-1",
                      "k8s-master-2",
                      "k8s-master-3",
                      "k8s-worker-1",
                      "k8s-worker-2")));
      assertThat(plan.provisions()).isTrue();
      assertThat(plan.configuresLoadBalancers()).isTrue();
    }

    @Test
    void scaleOrUpgradeOfAMissingClusterIsRefused() {
      for (ApplyAction action : List.of(ApplyAction.SCALE, ApplyAction.UPGRADE)) {
        Plan plan = Planner.plan(Optional.empty(), APPLIED, action);
        assertThat(plan.refused())
            .singleElement()
            .satisfies(c -> assertThat(c.reason()).contains("has not been created yet"));
      }
    }
  }

  @Nested
  class Converge {
    @Test
    void unchangedSpecHasNoChanges() {
      Plan plan = plan(Specs.valid(), ApplyAction.CREATE);
      assertThat(plan.hasChanges()).isFalse();
      assertThat(plan.installerSteps()).isEmpty();
      assertThat(plan.render()).contains("No changes.");
    }

    @Test
    void reorderingInstancesIsNoChange() {
      ClusterSpec reordered =
          Specs.workers(
              APPLIED, g -> g.withInstances(List.of(g.instances().get(1), g.instances().get(0))));
      assertThat(plan(reordered, ApplyAction.CREATE).hasChanges()).isFalse();
    }

    @Test
    void cpuChangeOfAWorkerIsRefusedOnThatNode() {
      assertThat(changes(Specs.worker(APPLIED, 0, w -> w.withCpu(4)), ApplyAction.CREATE))
          .extracting(PlannedChange::path, PlannedChange::node, PlannedChange::verdict)
          .containsExactly(tuple(W1 + ".cpu", Optional.of("k8s-worker-1"), Verdict.REFUSED));
    }

    @Test
    void addingTwoWorkersGivesOneRefusalPerNode() {
      ClusterSpec desired =
          withWorkers(
              Specs.instance("3", "h2", "10.10.13.22"), Specs.instance("4", "h3", "10.10.13.23"));
      assertThat(changes(desired, ApplyAction.CREATE))
          .extracting(PlannedChange::path, PlannedChange::kind, PlannedChange::verdict)
          .containsExactly(
              tuple("cluster.nodes.worker.instances[id=3]", ChangeKind.CREATE, Verdict.REFUSED),
              tuple("cluster.nodes.worker.instances[id=4]", ChangeKind.CREATE, Verdict.REFUSED));
    }

    /**
     * Every node carries its own changes and only those (they are grouped by node once, not looked
     * up with a scan of every change per node).
     */
    @Test
    void changesOnEveryNodeStayWithTheirNode() {
      ClusterSpec labelled =
          Specs.workers(
              APPLIED,
              g ->
                  g.withInstances(
                      g.instances().stream()
                          .map(
                              w -> {
                                Map<String, String> labels = new java.util.TreeMap<>(w.labels());
                                labels.put("zone", "z" + w.id().orElseThrow());
                                return w.withLabels(labels);
                              })
                          .toList()));
      Plan plan = plan(labelled, ApplyAction.CREATE);

      assertThat(plan.nodes())
          .filteredOn(n -> n.name().startsWith("k8s-worker-"))
          .hasSize(2)
          .allSatisfy(
              n -> {
                assertThat(n.action()).isEqualTo(NodePlan.Action.UPDATE);
                assertThat(n.changes())
                    .singleElement()
                    .satisfies(
                        c -> {
                          assertThat(c.node()).contains(n.name());
                          assertThat(c.after()).contains("z" + n.name().substring(11));
                        });
              });
      assertThat(plan.nodes())
          .filteredOn(n -> !n.name().startsWith("k8s-worker-"))
          .allSatisfy(n -> assertThat(n.changes()).isEmpty());
    }

    @Test
    void labelEditsAdditionsAndRemovalsAreAllowedAndRerunTheInstaller() {
      ClusterSpec edited = Specs.worker(APPLIED, 0, w -> w.withLabels(Map.of("disk", "hdd")));
      ClusterSpec added =
          Specs.worker(APPLIED, 0, w -> w.withLabels(Map.of("disk", "ssd", "zone", "a")));
      ClusterSpec removed = Specs.worker(APPLIED, 0, w -> w.withLabels(Map.of()));
      for (ClusterSpec desired : List.of(edited, added, removed)) {
        Plan plan = plan(desired, ApplyAction.CREATE);
        assertThat(plan.changes())
            .singleElement()
            .satisfies(c -> assertThat(c.verdict()).isEqualTo(Verdict.ALLOWED));
        assertThat(plan.installerSteps())
            .extracting(Plan.InstallerStep::action)
            .containsExactly(KubernetesInstaller.Action.CREATE);
      }
    }

    @Test
    void taintsAreAllowed() {
      ClusterSpec desired = Specs.worker(APPLIED, 0, w -> w.withTaints("dedicated=db:NoSchedule"));
      assertThat(changes(desired, ApplyAction.CREATE))
          .extracting(PlannedChange::path, PlannedChange::verdict)
          .containsExactly(tuple(W1 + ".taints[dedicated=db:NoSchedule]", Verdict.ALLOWED));
    }

    @Test
    void addingADataDiskIsAllowedResizingOrRemovingIsDangerousAndOneChange() {
      DataDisk extra = DataDisk.builder().name("logs").size(10).build();
      List<DataDisk> more =
          new ArrayList<>(APPLIED.cluster().nodes().worker().instances().get(0).dataDisks());
      more.add(extra);
      assertThat(changes(Specs.worker(APPLIED, 0, w -> w.withDataDisks(more)), ApplyAction.CREATE))
          .extracting(PlannedChange::path, PlannedChange::kind, PlannedChange::verdict)
          .containsExactly(tuple(W1 + ".dataDisks[name=logs]", ChangeKind.CREATE, Verdict.ALLOWED));

      ClusterSpec resized =
          Specs.worker(
              APPLIED,
              0,
              w ->
                  w.withDataDisks(
                      DataDisk.builder().name("rook").pool("data-pool").size(128).build()));
      assertThat(changes(resized, ApplyAction.CREATE))
          .extracting(PlannedChange::path, PlannedChange::verdict)
          .containsExactly(tuple(W1 + ".dataDisks[name=rook].size", Verdict.DANGEROUS));

      ClusterSpec removed = Specs.worker(APPLIED, 0, w -> w.withDataDisks(List.of()));
      assertThat(changes(removed, ApplyAction.CREATE))
          .extracting(PlannedChange::path, PlannedChange::kind, PlannedChange::verdict)
          .containsExactly(
              tuple(W1 + ".dataDisks[name=rook]", ChangeKind.DELETE, Verdict.DANGEROUS));
    }

    @Test
    void aDefaultLabelReachesEveryWorkerAsAnAllowedChange() {
      ClusterSpec desired =
          Specs.workers(APPLIED, g -> g.withDefaults(g.defaults().withLabels(Map.of("tier", "x"))));
      assertThat(changes(desired, ApplyAction.CREATE))
          .extracting(PlannedChange::node, PlannedChange::verdict)
          .containsExactly(
              tuple(Optional.of("k8s-worker-1"), Verdict.ALLOWED),
              tuple(Optional.of("k8s-worker-2"), Verdict.ALLOWED));
    }

    @Test
    void aDefaultCpuChangeIsRefusedOnEveryInstanceItReaches() {
      ClusterSpec desired = Specs.workers(APPLIED, g -> g.withDefaults(g.defaults().withCpu(8)));
      assertThat(changes(desired, ApplyAction.CREATE))
          .extracting(PlannedChange::path, PlannedChange::verdict)
          .containsExactly(
              tuple(W1 + ".cpu", Verdict.REFUSED),
              tuple("cluster.nodes.worker.instances[id=2].cpu", Verdict.REFUSED));
    }

    @Test
    void settingAnIpOnADhcpNodeIsRefused() {
      ClusterSpec dhcp = Specs.worker(APPLIED, 0, w -> w.withIp(Optional.empty()));
      Plan plan = Planner.plan(Optional.of(dhcp), APPLIED, ApplyAction.CREATE);
      assertThat(plan.refused())
          .extracting(PlannedChange::path, PlannedChange::kind)
          .containsExactly(tuple(W1 + ".ip", ChangeKind.CREATE));
    }

    @Test
    void forwardPortsAreAllowedAndReconfigureTheLoadBalancersOnly() {
      ClusterSpec desired =
          Specs.lbs(
              APPLIED,
              lb -> lb.withForwardPorts(ForwardPort.builder().name("http").port(80).build()));
      Plan plan = plan(desired, ApplyAction.CREATE);
      assertThat(plan.changes())
          .allSatisfy(c -> assertThat(c.verdict()).isEqualTo(Verdict.ALLOWED));
      assertThat(plan.configuresLoadBalancers()).isTrue();
      assertThat(plan.provisions()).isFalse();
      assertThat(plan.installerSteps()).isEmpty();
    }

    @Test
    void kubesprayAddonsAloneAreSeenAndRerunTheInstaller() {
      ClusterSpec desired =
          APPLIED.withAddons(APPLIED.addons().withKubespray(Map.of("ingress_nginx_enabled", true)));
      Plan plan = plan(desired, ApplyAction.CREATE);
      assertThat(plan.changes())
          .extracting(PlannedChange::path, PlannedChange::verdict)
          .containsExactly(tuple("addons.kubespray.ingress_nginx_enabled", Verdict.ALLOWED));
      assertThat(plan.installerSteps()).hasSize(1);
    }

    @Test
    void enablingRookIsAllowed() {
      assertThat(changes(Specs.rook(APPLIED, r -> r.withEnabled(true)), ApplyAction.CREATE))
          .extracting(PlannedChange::verdict)
          .containsExactly(Verdict.ALLOWED);
    }

    @Test
    void aRookChangeAloneRerunsOnlyTheAddons() {
      Plan plan = plan(Specs.rook(APPLIED, r -> r.withEnabled(true)), ApplyAction.CREATE);

      assertThat(plan.installerSteps())
          .extracting(Plan.InstallerStep::action)
          .containsExactly(KubernetesInstaller.Action.ADDONS);
      assertThat(plan.installerSteps().get(0).nodes())
          .containsExactly(
              "k8s-master-1", "k8s-master-2", "k8s-master-3", "k8s-worker-1", "k8s-worker-2");
      assertThat(plan.render()).contains("Kubernetes: addons on k8s-master-1");
    }

    @Test
    void aRookChangeWithALabelChangeRerunsKubernetesWhichRerunsTheAddons() {
      ClusterSpec desired =
          Specs.worker(
              Specs.rook(APPLIED, r -> r.withNodeSelector(Map.of("storage", "ceph"))),
              0,
              w -> w.withLabels(Map.of("storage", "ceph")));

      assertThat(plan(desired, ApplyAction.CREATE).installerSteps())
          .extracting(Plan.InstallerStep::action)
          .containsExactly(KubernetesInstaller.Action.CREATE);
    }

    @Test
    void aDataDiskRerunsTheAddonsOnlyWhenRookIsEnabled() {
      DataDisk osd = DataDisk.builder().name("osd").size(10).build();
      ClusterSpec withoutRook = Specs.worker(APPLIED, 0, w -> w.withDataDisks(List.of(osd)));
      assertThat(plan(withoutRook, ApplyAction.CREATE).installerSteps()).isEmpty();

      ClusterSpec applied = Specs.rook(APPLIED, r -> r.withEnabled(true));
      ClusterSpec desired = Specs.worker(applied, 0, w -> w.withDataDisks(List.of(osd)));
      assertThat(Planner.plan(Optional.of(applied), desired, ApplyAction.CREATE).installerSteps())
          .extracting(Plan.InstallerStep::action)
          .containsExactly(KubernetesInstaller.Action.ADDONS);
    }

    @Test
    void kubernetesVersionAndNetworkPluginAreRefusedUnderCreate() {
      assertThat(
              changes(Specs.kubernetes(APPLIED, k -> k.withVersion("v1.33.5")), ApplyAction.CREATE))
          .singleElement()
          .satisfies(
              c -> {
                assertThat(c.verdict()).isEqualTo(Verdict.REFUSED);
                assertThat(c.reason()).contains("action upgrade");
              });
      assertThat(
              changes(
                  Specs.kubernetes(APPLIED, k -> k.withNetworkPlugin(NetworkPlugin.CILIUM)),
                  ApplyAction.CREATE))
          .extracting(PlannedChange::path, PlannedChange::verdict)
          .containsExactly(tuple("kubernetes.networkPlugin", Verdict.REFUSED));
    }

    @Test
    void movingTheMainPoolIsDangerousAndANewHostIsAllowed() {
      ClusterSpec moved = Specs.host(APPLIED, 1, h -> h.withMainResourcePoolPath("/srv/pools/"));
      assertThat(changes(moved, ApplyAction.CREATE))
          .extracting(PlannedChange::path, PlannedChange::verdict)
          .containsExactly(tuple("hosts[name=h2].mainResourcePoolPath", Verdict.DANGEROUS));

      ClusterSpec bigger = Specs.addHost(APPLIED, Specs.remoteHost("h4", "10.10.0.7"));
      assertThat(changes(bigger, ApplyAction.CREATE))
          .extracting(PlannedChange::path, PlannedChange::kind, PlannedChange::verdict)
          .containsExactly(tuple("hosts[name=h4]", ChangeKind.CREATE, Verdict.ALLOWED));
    }

    @Test
    void changingTheVipIsRefused() {
      assertThat(changes(Specs.lbs(APPLIED, lb -> lb.withVip("10.10.13.199")), ApplyAction.CREATE))
          .extracting(PlannedChange::path, PlannedChange::verdict)
          .containsExactly(tuple("cluster.nodes.loadBalancer.vip", Verdict.REFUSED));
    }

    @Test
    void networkAndNodeTemplateChangesAreRefused() {
      assertThat(changes(Specs.network(APPLIED, n -> n.withBridge("br1")), ApplyAction.CREATE))
          .extracting(PlannedChange::verdict)
          .containsExactly(Verdict.REFUSED);
      assertThat(changes(Specs.template(APPLIED, t -> t.withUser("admin")), ApplyAction.CREATE))
          .extracting(PlannedChange::verdict)
          .containsExactly(Verdict.REFUSED);
    }
  }

  @Nested
  class Upgrade {
    @Test
    void versionOnlyIsAllowedAndUpgradesEveryKubernetesNode() {
      Plan plan =
          plan(Specs.kubernetes(APPLIED, k -> k.withVersion("v1.33.5")), ApplyAction.UPGRADE);
      assertThat(plan.isRefused()).isFalse();
      assertThat(plan.installerSteps())
          .extracting(Plan.InstallerStep::action)
          .containsExactly(KubernetesInstaller.Action.UPGRADE);
      assertThat(plan.configuresLoadBalancers()).isFalse();
    }

    @Test
    void versionPlusALabelRefusesTheLabel() {
      ClusterSpec desired =
          Specs.worker(
              Specs.kubernetes(APPLIED, k -> k.withVersion("v1.33.5")),
              0,
              w -> w.withLabels(Map.of()));
      assertThat(changes(desired, ApplyAction.UPGRADE))
          .extracting(PlannedChange::path, PlannedChange::verdict)
          .containsExactly(
              tuple(W1 + ".labels.disk", Verdict.REFUSED),
              tuple("kubernetes.version", Verdict.ALLOWED));
    }

    @Test
    void downgradesAndSkippedMinorsAreRefused() {
      ClusterSpec older = Specs.kubernetes(APPLIED, k -> k.withVersion("v1.33.0"));
      assertThat(changes(older, ApplyAction.UPGRADE))
          .singleElement()
          .satisfies(c -> assertThat(c.reason()).contains("cannot be downgraded"));
      ClusterSpec base = Specs.kubernetes(APPLIED, k -> k.withVersion("v1.31.4"));
      Plan skip =
          Planner.plan(
              Optional.of(base),
              Specs.kubernetes(APPLIED, k -> k.withVersion("v1.33.4")),
              ApplyAction.UPGRADE);
      assertThat(skip.refused())
          .singleElement()
          .satisfies(c -> assertThat(c.reason()).contains("one minor version at a time"));
    }
  }

  @Nested
  class Scale {
    @Test
    void removingTwoWorkersRemovesBothFromKubernetes() {
      ClusterSpec desired = Specs.workers(APPLIED, g -> g.withInstances(List.of()));
      Plan plan = plan(desired, ApplyAction.SCALE);
      assertThat(plan.changes())
          .extracting(PlannedChange::node, PlannedChange::kind, PlannedChange::verdict)
          .containsExactly(
              tuple(Optional.of("k8s-worker-1"), ChangeKind.DELETE, Verdict.ALLOWED),
              tuple(Optional.of("k8s-worker-2"), ChangeKind.DELETE, Verdict.ALLOWED));
      assertThat(plan.installerSteps())
          .containsExactly(
              new Plan.InstallerStep(
                  KubernetesInstaller.Action.REMOVE_NODES,
                  List.of("k8s-worker-1", "k8s-worker-2")));
      assertThat(plan.configuresLoadBalancers()).isTrue();
    }

    @Test
    void removingWorkersWithRookEnabledRerunsTheAddonsAfterwards() {
      ClusterSpec applied = Specs.rook(APPLIED, r -> r.withEnabled(true));
      ClusterSpec desired = Specs.workers(applied, g -> g.withInstances(List.of()));

      assertThat(Planner.plan(Optional.of(applied), desired, ApplyAction.SCALE).installerSteps())
          .extracting(Plan.InstallerStep::action)
          .containsExactly(
              KubernetesInstaller.Action.REMOVE_NODES, KubernetesInstaller.Action.ADDONS);
    }

    @Test
    void addingTwoWorkersScalesUpOnlyThoseNodes() {
      ClusterSpec desired =
          withWorkers(
              Specs.instance("3", "h2", "10.10.13.22"), Specs.instance("4", "h3", "10.10.13.23"));
      Plan plan = plan(desired, ApplyAction.SCALE);
      assertThat(plan.isRefused()).isFalse();
      assertThat(plan.installerSteps())
          .containsExactly(
              new Plan.InstallerStep(
                  KubernetesInstaller.Action.SCALE_UP, List.of("k8s-worker-3", "k8s-worker-4")));
      assertThat(plan.nodes())
          .filteredOn(n -> n.action() == NodePlan.Action.CREATE)
          .extracting(NodePlan::name)
          .containsExactly("k8s-worker-3", "k8s-worker-4");
    }

    @Test
    void aNewHostWithANewWorkerIsAllowed() {
      ClusterSpec desired =
          Specs.addHost(
              withWorkers(Specs.instance("3", "h4", "10.10.13.22")),
              Specs.remoteHost("h4", "10.10.0.7"));
      assertThat(plan(desired, ApplyAction.SCALE).changes())
          .extracting(PlannedChange::path, PlannedChange::verdict)
          .containsExactly(
              tuple("cluster.nodes.worker.instances[id=3]", Verdict.ALLOWED),
              tuple("hosts[name=h4]", Verdict.ALLOWED));
    }

    @Test
    void oneToTwoLoadBalancersIsPossibleWhenTheVipWasSet() {
      ClusterSpec single =
          Specs.lbs(APPLIED, lb -> lb.withInstances(List.of(lb.instances().get(0))));
      Plan plan = Planner.plan(Optional.of(single), APPLIED, ApplyAction.SCALE);
      assertThat(plan.changes())
          .extracting(PlannedChange::path, PlannedChange::verdict)
          .containsExactly(tuple("cluster.nodes.loadBalancer.instances[id=2]", Verdict.ALLOWED));
      assertThat(plan.installerSteps()).isEmpty();
      assertThat(plan.configuresLoadBalancers()).isTrue();
    }

    @Test
    void mastersScaleInWithAWarningPerNodeAndOutAllowed() {
      ClusterSpec one = Specs.masters(APPLIED, g -> g.withInstances(List.of(g.instances().get(0))));
      Plan in = plan(one, ApplyAction.SCALE);
      assertThat(in.dangerous())
          .extracting(PlannedChange::node)
          .containsExactly(Optional.of("k8s-master-2"), Optional.of("k8s-master-3"));
      assertThat(in.installerSteps())
          .containsExactly(
              new Plan.InstallerStep(
                  KubernetesInstaller.Action.REMOVE_NODES,
                  List.of("k8s-master-2", "k8s-master-3")));

      Plan out = Planner.plan(Optional.of(one), APPLIED, ApplyAction.SCALE);
      assertThat(out.isRefused()).isFalse();
      assertThat(out.dangerous()).isEmpty();
      assertThat(out.installerSteps())
          .containsExactly(
              new Plan.InstallerStep(
                  KubernetesInstaller.Action.SCALE_UP, List.of("k8s-master-2", "k8s-master-3")));
    }

    @Test
    void otherChangesAreRefusedUnderScale() {
      assertThat(changes(Specs.worker(APPLIED, 0, w -> w.withCpu(4)), ApplyAction.SCALE))
          .extracting(PlannedChange::verdict)
          .containsExactly(Verdict.REFUSED);
      ClusterSpec ports =
          Specs.lbs(
              APPLIED,
              lb -> lb.withForwardPorts(ForwardPort.builder().name("http").port(80).build()));
      assertThat(changes(ports, ApplyAction.SCALE))
          .allSatisfy(c -> assertThat(c.verdict()).isEqualTo(Verdict.REFUSED));
    }

    @Test
    void removingAHostIsAllowed() {
      ClusterSpec withExtra = Specs.addHost(APPLIED, Specs.remoteHost("h4", "10.10.0.7"));
      Plan plan = Planner.plan(Optional.of(withExtra), APPLIED, ApplyAction.SCALE);
      assertThat(plan.changes())
          .extracting(PlannedChange::path, PlannedChange::kind, PlannedChange::verdict)
          .containsExactly(tuple("hosts[name=h4]", ChangeKind.DELETE, Verdict.ALLOWED));
    }
  }

  @Test
  void renderNamesEveryNodeAndTheVerdicts() {
    String text =
        plan(Specs.workers(APPLIED, g -> g.withInstances(List.of())), ApplyAction.SCALE).render();
    assertThat(text)
        .contains("- k8s-worker-1 (worker on h2): remove")
        .contains("Kubernetes: remove nodes on k8s-worker-1, k8s-worker-2");
  }
}
