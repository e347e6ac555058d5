package io.kubitect.cli;

import io.kubitect.core.KubitectEvent;
import io.kubitect.core.KubitectListener;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Renders apply progress from typed events: one line per finished or failed step and phase, with
 * the time since the start. On a terminal, a status line rewritten in place shows the running phase
 * with a progress bar ({@code [####......] 4/10 nodes}); elsewhere (a pipe, a log) it is left out
 * so the output stays one line per event. Events arrive in order on one thread.
 */
final class ProgressPrinter implements KubitectListener {
  private static final int BAR = 20;
  private final PrintWriter out;
  private final boolean terminal;
  private final long start = System.nanoTime();
  private boolean statusShown;

  ProgressPrinter(PrintWriter out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  @Override
  public void onEvent(KubitectEvent event) {
    if (event instanceof KubitectEvent.PhaseStarted e) {
      status(phase(e.phase()) + ": " + e.action() + " ...");
    } else if (event instanceof KubitectEvent.PhaseFinished e) {
      line(
          String.format(
              Locale.ROOT,
              "%s: %s -> %s (%.1fs)",
              phase(e.phase()),
              e.action(),
              e.outcome().describe(e.detail()),
              e.elapsed().toMillis() / 1000.0));
    } else if (event instanceof KubitectEvent.StepStarted e) {
      status(e.step() + " ...");
    } else if (event instanceof KubitectEvent.StepFinished e) {
      line(e.step() + " -> " + e.outcome().describe(e.detail()));
    } else if (event instanceof KubitectEvent.Progress e) {
      status(progress(e));
    } else if (event instanceof KubitectEvent.Warning e) {
      line("Warning: " + e.message());
    }
  }

  private static String phase(io.kubitect.core.Phase phase) {
    return phase.toString().toLowerCase(Locale.ROOT);
  }

  /**
   * {@code provision [######..............] 3/10 k8s-worker-2}; no bar when the total is unknown.
   */
  static String progress(KubitectEvent.Progress e) {
    if (e.total() <= 0) {
      return phase(e.phase()) + " " + e.done() + ": " + e.detail();
    }
    int filled = (int) Math.min(BAR, (long) e.done() * BAR / e.total());
    return String.format(
        Locale.ROOT,
        "%s [%s%s] %d/%d %s",
        phase(e.phase()),
        "#".repeat(filled),
        ".".repeat(BAR - filled),
        e.done(),
        e.total(),
        e.detail());
  }

  private void status(String text) {
    if (!terminal) {
      return;
    }
    String shown = text.length() > 110 ? text.substring(0, 107) + "..." : text;
    out.print("\r\u001b[2K" + elapsed() + shown);
    out.flush();
    statusShown = true;
  }

  private void line(String text) {
    if (statusShown) {
      out.print("\r\u001b[2K");
      statusShown = false;
    }
    out.println(elapsed() + text);
    out.flush();
  }

  private String elapsed() {
    return String.format(Locale.ROOT, "[%6.1fs] ", (System.nanoTime() - start) / 1e9);
  }
}
