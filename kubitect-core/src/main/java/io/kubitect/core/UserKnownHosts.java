package io.kubitect.core;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Puts node host keys into the user's {@code known_hosts} and takes them out again, as text: lines
 * {@code <ip> <keytype> <key>}. Earlier entries for the same addresses are replaced (as {@code
 * ssh-keygen -R} would: plain, {@code [ip]:22} and hashed {@code |1|...} names), and a line that
 * also names other hosts keeps them. Every other line (comments, markers such as
 * {@code @cert-authority}, other hosts) stays byte for byte.
 */
final class UserKnownHosts {
  /** A node's entry as the SDK writes it: an IPv4 address, a key type and a base64 key. */
  private static final Pattern ENTRY =
      Pattern.compile(
          "(?:25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3}"
              + " (?:ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(?:256|384|521)) [A-Za-z0-9+/]+={0,2}");

  private UserKnownHosts() {}

  /** Whether {@code line} is an entry the SDK writes. */
  static boolean isEntry(String line) {
    return ENTRY.matcher(line).matches();
  }

  /** The address an entry is for. */
  static String address(String entry) {
    return entry.substring(0, entry.indexOf(' '));
  }

  /**
   * The text with {@code entries} (checked with {@link #isEntry}) at its end, after dropping the
   * earlier lines for their addresses and the lines of {@code previous} (what an earlier apply
   * wrote: a node that is gone leaves no line).
   */
  static String add(String text, List<String> entries, Collection<String> previous) {
    Set<String> addresses =
        entries.stream().map(UserKnownHosts::address).collect(java.util.stream.Collectors.toSet());
    Set<String> ours = new java.util.HashSet<>(previous);
    ours.addAll(entries);
    StringBuilder out = new StringBuilder();
    for (String line : lines(text)) {
      without(line, addresses, ours).ifPresent(kept -> out.append(kept).append('\n'));
    }
    entries.forEach(e -> out.append(e).append('\n'));
    return out.toString();
  }

  /** The text without the lines of {@code entries}; other lines for the same addresses stay. */
  static String remove(String text, Collection<String> entries) {
    Set<String> ours = Set.copyOf(entries);
    StringBuilder out = new StringBuilder();
    boolean changed = false;
    for (String line : lines(text)) {
      if (ours.contains(normalized(line))) {
        changed = true;
      } else {
        out.append(line).append('\n');
      }
    }
    return changed ? out.toString() : text;
  }

  /** Lines without their line break; a last line without one counts as a line. */
  private static List<String> lines(String text) {
    List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
    if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    return lines;
  }

  /** A line's first three fields joined by one space, as the SDK writes entries. */
  private static String normalized(String line) {
    String[] fields = line.strip().split("[ \t]+");
    return fields.length == 3 ? String.join(" ", fields) : line;
  }

  /**
   * The line as it stays: empty when it is one of ours or names only {@code addresses}, without
   * those names when it names others too, unchanged otherwise.
   */
  private static Optional<String> without(String line, Set<String> addresses, Set<String> ours) {
    if (ours.contains(normalized(line))) {
      return Optional.empty();
    }
    String trimmed = line.stripLeading();
    if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith("@")) {
      return Optional.of(line);
    }
    int end = 0;
    while (end < trimmed.length() && trimmed.charAt(end) != ' ' && trimmed.charAt(end) != '\t') {
      end++;
    }
    String hosts = trimmed.substring(0, end);
    String rest = trimmed.substring(end);
    List<String> kept = new ArrayList<>();
    boolean dropped = false;
    for (String host : hosts.split(",", -1)) {
      if (names(host, addresses)) {
        dropped = true;
      } else {
        kept.add(host);
      }
    }
    if (!dropped) {
      return Optional.of(line);
    }
    return kept.isEmpty() ? Optional.empty() : Optional.of(String.join(",", kept) + rest);
  }

  /** Whether a host pattern names one of {@code addresses} on the SSH port 22. */
  private static boolean names(String host, Set<String> addresses) {
    if (host.startsWith("|1|")) {
      return addresses.stream().anyMatch(a -> hashedNames(host, a));
    }
    if (host.startsWith("[") && host.endsWith("]:22")) {
      return addresses.contains(host.substring(1, host.length() - "]:22".length()));
    }
    return addresses.contains(host);
  }

  /** OpenSSH's hashed name {@code |1|salt|hash}: HMAC-SHA1 of the name keyed with the salt. */
  static boolean hashedNames(String hashed, String name) {
    String[] parts = hashed.split("\\|", -1);
    if (parts.length != 4) {
      return false;
    }
    try {
      byte[] salt = Base64.getDecoder().decode(parts[2]);
      byte[] expected = Base64.getDecoder().decode(parts[3]);
      if (salt.length == 0) {
        return false;
      }
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(salt, "HmacSHA1"));
      return MessageDigest.isEqual(mac.doFinal(name.getBytes(StandardCharsets.US_ASCII)), expected);
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      return false; // not base64: not a hashed name this SDK can match, so it stays
    }
  }
}
