package io.kubitect.core;

import java.util.List;

/**
 * An apply stopped because it was cancelled ({@link ApplyRun#cancel()}, an interrupt, {@code
 * Future.cancel(true)}), not because something failed. Every worker it started had stopped when it
 * was thrown; the next apply of the same specification converges from what it left.
 */
public final class ApplyCancelledException extends ApplyException {
  private static final long serialVersionUID = 1L;

  ApplyCancelledException(
      String cluster, List<Phase> finished, Phase failed, List<Phase> notStarted, Throwable cause) {
    super(cluster, finished, failed, notStarted, true, cause);
  }
}
