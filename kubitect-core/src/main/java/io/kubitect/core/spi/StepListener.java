package io.kubitect.core.spi;

import io.kubitect.core.Step;
import io.kubitect.core.StepOutcome;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an executor reports its steps to. Every {@link #started} is followed by exactly one {@link
 * #finished} or {@link #failed} for the same step. Calls may come from several threads at once
 * (hosts are worked on in parallel); implementations must be fast and thread-safe. The facade turns
 * these calls into ordered, typed {@link io.kubitect.core.KubitectEvent}s for applications.
 */
public interface StepListener {
  /** A listener that ignores everything. */
  StepListener NONE = new StepListener() {};

  /** Work on {@code step} begins. */
  default void started(Step step) {}

  /** Work on {@code step} ended well, with {@code outcome}; {@code detail} says more. */
  default void finished(Step step, StepOutcome outcome, String detail) {}

  /** Work that is not about one resource ended well ({@link StepOutcome#DONE}). */
  default void finished(Step step, String detail) {
    finished(step, StepOutcome.DONE, detail);
  }

  /** Work on {@code step} failed with {@code error}. */
  default void failed(Step step, Throwable error) {}

  /**
   * Intermediate progress of a running step: {@code done} of {@code total} ({@code total} 0 when
   * unknown), and what just happened.
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
      public void finished(Step step, StepOutcome outcome, String detail) {
        each(l -> l.finished(step, outcome, detail));
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
            log.warn("step listener {} threw; ignored", listener, e);
          }
        }
      }
    };
  }
}
