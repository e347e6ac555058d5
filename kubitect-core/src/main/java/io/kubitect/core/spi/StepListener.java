package io.kubitect.core.spi;

import io.kubitect.core.Step;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives progress of an apply or destroy. Every {@link #started} is followed by exactly one
 * {@link #finished} or {@link #failed} for the same step. Calls may come from several threads at
 * once (hosts are worked on in parallel); implementations must be fast and thread-safe. A listener
 * that throws is logged and otherwise ignored.
 */
public interface StepListener {
  /** A listener that ignores everything. */
  StepListener NONE = new StepListener() {};

  /** Work on {@code step} begins. */
  default void started(Step step) {}

  /**
   * Work on {@code step} ended well; {@code outcome} says how (created, unchanged, skipped: ...).
   */
  default void finished(Step step, String outcome) {}

  /** Work on {@code step} failed with {@code error}. */
  default void failed(Step step, Throwable error) {}

  /**
   * Intermediate progress of a running step: {@code done} of {@code total}, and what just happened.
   */
  default void progress(Step step, int done, int total, String detail) {}

  /** Forwards to every listener, isolating the caller from listeners that throw. */
  static StepListener all(List<StepListener> listeners) {
    List<StepListener> copy = List.copyOf(listeners);
    Logger log = LoggerFactory.getLogger(StepListener.class);
    return new StepListener() {
      @Override
      public void started(Step step) {
        each(l -> l.started(step));
      }

      @Override
      public void finished(Step step, String outcome) {
        each(l -> l.finished(step, outcome));
      }

      @Override
      public void failed(Step step, Throwable error) {
        each(l -> l.failed(step, error));
      }

      @Override
      public void progress(Step step, int done, int total, String detail) {
        each(l -> l.progress(step, done, total, detail));
      }

      private void each(java.util.function.Consumer<StepListener> call) {
        for (StepListener listener : copy) {
          try {
            call.accept(listener);
          } catch (RuntimeException e) {
            log.warn("apply listener {} threw; ignored", listener, e);
          }
        }
      }
    };
  }
}
