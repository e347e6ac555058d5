package io.kubitect.core;

/** How a step ended, typed so a UI can count and colour it without parsing text. */
public enum StepOutcome {
  /** A resource was created (a VM, a network, a volume). */
  CREATED,
  /** A resource existed and was changed to match the specification. */
  CHANGED,
  /** A resource existed and already matched. */
  UNCHANGED,
  /** A resource the cluster owned and no longer needs was removed. */
  REMOVED,
  /** The step had nothing to do here (a simulated host, no probe configured, an absent node). */
  SKIPPED,
  /** Work that is not about one resource (connect, run a playbook, fetch a file) ended well. */
  DONE,
  /** The step failed; its detail says why. */
  FAILED;

  /**
   * One line for a log: {@code created}, {@code skipped: simulated host}; a {@link #DONE} step is
   * its detail alone, and a detail that already starts with the outcome's word is not repeated.
   */
  public String describe(String detail) {
    String word = name().toLowerCase(java.util.Locale.ROOT);
    if (this == DONE && !detail.isEmpty()) {
      return detail;
    }
    if (detail.isEmpty()) {
      return word;
    }
    return detail.startsWith(word) ? detail : word + ": " + detail;
  }

  /** The outcome of a resource change an executor reports in a {@link NodeStatus}. */
  public static StepOutcome of(ResourceChange change) {
    return switch (change) {
      case CREATED -> CREATED;
      case UPDATED -> CHANGED;
      case UNCHANGED -> UNCHANGED;
      case REMOVED -> REMOVED;
      case FAILED -> FAILED;
    };
  }
}
