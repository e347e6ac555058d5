package io.kubitect.examples.cli;

import io.kubitect.core.Step;
import io.kubitect.core.spi.StepListener;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Renders apply progress: one line per finished or failed step, with the time since the start. On a
 * terminal, intermediate progress rewrites a status line in place; elsewhere (a pipe, a log) it is
 * left out so the output stays one line per event.
 */
final class ProgressPrinter implements StepListener {
  private final PrintWriter out;
  private final boolean terminal;
  private final long start = System.nanoTime();
  private boolean statusShown;

  ProgressPrinter(PrintWriter out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  @Override
  public synchronized void started(Step step) {
    if (terminal) {
      status(step + " ...");
    }
  }

  @Override
  public synchronized void finished(Step step, String outcome) {
    line(String.format(Locale.ROOT, "%s -> %s", step, outcome));
  }

  @Override
  public synchronized void failed(Step step, Throwable error) {
    line(String.format(Locale.ROOT, "%s -> FAILED: %s", step, error.getMessage()));
  }

  @Override
  public synchronized void progress(Step step, int done, int total, String detail) {
    if (terminal) {
      status(String.format(Locale.ROOT, "%s [%d/%d] %s", step, done, total, detail));
    }
  }

  private void status(String text) {
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
