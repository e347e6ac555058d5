package io.kubitect.core;

import io.kubitect.model.KubitectException;

/**
 * The plan contains refused changes, or dangerous ones that were not approved. Nothing was touched.
 * {@link #plan()} has every judged change.
 */
public final class ChangeRefusedException extends KubitectException {
  private static final long serialVersionUID = 1L;

  @SuppressWarnings("serial") // a plan is never serialized in practice
  private final Plan plan;

  private final boolean declined;

  ChangeRefusedException(String message, Plan plan) {
    this(message, plan, false);
  }

  ChangeRefusedException(String message, Plan plan, boolean declined) {
    super(message);
    this.plan = plan;
    this.declined = declined;
  }

  /**
   * Whether the plan was allowed but its dangerous changes were declined by the {@link Approval}
   * (the user said no), rather than refused by the rules.
   */
  public boolean declined() {
    return declined;
  }

  /** The plan that was refused. */
  public Plan plan() {
    return plan;
  }
}
