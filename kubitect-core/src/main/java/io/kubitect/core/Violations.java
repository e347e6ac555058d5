package io.kubitect.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/** Collects the violations of one validation run and renders values for their messages. */
final class Violations {
  private static final int MAX_VALUE_LENGTH = 80;

  private final List<Violation> found = new ArrayList<>();

  void error(String path, String message) {
    found.add(new Violation(Severity.ERROR, path, message));
  }

  void warning(String path, String message) {
    found.add(new Violation(Severity.WARNING, path, message));
  }

  ValidationReport report() {
    return new ValidationReport(found);
  }

  /**
   * A value as it appears in a message: in single quotes, control characters escaped (so a message
   * stays on one line) and long values shortened.
   */
  static String quote(Object value) {
    return "'" + escape(value) + "'";
  }

  /** Like {@link #quote} without the quotes. */
  static String escape(Object value) {
    String text = String.valueOf(value);
    StringBuilder out = new StringBuilder();
    int length = Math.min(text.length(), MAX_VALUE_LENGTH);
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20
              || c == 0x7f
              || Character.getType(c) == Character.LINE_SEPARATOR
              || Character.getType(c) == Character.PARAGRAPH_SEPARATOR) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    if (text.length() > MAX_VALUE_LENGTH) {
      out.append("...");
    }
    return out.toString();
  }

  /** Values listed as {@code [a|b|c]}, the way Kubitect lists allowed values. */
  static String choices(Collection<?> values) {
    return values.stream().map(Violations::escape).collect(Collectors.joining("|", "[", "]"));
  }
}
