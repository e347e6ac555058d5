package io.kubitect.core.testing;

import io.kubitect.core.Step;
import io.kubitect.core.StepOutcome;
import io.kubitect.core.spi.StepListener;
import java.util.ArrayList;
import java.util.List;

/** Records every event as a line: {@code started STEP}, {@code finished STEP: OUTCOME}, ... */
public final class RecordingListener implements StepListener {
  private final List<String> events = new ArrayList<>();
  private final List<Step> open = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();

  @Override
  public synchronized void started(Step step) {
    if (open.contains(step)) {
      problems.add("started twice: " + step);
    }
    open.add(step);
    events.add("started " + step);
  }

  @Override
  public synchronized void finished(Step step, StepOutcome typed, String detail) {
    String outcome = typed.describe(detail);
    if (!open.remove(step)) {
      problems.add("finished without start: " + step);
    }
    events.add("finished " + step + " => " + outcome);
  }

  @Override
  public synchronized void failed(Step step, Throwable error) {
    if (!open.remove(step)) {
      problems.add("failed without start: " + step);
    }
    events.add("failed " + step + " => " + error.getMessage());
  }

  /** Every event so far. */
  public synchronized List<String> events() {
    return List.copyOf(events);
  }

  /** The outcomes of finished steps, {@code STEP => OUTCOME}. */
  public synchronized List<String> finished() {
    return events.stream()
        .filter(e -> e.startsWith("finished "))
        .map(e -> e.substring("finished ".length()))
        .toList();
  }

  /** Broken pairing: steps never ended, ended twice, or ended without starting. */
  public synchronized List<String> pairingProblems() {
    List<String> all = new ArrayList<>(problems);
    open.forEach(s -> all.add("never ended: " + s));
    return all;
  }

  /** Forgets everything. */
  public synchronized void clear() {
    events.clear();
    open.clear();
    problems.clear();
  }
}
