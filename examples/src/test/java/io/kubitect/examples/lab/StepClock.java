package io.kubitect.examples.lab;

import io.kubitect.core.KubitectEvent;
import io.kubitect.core.KubitectListener;
import io.kubitect.core.Phase;
import io.kubitect.core.Step;
import io.kubitect.core.StepOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Times every step of an apply from the host's clock (the guests' clocks drift under software
 * emulation), and prints each step as it ends.
 */
final class StepClock implements KubitectListener {
  /** A step that ended, with its outcome ({@code FAILED: ...} when it failed). */
  record Timed(Step step, long startNanos, long endNanos, String outcome) {
    Duration duration() {
      return Duration.ofNanos(endNanos - startNanos);
    }
  }

  private final Map<Step, Long> running = new ConcurrentHashMap<>();
  private final List<Timed> ended = new ArrayList<>();
  private final long origin = System.nanoTime();

  /** Phases are timed as steps of the whole cluster ({@code Step.of(phase, action)}). */
  @Override
  public void onEvent(KubitectEvent event) {
    if (event instanceof KubitectEvent.PhaseStarted e) {
      running.put(Step.of(e.phase(), e.action()), System.nanoTime());
    } else if (event instanceof KubitectEvent.PhaseFinished e) {
      end(Step.of(e.phase(), e.action()), outcome(e.outcome(), e.detail()));
    } else if (event instanceof KubitectEvent.StepStarted e) {
      running.put(e.step(), System.nanoTime());
    } else if (event instanceof KubitectEvent.StepFinished e) {
      end(e.step(), outcome(e.outcome(), e.detail()));
    }
  }

  /** As the provisioner's text was: {@code created}, {@code ready at IP}, {@code FAILED: ...}. */
  private static String outcome(StepOutcome outcome, String detail) {
    return outcome == StepOutcome.FAILED ? "FAILED: " + detail : outcome.describe(detail);
  }

  private void end(Step step, String outcome) {
    long now = System.nanoTime();
    Long start = running.remove(step);
    Timed timed = new Timed(step, start == null ? now : start, now, outcome);
    synchronized (ended) {
      ended.add(timed);
    }
    System.err.printf(
        "e2e-lab: %7.1f s  %s -> %s (%.1f s)%n",
        (now - origin) / 1e9, step, outcome, timed.duration().toMillis() / 1e3);
  }

  /** Forgets what was recorded (between the lab's applies). */
  void clear() {
    synchronized (ended) {
      ended.clear();
    }
  }

  List<Timed> ended() {
    synchronized (ended) {
      return List.copyOf(ended);
    }
  }

  /** The ended steps of {@code phase} whose action is {@code action}. */
  List<Timed> steps(Phase phase, String action) {
    return ended().stream()
        .filter(t -> t.step().phase() == phase && t.step().action().equals(action))
        .toList();
  }

  /** The ended step of {@code phase} and {@code action} on {@code node}. */
  Optional<Timed> nodeStep(Phase phase, String action, String node) {
    return steps(phase, action).stream()
        .filter(t -> t.step().node().equals(Optional.of(node)))
        .findFirst();
  }

  /** Whether any step of {@code phase} started and ended. */
  boolean ran(Phase phase) {
    return ended().stream().anyMatch(t -> t.step().phase() == phase);
  }
}
