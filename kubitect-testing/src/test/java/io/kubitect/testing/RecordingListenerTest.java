package io.kubitect.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubitect.core.KubitectEvent;
import io.kubitect.core.Phase;
import io.kubitect.core.Step;
import io.kubitect.core.StepOutcome;
import io.kubitect.core.spi.StepListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class RecordingListenerTest {
  private static final Step VM = Step.onNode(Phase.PROVISION, "vm", "h1", "c-master-1");

  @Test
  void pairedStepsAndPhasesHaveNoProblem() {
    RecordingListener events = new RecordingListener();
    events.onEvent(new KubitectEvent.PhaseStarted("c", Phase.PROVISION, "provision hosts", 1));
    events.onEvent(new KubitectEvent.StepStarted("c", VM));
    events.onEvent(new KubitectEvent.Progress("c", Phase.PROVISION, 1, 1, "c-master-1"));
    events.onEvent(new KubitectEvent.StepFinished("c", VM, StepOutcome.CREATED, ""));
    events.onEvent(new KubitectEvent.StepStarted("c", VM)); // the same step again, later: fine
    events.onEvent(new KubitectEvent.StepFinished("c", VM, StepOutcome.UNCHANGED, ""));
    events.onEvent(
        new KubitectEvent.PhaseFinished(
            "c",
            Phase.PROVISION,
            "provision hosts",
            StepOutcome.DONE,
            "1 mutating calls",
            Duration.ofMillis(12)));
    events.onEvent(new KubitectEvent.Warning("c", "look"));

    assertThat(events.pairingProblems()).isEmpty();
    events.assertPaired();
    assertThat(events.lines())
        .containsExactly(
            "[c] phase provision: provision hosts started (1 nodes)",
            "[c] step provision [h1] c-master-1: vm started",
            "[c] progress provision 1/1: c-master-1",
            "[c] step provision [h1] c-master-1: vm -> created",
            "[c] step provision [h1] c-master-1: vm started",
            "[c] step provision [h1] c-master-1: vm -> unchanged",
            "[c] phase provision: provision hosts -> 1 mutating calls in 12 ms",
            "[c] warning: look");
    assertThat(events.events(KubitectEvent.StepFinished.class)).hasSize(2);
    assertThat(events.failedSteps()).isEmpty();
  }

  @Test
  void everyBrokenPairingIsNamed() {
    RecordingListener events = new RecordingListener();
    Step other = Step.onHost(Phase.PROVISION, "connect", "h2");
    events.onEvent(new KubitectEvent.StepFinished("c", other, StepOutcome.DONE, "connected"));
    events.onEvent(new KubitectEvent.StepStarted("c", VM));
    events.onEvent(new KubitectEvent.StepStarted("c", VM));
    events.onEvent(new KubitectEvent.StepFinished("c", VM, StepOutcome.FAILED, "boom"));
    events.onEvent(new KubitectEvent.PhaseStarted("c", Phase.STATE, "save", 0));
    // the same step of another cluster is another step
    events.onEvent(new KubitectEvent.StepStarted("d", VM));

    assertThat(events.pairingProblems())
        .containsExactly(
            "finished without a start: [c] step provision [h2]: connect -> connected",
            "started again before it finished: [c] step provision [h1] c-master-1: vm started",
            "never finished (1x): step provision [h1] c-master-1: vm of c",
            "never finished (1x): phase state: save of c",
            "never finished (1x): step provision [h1] c-master-1: vm of d");
    assertThat(events.failedSteps())
        .extracting(KubitectEvent.StepFinished::detail)
        .containsExactly("boom");
    assertThatThrownBy(events::assertPaired)
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith("events do not pair up:\n  finished without a start")
        .hasMessageContaining("events:\n  [c] step provision [h2]: connect -> connected");

    events.clear();
    assertThat(events.events()).isEmpty();
    assertThat(events.pairingProblems()).isEmpty();
  }

  @Test
  void theStepListenerRecordsSpiCallsAsTypedEventsFromManyThreads() throws Exception {
    RecordingListener events = new RecordingListener();
    StepListener spi = events.stepListener("c");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        Step step = Step.onNode(Phase.PROVISION, "vm", "h" + (i % 4), "c-worker-" + i);
        int n = i;
        done.add(
            pool.submit(
                () -> {
                  spi.started(step);
                  spi.progress(step, n, 200, "working");
                  if (n % 10 == 0) {
                    spi.failed(step, new IllegalStateException("no disk"));
                  } else {
                    spi.finished(step, "done");
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    events.assertPaired();
    assertThat(events.events(KubitectEvent.StepStarted.class)).hasSize(200);
    assertThat(events.events(KubitectEvent.Progress.class)).hasSize(200);
    assertThat(events.failedSteps())
        .hasSize(20)
        .allSatisfy(e -> assertThat(e.detail()).isEqualTo("no disk"));
    assertThat(events.events(KubitectEvent.StepFinished.class))
        .filteredOn(e -> e.outcome() == StepOutcome.DONE)
        .hasSize(180);
    assertThat(spi.toString()).isEqualTo("RecordingListener.stepListener(c)");
  }

  @Test
  void failedPhasesAreListed() {
    RecordingListener events = new RecordingListener();
    events.onEvent(new KubitectEvent.PhaseStarted("c", Phase.PLAN, "plan", 0));
    events.onEvent(
        new KubitectEvent.PhaseFinished(
            "c", Phase.PLAN, "plan", StepOutcome.FAILED, "refused", Duration.ZERO));
    assertThat(events.failedPhases())
        .extracting(KubitectEvent.PhaseFinished::detail)
        .containsExactly("refused");
    assertThat(events.pairingProblems()).isEmpty();
  }
}
