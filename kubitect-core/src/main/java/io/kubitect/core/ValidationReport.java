package io.kubitect.core;

import java.util.List;

/**
 * The outcome of {@link SpecValidator#validate} or {@link Preflight#check}: every violation found,
 * grouped by section of the specification (hosts, cluster, nodes, kubernetes and add-ons).
 */
public final class ValidationReport {
  private final List<Violation> violations;

  ValidationReport(List<Violation> violations) {
    this.violations = List.copyOf(violations);
  }

  /** Every violation, errors and warnings, grouped by section of the specification. */
  public List<Violation> violations() {
    return violations;
  }

  /** The violations of severity {@link Severity#ERROR}. */
  public List<Violation> errors() {
    return withSeverity(Severity.ERROR);
  }

  /** The violations of severity {@link Severity#WARNING}. */
  public List<Violation> warnings() {
    return withSeverity(Severity.WARNING);
  }

  /** Whether at least one violation is an error. */
  public boolean hasErrors() {
    return violations.stream().anyMatch(v -> v.severity() == Severity.ERROR);
  }

  /**
   * Throws when the report holds an error; warnings alone do not throw.
   *
   * @throws ValidationException listing every violation (warnings included) when there is an error
   */
  public void throwIfInvalid() {
    if (hasErrors()) {
      throw new ValidationException(violations);
    }
  }

  private List<Violation> withSeverity(Severity severity) {
    return violations.stream().filter(v -> v.severity() == severity).toList();
  }

  /** One violation per line; empty when there is none. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    for (Violation violation : violations) {
      if (text.length() > 0) {
        text.append('\n');
      }
      text.append(violation);
    }
    return text.toString();
  }
}
