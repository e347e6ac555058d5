package io.kubitect.core.loadbalancer;

import io.kubitect.model.Ipv4Network;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Checks each value before a renderer writes it, unquoted, into haproxy.cfg or keepalived.conf. The
 * validator refuses such values in a specification; this is for callers that bypass it (a layout
 * built by hand, an odd address from a provisioner). A newline would start a directive of the
 * caller's choosing, which the node's own {@code haproxy -c} accepts, and '"', '#', '!', '{' and
 * '}' are syntax to keepalived.
 */
final class ConfigValues {
  /** Names: cluster, node, forwarded-port and server names. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,253}");

  /** Interface names, as the validator allows them (see {@code Syntax.interfaceNameProblem}). */
  private static final Pattern INTERFACE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,14}");

  private ConfigValues() {}

  /**
   * Returns {@code value} when it is a name of letters, digits, '_', '.' and '-'.
   *
   * @throws IllegalArgumentException naming the file, what the value is and the value
   */
  static String name(String file, String what, String value) {
    if (!NAME.matcher(value).matches()) {
      throw refused(file, what, value, "names may contain only letters, digits, '_', '.' and '-'");
    }
    return value;
  }

  /**
   * Returns {@code value} when it is an IPv4 address.
   *
   * @throws IllegalArgumentException naming the file, what the value is and the value
   */
  static String address(String file, String what, String value) {
    if (Ipv4Network.parseAddress(value).isEmpty()) {
      throw refused(file, what, value, "it is not an IPv4 address (a.b.c.d)");
    }
    return value;
  }

  /**
   * Returns {@code value} when it is a network interface name the validator allows.
   *
   * @throws IllegalArgumentException naming the file and the value
   */
  static String networkInterface(String file, String value) {
    if (!INTERFACE.matcher(value).matches()) {
      throw refused(
          file,
          "network interface",
          value,
          "an interface name is 1 to 15 characters from [A-Za-z0-9_.-], not starting with '-'"
              + " or '.'");
    }
    return value;
  }

  private static IllegalArgumentException refused(
      String file, String what, String value, String rule) {
    return new IllegalArgumentException(
        file + ": the " + what + " " + quote(value) + " would break its syntax; " + rule);
  }

  /** The value in single quotes, control characters escaped so the message stays one line. */
  static String quote(String value) {
    StringBuilder out = new StringBuilder("'");
    int length = Math.min(value.length(), 80);
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append(value.length() > 80 ? "...'" : "'").toString();
  }
}
