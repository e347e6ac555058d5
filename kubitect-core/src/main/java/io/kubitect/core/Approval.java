package io.kubitect.core;

/**
 * Decides whether a plan with dangerous changes goes ahead (Kubitect's "Would you like to
 * continue?"). Refused changes never reach it: they always stop the apply.
 */
@FunctionalInterface
public interface Approval {
  /** Approves every plan (Kubitect's {@code --auto-approve}). */
  Approval AUTO = plan -> true;

  /** Approves plans without dangerous changes only; the default of the Java API. */
  Approval SAFE_ONLY = plan -> plan.dangerous().isEmpty();

  /** Whether to apply {@code plan}. */
  boolean approve(Plan plan);
}
