package io.kubitect.core;

import io.kubitect.model.KubitectException;
import java.util.List;

/**
 * An apply or destroy failed or was cancelled part way. Says what finished, what failed and what
 * did not start; the cluster directory and journal are consistent, so applying again converges. A
 * cancelled apply is the subtype {@link ApplyCancelledException}.
 */
public sealed class ApplyException extends KubitectException permits ApplyCancelledException {
  private static final long serialVersionUID = 1L;

  @SuppressWarnings("serial") // lists of enums
  private final List<Phase> finished;

  private final Phase failed;

  @SuppressWarnings("serial")
  private final List<Phase> notStarted;

  private final boolean cancelled;

  ApplyException(
      String cluster,
      List<Phase> finished,
      Phase failed,
      List<Phase> notStarted,
      boolean cancelled,
      Throwable cause) {
    super(
        "apply of cluster "
            + cluster
            + (cancelled ? " cancelled in " : " failed in ")
            + failed
            + ": "
            + cause.getMessage()
            + " (finished: "
            + (finished.isEmpty() ? "nothing" : finished)
            + "; not started: "
            + (notStarted.isEmpty() ? "nothing" : notStarted)
            + "); apply again to continue",
        cause);
    this.finished = List.copyOf(finished);
    this.failed = failed;
    this.notStarted = List.copyOf(notStarted);
    this.cancelled = cancelled;
  }

  /** The failure or cancellation of an apply of {@code cluster} in phase {@code failed}. */
  static ApplyException of(
      String cluster,
      List<Phase> finished,
      Phase failed,
      List<Phase> notStarted,
      boolean cancelled,
      Throwable cause) {
    return cancelled
        ? new ApplyCancelledException(cluster, finished, failed, notStarted, cause)
        : new ApplyException(cluster, finished, failed, notStarted, false, cause);
  }

  /**
   * Whether the apply stopped because its thread was interrupted ({@code Future.cancel(true)}),
   * rather than because something failed. Every worker it started had stopped when it was thrown,
   * and the interrupt is kept.
   */
  public boolean cancelled() {
    return cancelled;
  }

  /** Phases that completed. */
  public List<Phase> finished() {
    return finished;
  }

  /** The phase that failed or was cancelled. */
  public Phase failed() {
    return failed;
  }

  /** Phases that did not start. */
  public List<Phase> notStarted() {
    return notStarted;
  }
}
