package io.kubitect.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubitect.core.spi.ClusterCredentials;
import io.kubitect.core.spi.InfrastructureProvisioner;
import io.kubitect.core.spi.InfrastructureStatus;
import io.kubitect.core.spi.StepListener;
import io.kubitect.core.spi.Topology;
import io.kubitect.model.ClusterSpec;
import io.kubitect.model.NodeInstance;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an embedding application relies on: plan then apply exactly that plan, a cancellable run,
 * typed events in order on one thread, and a {@code Kubitect} that closes what it owns.
 */
class KubitectEmbeddingTest {
  @TempDir Path state;
  @TempDir Path home;

  /** Simulated, so the facade never reaches the spec's hosts; reports one step per node. */
  private static class SteppingProvisioner implements InfrastructureProvisioner {
    final AtomicInteger applies = new AtomicInteger();
    final AtomicBoolean closed = new AtomicBoolean();
    volatile CountDownLatch started = new CountDownLatch(1);
    volatile boolean hang;

    @Override
    public InfrastructureStatus apply(
        Topology topology, ClusterCredentials credentials, StepListener listener) {
      applies.incrementAndGet();
      started.countDown();
      List<Thread> workers = new ArrayList<>();
      int total = topology.nodes().size();
      AtomicInteger done = new AtomicInteger();
      for (var node : topology.nodes()) {
        // Steps come from many threads, as from a real provisioner's host workers.
        Thread t =
            new Thread(
                () -> {
                  Step step = Step.onNode(Phase.PROVISION, "vm", node.host(), node.name());
                  listener.started(step);
                  listener.finished(step, StepOutcome.CREATED, "");
                  listener.progress(step, done.incrementAndGet(), total, node.name());
                });
        workers.add(t);
        t.start();
      }
      for (Thread t : workers) {
        join(t);
      }
      while (hang) {
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new io.kubitect.core.spi.ProvisioningException(
              "cancelled", List.of(), new InterruptedException());
        }
      }
      return Statuses.allCreated(topology, true);
    }

    private static void join(Thread t) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void destroy(Topology topology, StepListener listener) {}

    @Override
    public boolean simulated() {
      return true;
    }

    @Override
    public void close() {
      closed.set(true);
    }
  }

  private Kubitect.Builder builder(SteppingProvisioner provisioner) {
    return Kubitect.builder()
        .provisioner(provisioner)
        .withoutLoadBalancers()
        .withoutKubernetes()
        .stateDirectory(state)
        .home(home);
  }

  @Test
  void applyRunsTheReviewedPlanAndRefusesOneMadeBeforeAnotherApply() {
    SteppingProvisioner provisioner = new SteppingProvisioner();
    try (Kubitect kubitect = builder(provisioner).build()) {
      Plan first = kubitect.plan(Specs.valid(), ApplyAction.CREATE);
      Plan alsoFirst = kubitect.plan(Specs.valid(), ApplyAction.CREATE);
      assertThat(first.spec()).isEqualTo(Specs.valid());
      AppliedCluster cluster = kubitect.apply(first);
      assertThat(cluster.nodes()).hasSize(7);

      assertThatThrownBy(() -> kubitect.apply(alsoFirst))
          .isInstanceOf(StalePlanException.class)
          .hasMessageContaining("changed since the plan was made");
      assertThat(provisioner.applies).hasValue(1);

      ClusterSpec scaled =
          Specs.valid().withWorker(NodeInstance.of("9", Specs.valid().hosts().get(0).name().get()));
      Plan scale = kubitect.plan(scaled, ApplyAction.SCALE);
      assertThat(kubitect.apply(scale).nodes()).hasSize(8);
    }
  }

  @Test
  void aPlanFromAnotherStateDirectoryIsRefused(@TempDir Path otherState) {
    try (Kubitect here = builder(new SteppingProvisioner()).build();
        Kubitect there = builder(new SteppingProvisioner()).stateDirectory(otherState).build()) {
      Plan plan = there.plan(Specs.valid(), ApplyAction.CREATE);
      assertThatThrownBy(() -> here.apply(plan))
          .isInstanceOf(StalePlanException.class)
          .hasMessageContaining("plan again with this Kubitect");
    }
  }

  @Test
  void eventsArriveTypedInOrderOnOneThreadBeforeApplyReturns() {
    List<KubitectEvent> events = Collections.synchronizedList(new ArrayList<>());
    Set<String> threads = ConcurrentHashMap.newKeySet();
    try (Kubitect kubitect =
        builder(new SteppingProvisioner())
            .listener(
                e -> {
                  threads.add(Thread.currentThread().getName());
                  events.add(e);
                })
            .build()) {
      kubitect.apply(Specs.valid(), ApplyAction.CREATE);
      // Delivered before apply returned: no waiting here.
      assertThat(threads).hasSize(1);
      assertThat(events.get(0))
          .isEqualTo(new KubitectEvent.PhaseStarted("k8s", Phase.PLAN, "plan create", 0));
      assertThat(events)
          .filteredOn(KubitectEvent.PhaseStarted.class::isInstance)
          .extracting(e -> ((KubitectEvent.PhaseStarted) e).phase())
          .containsExactly(
              Phase.PLAN, Phase.PROVISION, Phase.LOAD_BALANCERS, Phase.KUBERNETES, Phase.STATE);
      assertThat(events)
          .filteredOn(KubitectEvent.PhaseStarted.class::isInstance)
          .map(e -> (KubitectEvent.PhaseStarted) e)
          .filteredOn(e -> e.phase() == Phase.PROVISION)
          .singleElement()
          .extracting(KubitectEvent.PhaseStarted::nodes)
          .isEqualTo(7);
      assertThat(events)
          .filteredOn(KubitectEvent.StepFinished.class::isInstance)
          .map(e -> ((KubitectEvent.StepFinished) e).outcome())
          .hasSize(7)
          .containsOnly(StepOutcome.CREATED);
      assertThat(events)
          .filteredOn(KubitectEvent.Progress.class::isInstance)
          .map(e -> (KubitectEvent.Progress) e)
          .extracting(KubitectEvent.Progress::done)
          .containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7);
      assertThat(events)
          .filteredOn(KubitectEvent.PhaseFinished.class::isInstance)
          .map(e -> (KubitectEvent.PhaseFinished) e)
          .filteredOn(e -> e.phase() == Phase.KUBERNETES)
          .singleElement()
          .extracting(KubitectEvent.PhaseFinished::outcome)
          .isEqualTo(StepOutcome.SKIPPED);
    }
  }

  @Test
  void aSlowOrThrowingListenerNeitherBreaksNorReordersAnother() {
    List<KubitectEvent> good = Collections.synchronizedList(new ArrayList<>());
    try (Kubitect kubitect =
        builder(new SteppingProvisioner())
            .listener(
                e -> {
                  throw new IllegalStateException("listener bug");
                })
            .listener(good::add)
            .build()) {
      kubitect.apply(Specs.valid(), ApplyAction.CREATE);
      assertThat(good).last().isInstanceOf(KubitectEvent.PhaseFinished.class);
    }
  }

  @Test
  void cancelStopsAnAsyncApplyAndTheNextApplyConverges() throws Exception {
    SteppingProvisioner provisioner = new SteppingProvisioner();
    provisioner.hang = true;
    try (Kubitect kubitect = builder(provisioner).build()) {
      ApplyRun run = kubitect.applyAsync(kubitect.plan(Specs.valid(), ApplyAction.CREATE));
      assertThat(provisioner.started.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(run.isDone()).isFalse();

      assertThat(run.cancel()).isTrue();
      assertThat(run.isDone()).isTrue();
      assertThatThrownBy(run::join)
          .isInstanceOfSatisfying(
              ApplyCancelledException.class, e -> assertThat(e.cancelled()).isTrue());
      assertThat(run.cancel()).isFalse();

      provisioner.hang = false;
      AppliedCluster again =
          kubitect.applyAsync(kubitect.plan(Specs.valid(), ApplyAction.CREATE)).join();
      assertThat(again.nodes()).hasSize(7);
    }
  }

  @Test
  void closeCancelsRunsClosesExecutorsAndRefusesFurtherUse() throws Exception {
    SteppingProvisioner provisioner = new SteppingProvisioner();
    provisioner.hang = true;
    Kubitect kubitect = builder(provisioner).build();
    ApplyRun run = kubitect.applyAsync(kubitect.plan(Specs.valid(), ApplyAction.CREATE));
    assertThat(provisioner.started.await(10, TimeUnit.SECONDS)).isTrue();

    kubitect.close();

    assertThat(run.isDone()).isTrue();
    assertThat(provisioner.closed).isTrue();
    assertThatThrownBy(() -> kubitect.plan(Specs.valid(), ApplyAction.CREATE))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("this Kubitect is closed");
    kubitect.close();
  }
}
