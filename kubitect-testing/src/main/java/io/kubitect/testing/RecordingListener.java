package io.kubitect.testing;

import io.kubitect.core.KubitectEvent;
import io.kubitect.core.KubitectListener;
import io.kubitect.core.Phase;
import io.kubitect.core.Step;
import io.kubitect.core.StepOutcome;
import io.kubitect.core.spi.StepListener;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Records typed {@link KubitectEvent}s in the order they arrive and checks that they pair up: every
 * {@code StepStarted} is followed by exactly one {@code StepFinished} of the same cluster and step,
 * and every {@code PhaseStarted} by exactly one {@code PhaseFinished}. Thread-safe.
 *
 * <p>As a {@link KubitectListener} it follows a {@code Kubitect}'s applies and destroys ({@code
 * Kubitect.builder().listener(recorder)}); {@link #stepListener(String)} records what an executor
 * reports through the SPI's {@link StepListener} in the same typed form, so an {@code
 * InfrastructureProvisioner} can be checked without the facade.
 *
 * <pre>{@code
 * RecordingListener events = new RecordingListener();
 * try (Kubitect kubitect = Kubitect.builder().simulatedHosts().listener(events).build()) {
 *   kubitect.apply(spec, ApplyAction.CREATE);
 * }
 * events.assertPaired();
 * assertThat(events.failedSteps()).isEmpty();
 * }</pre>
 */
public final class RecordingListener implements KubitectListener {
  private final List<KubitectEvent> events = new ArrayList<>();
  private final Map<Object, Integer> open = new LinkedHashMap<>();
  private final List<String> problems = new ArrayList<>();

  /** An empty recorder. */
  public RecordingListener() {}

  private record StepKey(String cluster, Step step) {}

  private record PhaseKey(String cluster, Phase phase, String action) {}

  @Override
  public synchronized void onEvent(KubitectEvent event) {
    Objects.requireNonNull(event, "event");
    events.add(event);
    if (event instanceof KubitectEvent.StepStarted e) {
      start(new StepKey(e.cluster(), e.step()), event);
    } else if (event instanceof KubitectEvent.StepFinished e) {
      finish(new StepKey(e.cluster(), e.step()), event);
    } else if (event instanceof KubitectEvent.PhaseStarted e) {
      start(new PhaseKey(e.cluster(), e.phase(), e.action()), event);
    } else if (event instanceof KubitectEvent.PhaseFinished e) {
      finish(new PhaseKey(e.cluster(), e.phase(), e.action()), event);
    }
  }

  private void start(Object key, KubitectEvent event) {
    if (open.merge(key, 1, Integer::sum) > 1) {
      problems.add("started again before it finished: " + describe(event));
    }
  }

  private void finish(Object key, KubitectEvent event) {
    Integer count = open.get(key);
    if (count == null) {
      problems.add("finished without a start: " + describe(event));
    } else if (count == 1) {
      open.remove(key);
    } else {
      open.put(key, count - 1);
    }
  }

  /**
   * A {@link StepListener} for executors of {@code cluster}: each call is recorded as the typed
   * event the facade would publish ({@code started} as {@code StepStarted}, {@code finished} and
   * {@code failed} as {@code StepFinished}, {@code progress} as {@code Progress}). Calls may come
   * from several threads at once.
   */
  public StepListener stepListener(String cluster) {
    Objects.requireNonNull(cluster, "cluster");
    return new StepListener() {
      @Override
      public void started(Step step) {
        onEvent(new KubitectEvent.StepStarted(cluster, step));
      }

      @Override
      public void finished(Step step, StepOutcome outcome, String detail) {
        onEvent(new KubitectEvent.StepFinished(cluster, step, outcome, detail));
      }

      @Override
      public void failed(Step step, Throwable error) {
        onEvent(
            new KubitectEvent.StepFinished(
                cluster, step, StepOutcome.FAILED, String.valueOf(error.getMessage())));
      }

      @Override
      public void progress(Step step, int done, int total, String detail) {
        onEvent(new KubitectEvent.Progress(cluster, step.phase(), done, total, detail));
      }

      @Override
      public String toString() {
        return "RecordingListener.stepListener(" + cluster + ")";
      }
    };
  }

  /** Every event so far, in order. */
  public synchronized List<KubitectEvent> events() {
    return List.copyOf(events);
  }

  /** The events of one type so far, in order: {@code events(KubitectEvent.StepFinished.class)}. */
  public synchronized <E extends KubitectEvent> List<E> events(Class<E> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** Every finished step whose outcome is {@link StepOutcome#FAILED}, in order. */
  public List<KubitectEvent.StepFinished> failedSteps() {
    return events(KubitectEvent.StepFinished.class).stream()
        .filter(e -> e.outcome() == StepOutcome.FAILED)
        .toList();
  }

  /** Every phase that finished {@link StepOutcome#FAILED}, in order. */
  public List<KubitectEvent.PhaseFinished> failedPhases() {
    return events(KubitectEvent.PhaseFinished.class).stream()
        .filter(e -> e.outcome() == StepOutcome.FAILED)
        .toList();
  }

  /** Every event as one line of text (see {@link #describe(KubitectEvent)}), in order. */
  public synchronized List<String> lines() {
    return events.stream().map(RecordingListener::describe).toList();
  }

  /**
   * What breaks the pairing so far: a step or phase that finished without having started, started
   * again before it finished, or has not finished yet. Empty when every start has exactly one
   * finish.
   */
  public synchronized List<String> pairingProblems() {
    List<String> all = new ArrayList<>(problems);
    open.forEach(
        (key, count) -> {
          String what =
              key instanceof StepKey s
                  ? "step " + s.step() + " of " + s.cluster()
                  : "phase " + describe((PhaseKey) key);
          all.add("never finished (" + count + "x): " + what);
        });
    return all;
  }

  /**
   * Throws an {@link AssertionError} listing every {@linkplain #pairingProblems() pairing problem}
   * and the events, unless there is none.
   */
  public synchronized void assertPaired() {
    List<String> found = pairingProblems();
    if (!found.isEmpty()) {
      throw new AssertionError(
          "events do not pair up:\n  "
              + String.join("\n  ", found)
              + "\nevents:\n  "
              + String.join("\n  ", lines()));
    }
  }

  /** Forgets every event and every open step. */
  public synchronized void clear() {
    events.clear();
    open.clear();
    problems.clear();
  }

  /**
   * One line for an event: {@code [kubitect-ha] phase provision: provision hosts started (8
   * nodes)}, {@code [kubitect-ha] step provision [host3] kubitect-ha-master-1: create VM ->
   * created}, ...
   */
  public static String describe(KubitectEvent event) {
    String prefix = "[" + event.cluster() + "] ";
    if (event instanceof KubitectEvent.PhaseStarted e) {
      return prefix
          + "phase "
          + lower(e.phase())
          + ": "
          + e.action()
          + " started ("
          + e.nodes()
          + " nodes)";
    }
    if (event instanceof KubitectEvent.PhaseFinished e) {
      return prefix
          + "phase "
          + lower(e.phase())
          + ": "
          + e.action()
          + " -> "
          + e.outcome().describe(e.detail())
          + " in "
          + e.elapsed().toMillis()
          + " ms";
    }
    if (event instanceof KubitectEvent.StepStarted e) {
      return prefix + "step " + e.step() + " started";
    }
    if (event instanceof KubitectEvent.StepFinished e) {
      return prefix + "step " + e.step() + " -> " + e.outcome().describe(e.detail());
    }
    if (event instanceof KubitectEvent.Progress e) {
      return prefix
          + "progress "
          + lower(e.phase())
          + " "
          + e.done()
          + "/"
          + e.total()
          + ": "
          + e.detail();
    }
    KubitectEvent.Warning w = (KubitectEvent.Warning) event;
    return prefix + "warning: " + w.message();
  }

  private static String describe(PhaseKey key) {
    return lower(key.phase()) + ": " + key.action() + " of " + key.cluster();
  }

  private static String lower(Phase phase) {
    return phase.toString().toLowerCase(Locale.ROOT);
  }

  @Override
  public synchronized String toString() {
    return "RecordingListener[" + events.size() + " events]";
  }
}
