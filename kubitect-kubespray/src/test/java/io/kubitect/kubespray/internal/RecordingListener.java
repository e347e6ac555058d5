package io.kubitect.kubespray.internal;

import io.kubitect.core.Step;
import io.kubitect.core.StepOutcome;
import io.kubitect.core.spi.StepListener;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Records listener calls in order as text: {@code started|progress|finished|failed <step> ...}. */
final class RecordingListener implements StepListener {
  private final List<String> events = new ArrayList<>();
  private final List<Step> failedSteps = new ArrayList<>();

  @Override
  public synchronized void started(Step step) {
    events.add("started " + step);
  }

  @Override
  public synchronized void finished(Step step, StepOutcome typed, String detail) {
    String outcome = typed.describe(detail);
    events.add("finished " + step + " => " + outcome);
  }

  @Override
  public synchronized void failed(Step step, Throwable error) {
    events.add("failed " + step + " => " + error.getMessage());
    failedSteps.add(step);
  }

  @Override
  public synchronized void progress(Step step, int done, int total, String detail) {
    events.add("progress " + step + " | " + detail);
  }

  synchronized List<String> events() {
    return new ArrayList<>(events);
  }

  synchronized List<Step> failedSteps() {
    return new ArrayList<>(failedSteps);
  }

  synchronized boolean any(Predicate<String> p) {
    return events.stream().anyMatch(p);
  }

  /** Index of the first event matching, or -1. */
  synchronized int first(Predicate<String> p) {
    for (int i = 0; i < events.size(); i++) {
      if (p.test(events.get(i))) {
        return i;
      }
    }
    return -1;
  }
}
