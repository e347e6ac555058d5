package io.kubitect.core;

import io.kubitect.model.KubitectException;

/**
 * {@link Kubitect#apply(Plan)} was given a plan made against another recorded state: another apply
 * or destroy ran since, or the plan comes from another state directory. Plan again and review the
 * new plan; nothing was touched.
 */
public final class StalePlanException extends KubitectException {
  private static final long serialVersionUID = 1L;

  StalePlanException(String message) {
    super(message);
  }
}
