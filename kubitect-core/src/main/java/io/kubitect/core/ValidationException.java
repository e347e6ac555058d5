package io.kubitect.core;

import io.kubitect.model.KubitectException;
import java.util.List;

/**
 * A cluster specification has errors. The message names how many errors and warnings there are and
 * then lists every violation, one per line.
 */
public final class ValidationException extends KubitectException {
  private static final long serialVersionUID = 1L;

  @SuppressWarnings("serial") // List.copyOf gives a serializable list of serializable records
  private final List<Violation> violations;

  ValidationException(List<Violation> violations) {
    super(format(violations));
    this.violations = List.copyOf(violations);
  }

  /**
   * Every violation of the specification, errors and warnings, in the order of the specification.
   */
  public List<Violation> violations() {
    return violations;
  }

  private static String format(List<Violation> violations) {
    long errors = violations.stream().filter(v -> v.severity() == Severity.ERROR).count();
    long warnings = violations.size() - errors;
    StringBuilder text =
        new StringBuilder("invalid cluster specification (")
            .append(count(errors, "error"))
            .append(", ")
            .append(count(warnings, "warning"))
            .append("):");
    for (Violation violation : violations) {
      text.append('\n').append(violation);
    }
    return text.toString();
  }

  private static String count(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
