package io.kubitect.core;

/** How serious a {@link Violation} is. */
public enum Severity {
  /** The specification cannot be applied as written. */
  ERROR,
  /** The specification can be applied, but probably does not do what its author wants. */
  WARNING
}
