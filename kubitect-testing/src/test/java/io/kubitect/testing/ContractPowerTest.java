package io.kubitect.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubitect.core.NodeStatus;
import io.kubitect.core.Phase;
import io.kubitect.core.ResourceChange;
import io.kubitect.core.Step;
import io.kubitect.core.StepOutcome;
import io.kubitect.core.spi.ClusterCredentials;
import io.kubitect.core.spi.InfrastructureProvisioner;
import io.kubitect.core.spi.InfrastructureStatus;
import io.kubitect.core.spi.Node;
import io.kubitect.core.spi.ProvisioningException;
import io.kubitect.core.spi.StepListener;
import io.kubitect.core.spi.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The contract is not libvirt's alone, and it catches what it promises to: an in-memory provisioner
 * written to the SPI passes it, and each variant that breaks one rule fails exactly the test of
 * that rule, saying why.
 */
class ContractPowerTest {
  /** How a variant misbehaves. */
  enum Flaw {
    NONE,
    RECREATES_ON_REAPPLY,
    DESTROYS_EVERY_CLUSTER,
    LEAVES_A_STEP_OPEN,
    TOUCHES_OTHER_NODES,
    SWALLOWS_THE_INTERRUPT
  }

  /**
   * Hosts as maps from VM name to its owner cluster; one step per node and a host-level step per
   * host, the interrupt checked before each node.
   */
  static final class MemoryProvisioner implements InfrastructureProvisioner {
    private final Flaw flaw;
    private final Map<String, Map<String, String>> hosts = new ConcurrentHashMap<>();

    MemoryProvisioner(Flaw flaw) {
      this.flaw = flaw;
    }

    @Override
    public InfrastructureStatus apply(
        Topology topology, ClusterCredentials credentials, StepListener listener) {
      String cluster = topology.clusterName();
      List<NodeStatus> statuses = new ArrayList<>();
      int mutations = 0;
      for (Node node : topology.nodes()) {
        if (Thread.currentThread().isInterrupted()) {
          if (flaw == Flaw.SWALLOWS_THE_INTERRUPT) {
            Thread.interrupted();
          }
          throw new ProvisioningException(
              "cancelled before " + node.name(), statuses, new InterruptedException());
        }
        Map<String, String> vms =
            hosts.computeIfAbsent(node.host(), h -> new ConcurrentHashMap<>());
        Step step = Step.onNode(Phase.PROVISION, "vm", node.host(), node.name());
        listener.started(step);
        boolean exists = cluster.equals(vms.get(node.name()));
        ResourceChange change;
        if (exists && flaw != Flaw.RECREATES_ON_REAPPLY) {
          change = ResourceChange.UNCHANGED;
        } else {
          vms.put(node.name(), cluster);
          mutations++;
          change = ResourceChange.CREATED;
        }
        if (flaw == Flaw.LEAVES_A_STEP_OPEN && change == ResourceChange.UNCHANGED) {
          // never finished
        } else {
          StepOutcome outcome =
              flaw == Flaw.TOUCHES_OTHER_NODES ? StepOutcome.CHANGED : StepOutcome.of(change);
          listener.finished(step, outcome, "");
        }
        statuses.add(
            new NodeStatus(
                node.name(), node.host(), node.ip(), node.mac(), change, false, Optional.empty()));
      }
      for (Map.Entry<String, Map<String, String>> host : hosts.entrySet()) {
        for (Map.Entry<String, String> vm : List.copyOf(host.getValue().entrySet())) {
          if (vm.getValue().equals(cluster) && topology.node(vm.getKey()).isEmpty()) {
            Step step = Step.onNode(Phase.PROVISION, "remove vm", host.getKey(), vm.getKey());
            listener.started(step);
            host.getValue().remove(vm.getKey());
            mutations++;
            listener.finished(step, StepOutcome.REMOVED, "");
            statuses.add(
                new NodeStatus(
                    vm.getKey(),
                    host.getKey(),
                    Optional.empty(),
                    Optional.empty(),
                    ResourceChange.REMOVED,
                    false,
                    Optional.empty()));
          }
        }
      }
      return new InfrastructureStatus(statuses, true, mutations);
    }

    @Override
    public void destroy(Topology topology, StepListener listener) {
      for (Map.Entry<String, Map<String, String>> host : hosts.entrySet()) {
        Step step = Step.onHost(Phase.DESTROY, "remove cluster", host.getKey());
        listener.started(step);
        host.getValue()
            .values()
            .removeIf(
                owner ->
                    flaw == Flaw.DESTROYS_EVERY_CLUSTER || owner.equals(topology.clusterName()));
        listener.finished(step, StepOutcome.REMOVED, "");
      }
    }

    @Override
    public boolean simulated() {
      return true;
    }

    @Override
    public void close() {
      hosts.clear();
    }
  }

  abstract static class MemoryContract extends InfrastructureProvisionerContract {
    abstract Flaw flaw();

    @Override
    protected InfrastructureProvisioner createProvisioner() {
      return new MemoryProvisioner(flaw());
    }

    @Override
    protected boolean simulated() {
      return true;
    }
  }

  static class Correct extends MemoryContract {
    @Override
    Flaw flaw() {
      return Flaw.NONE;
    }
  }

  static class Recreates extends MemoryContract {
    @Override
    Flaw flaw() {
      return Flaw.RECREATES_ON_REAPPLY;
    }
  }

  static class DestroysEverything extends MemoryContract {
    @Override
    Flaw flaw() {
      return Flaw.DESTROYS_EVERY_CLUSTER;
    }
  }

  static class LeavesStepsOpen extends MemoryContract {
    @Override
    Flaw flaw() {
      return Flaw.LEAVES_A_STEP_OPEN;
    }
  }

  static class TouchesOthers extends MemoryContract {
    @Override
    Flaw flaw() {
      return Flaw.TOUCHES_OTHER_NODES;
    }
  }

  static class SwallowsInterrupts extends MemoryContract {
    @Override
    Flaw flaw() {
      return Flaw.SWALLOWS_THE_INTERRUPT;
    }
  }

  private static final String CREATE = "createsEveryNodeOnItsHostThenReappliesWithoutMutations";
  private static final String SCALE = "scalesOutAndInTouchingOnlyTheChangedNode";
  private static final String DESTROY = "destroyRemovesOnlyWhatTheClusterOwns";
  private static final String INTERRUPT = "anInterruptedApplyLeavesAStateTheNextApplyConvergesFrom";

  /** The tests of a run by name, each failed one with its message, passed ones as "passed". */
  private static Map<String, String> run(Class<?> contract) {
    Map<String, String> results = new java.util.TreeMap<>();
    for (Scenarios.Outcome o : Scenarios.run(contract)) {
      if (!o.container()) {
        results.put(
            o.name().replace("()", ""), o.succeeded() ? "passed" : o.status() + ": " + o.message());
      }
    }
    return results;
  }

  @Test
  void aProvisionerWrittenToTheSpiPasses() {
    assertThat(run(Correct.class))
        .containsOnlyKeys(CREATE, SCALE, DESTROY, INTERRUPT)
        .allSatisfy((test, result) -> assertThat(result).as(test).isEqualTo("passed"));
  }

  @Test
  void eachBrokenRuleFailsItsTestWithTheReason() {
    Map<String, String> recreates = run(Recreates.class);
    assertThat(recreates.get(CREATE)).contains("mutating calls of a re-apply");

    Map<String, String> greedy = run(DestroysEverything.class);
    assertThat(greedy.get(DESTROY))
        .contains("the other cluster on the same hosts must survive a destroy untouched");
    assertThat(greedy.get(CREATE)).isEqualTo("passed");

    Map<String, String> open = run(LeavesStepsOpen.class);
    assertThat(open.get(CREATE)).contains("events do not pair up").contains("never finished");

    Map<String, String> touches = run(TouchesOthers.class);
    assertThat(touches.get(SCALE))
        .contains(
            "scale-out touched nodes other than ["
                + new TouchesOthers().clusterName(0)
                + "-worker-2]");

    Map<String, String> swallows = run(SwallowsInterrupts.class);
    assertThat(swallows.get(INTERRUPT)).contains("keeps the thread's interrupt");
    assertThat(swallows.get(SCALE)).isEqualTo("passed");
  }
}
