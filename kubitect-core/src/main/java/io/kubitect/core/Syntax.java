package io.kubitect.core;

import io.kubitect.model.Ipv4Network;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The textual formats a cluster specification uses, checked without any I/O. */
final class Syntax {
  /** Host names and forward-port names (Kubitect's AlphaNumericHypUS). */
  static final Pattern NAME_HYPHEN_UNDERSCORE = Pattern.compile("[A-Za-z0-9_-]+");

  /** Pool and data disk names (Kubitect's AlphaNumericHyp). */
  static final Pattern NAME_HYPHEN = Pattern.compile("[A-Za-z0-9-]+");

  /** User names on hosts and nodes (Kubitect's User type, with useradd's 32-character limit). */
  static final Pattern USER = Pattern.compile("[A-Za-z0-9_-]{1,32}");

  /** The longest DNS label (RFC 1035), and with it the longest VM and Kubernetes node name. */
  static final int DNS_LABEL_MAX = 63;

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern LABEL_NAME =
      Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
  private static final Pattern MAC =
      Pattern.compile("[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(\\1[0-9A-Fa-f]{2}){4}");
  private static final Pattern HEX_GROUP = Pattern.compile("[0-9A-Fa-f]{1,4}");
  private static final Pattern SEMVER_WITHOUT_V = Pattern.compile("\\d+\\.\\d+\\.\\d+");
  private static final Pattern URL_SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*)://");

  /** Taint effects Kubernetes knows. */
  static final Set<String> TAINT_EFFECTS = Set.of("NoSchedule", "PreferNoSchedule", "NoExecute");

  private Syntax() {}

  /** Whether the text is a DNS label: lowercase letters, digits and '-', at most 63 characters. */
  static boolean isDnsLabel(String text) {
    return text.length() <= DNS_LABEL_MAX && DNS_LABEL.matcher(text).matches();
  }

  /** Whether the text is a lowercase DNS label except for its length. */
  static boolean isDnsLabelText(String text) {
    return DNS_LABEL.matcher(text).matches();
  }

  /**
   * Characters of interface names: a conservative subset of what Linux accepts (anything but '/',
   * ':' and whitespace), so that a name goes into keepalived.conf, cloud-init and libvirt files and
   * {@code ip} commands without quoting: '"', '#', '!', '{' and '}' all mean something to
   * keepalived.
   */
  private static final Pattern INTERFACE_NAME = Pattern.compile("[A-Za-z0-9_.-]+");

  /** The longest path or URL (Linux's PATH_MAX), in UTF-8 bytes. */
  static final int PATH_MAX_BYTES = 4096;

  /**
   * Why {@code text} cannot be a network interface name, or empty when it can: 1 to 15 characters
   * from {@code [A-Za-z0-9_.-]}, not starting with '-' (an option to {@code ip}) or '.' (which
   * rules out "." and "..", reserved by the kernel).
   */
  static Optional<String> interfaceNameProblem(String text) {
    if (text.isEmpty()) {
      return Optional.of("is empty");
    }
    if (!INTERFACE_NAME.matcher(text).matches()) {
      return Optional.of(
          "may contain only letters, digits, '_', '.' and '-' ([A-Za-z0-9_.-]), so that"
              + " keepalived.conf and the node's network configuration can name it unquoted");
    }
    if (text.length() > 15) {
      return Optional.of("is " + text.length() + " bytes long, Linux allows at most 15");
    }
    if (text.startsWith("-") || text.startsWith(".")) {
      return Optional.of("must not start with '-' or '.'");
    }
    return Optional.empty();
  }

  /**
   * Why {@code text} cannot be a file path or URL, or empty when it can: no control character (a
   * NUL truncates the path where the OS reads it, a newline splits the line it is written on) and
   * at most {@link #PATH_MAX_BYTES} bytes.
   */
  static Optional<String> pathProblem(String text) {
    return textProblem(text, PATH_MAX_BYTES, false);
  }

  /**
   * Why {@code text} cannot be free text of at most {@code maxBytes} UTF-8 bytes, or empty when it
   * can: no control character except, when {@code lines} is set, tab, line feed and carriage
   * return.
   */
  static Optional<String> textProblem(String text, int maxBytes, boolean lines) {
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      if (Character.isISOControl(c) && !(lines && (c == '\t' || c == '\n' || c == '\r'))) {
        return Optional.of(String.format(Locale.ROOT, "contains a control character (U+%04X)", c));
      }
      i += Character.charCount(c);
    }
    int bytes = text.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > maxBytes) {
      return Optional.of("is " + bytes + " bytes long; at most " + maxBytes + " are allowed");
    }
    return Optional.empty();
  }

  /** Parses a dotted-quad IPv4 address. */
  static Optional<Integer> ipv4(String text) {
    return Ipv4Network.parseAddress(text);
  }

  /** Whether the text is an IPv4 or IPv6 address literal (no zone, no host name lookup). */
  static boolean isIp(String text) {
    return ipv4(text).isPresent() || isIpv6(text);
  }

  /** Whether the text is an IPv6 address literal (RFC 4291 text forms, no zone). */
  static boolean isIpv6(String text) {
    if (text.isEmpty() || text.length() > 45) {
      return false;
    }
    int compressed = text.indexOf("::");
    if (compressed >= 0 && text.indexOf("::", compressed + 1) >= 0) {
      return false;
    }
    if (compressed < 0) {
      return groups(text, true) == 8;
    }
    String head = text.substring(0, compressed);
    String tail = text.substring(compressed + 2);
    int headGroups = head.isEmpty() ? 0 : groups(head, false);
    int tailGroups = tail.isEmpty() ? 0 : groups(tail, true);
    return headGroups >= 0 && tailGroups >= 0 && headGroups + tailGroups <= 7;
  }

  /** Counts the 16-bit groups of a colon-separated run; -1 when malformed. */
  private static int groups(String run, boolean mayEndWithIpv4) {
    String[] parts = run.split(":", -1);
    int count = 0;
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (mayEndWithIpv4 && i == parts.length - 1 && part.contains(".")) {
        if (ipv4(part).isEmpty()) {
          return -1;
        }
        count += 2;
      } else if (HEX_GROUP.matcher(part).matches()) {
        count++;
      } else {
        return -1;
      }
    }
    return count;
  }

  /**
   * A MAC address as six lowercase colon-separated octets, or empty when the text is not
   * xx:xx:xx:xx:xx:xx (or with '-' separators, which libvirt also reads).
   */
  static Optional<String> mac(String text) {
    if (!MAC.matcher(text).matches()) {
      return Optional.empty();
    }
    return Optional.of(text.replace('-', ':').toLowerCase(Locale.ROOT));
  }

  /** Why {@code key} is not a Kubernetes label key ({@code [prefix/]name}), or empty when it is. */
  static Optional<String> labelKeyProblem(String key) {
    int slash = key.indexOf('/');
    String name = slash < 0 ? key : key.substring(slash + 1);
    if (slash >= 0) {
      String prefix = key.substring(0, slash);
      if (prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
        return Optional.of(
            "its prefix before '/' must be a DNS subdomain (lowercase letters, digits, '-' and"
                + " '.', at most 253 characters)");
      }
    }
    return labelNameProblem(name, "its name");
  }

  /** Why {@code value} is not a Kubernetes label value, or empty when it is (empty is allowed). */
  static Optional<String> labelValueProblem(String value) {
    if (value.isEmpty()) {
      return Optional.empty();
    }
    return labelNameProblem(value, "it");
  }

  private static Optional<String> labelNameProblem(String name, String subject) {
    if (name.isEmpty()) {
      return Optional.of(subject + " is empty");
    }
    if (name.length() > 63) {
      return Optional.of(subject + " is longer than 63 characters");
    }
    if (!LABEL_NAME.matcher(name).matches()) {
      return Optional.of(
          subject
              + " may contain only letters, digits, '-', '_' and '.', and must start and end with"
              + " a letter or digit");
    }
    return Optional.empty();
  }

  /**
   * Why {@code taint} is not {@code key[=value]:Effect}, or empty when it is. The effect is one of
   * {@link #TAINT_EFFECTS}; key and value follow the label rules.
   */
  static Optional<String> taintProblem(String taint) {
    int colon = taint.lastIndexOf(':');
    if (colon < 0) {
      return Optional.of("has no ':Effect' part");
    }
    String effect = taint.substring(colon + 1);
    if (!TAINT_EFFECTS.contains(effect)) {
      return Optional.of(
          "has the effect "
              + Violations.quote(effect)
              + ", allowed are NoSchedule, PreferNoSchedule and NoExecute");
    }
    String head = taint.substring(0, colon);
    int equals = head.indexOf('=');
    String key = equals < 0 ? head : head.substring(0, equals);
    Optional<String> keyProblem = labelKeyProblem(key);
    if (keyProblem.isPresent()) {
      return Optional.of("has an invalid key: " + keyProblem.get());
    }
    if (equals >= 0) {
      Optional<String> valueProblem = labelValueProblem(head.substring(equals + 1));
      if (valueProblem.isPresent()) {
        return Optional.of("has an invalid value: " + valueProblem.get());
      }
    }
    return Optional.empty();
  }

  /** {@code key:Effect} of a taint that is well formed, identifying it among a node's taints. */
  static String taintIdentity(String taint) {
    int colon = taint.lastIndexOf(':');
    String head = taint.substring(0, Math.max(colon, 0));
    int equals = head.indexOf('=');
    return (equals < 0 ? head : head.substring(0, equals)) + taint.substring(Math.max(colon, 0));
  }

  /** Whether a version lacks only its leading 'v' ({@code 1.33.4}). */
  static boolean isVersionWithoutV(String text) {
    return SEMVER_WITHOUT_V.matcher(text).matches();
  }

  /** The scheme of a {@code scheme://...} URL, lowercase, or empty for anything else. */
  static Optional<String> urlScheme(String text) {
    Matcher m = URL_SCHEME.matcher(text);
    return m.lookingAt() ? Optional.of(m.group(1).toLowerCase(Locale.ROOT)) : Optional.empty();
  }
}
