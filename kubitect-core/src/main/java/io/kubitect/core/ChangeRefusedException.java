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

  ChangeRefusedException(String message, Plan plan) {
    super(message);
    this.plan = plan;
  }

  /** The plan that was refused. */
  public Plan plan() {
    return plan;
  }
}
