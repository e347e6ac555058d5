package io.kubitect.core;

import io.kubitect.core.spi.StepListener;
import java.time.Duration;
import java.util.Objects;

/**
 * Turns one run's reports into typed events: the facade's phases, and the steps and progress the
 * executors report through the {@link StepListener} SPI.
 */
final class EventBridge implements StepListener {
  private final String cluster;
  private final EventDispatcher events;

  EventBridge(String cluster, EventDispatcher events) {
    this.cluster = cluster;
    this.events = events;
  }

  void phaseStarted(Phase phase, String action, int nodes) {
    events.publish(new KubitectEvent.PhaseStarted(cluster, phase, action, nodes));
  }

  /** A phase's work ended; its detail starts with "skipped" when it had nothing to do. */
  void phaseFinished(Phase phase, String action, String detail, long startNanos) {
    StepOutcome outcome = detail.startsWith("skipped") ? StepOutcome.SKIPPED : StepOutcome.DONE;
    events.publish(
        new KubitectEvent.PhaseFinished(
            cluster, phase, action, outcome, detail, since(startNanos)));
  }

  void phaseFailed(Phase phase, String action, Throwable error, long startNanos) {
    events.publish(
        new KubitectEvent.PhaseFinished(
            cluster, phase, action, StepOutcome.FAILED, message(error), since(startNanos)));
  }

  void warning(String message) {
    events.publish(new KubitectEvent.Warning(cluster, message));
  }

  @Override
  public void started(Step step) {
    events.publish(new KubitectEvent.StepStarted(cluster, step));
  }

  @Override
  public void finished(Step step, StepOutcome outcome, String detail) {
    events.publish(new KubitectEvent.StepFinished(cluster, step, outcome, detail));
  }

  @Override
  public void failed(Step step, Throwable error) {
    events.publish(
        new KubitectEvent.StepFinished(cluster, step, StepOutcome.FAILED, message(error)));
  }

  @Override
  public void progress(Step step, int done, int total, String detail) {
    events.publish(new KubitectEvent.Progress(cluster, step.phase(), done, total, detail));
  }

  private static String message(Throwable error) {
    return Objects.requireNonNullElse(error.getMessage(), error.getClass().getSimpleName());
  }

  private static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }
}
