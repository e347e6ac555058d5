package io.kubitect.core.ssh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The host keys a target may present, read from an OpenSSH known_hosts file: plain ({@code 10.0.0.5
 * ssh-ed25519 AAAA...}), with a port ({@code [10.0.0.5]:2222 ...}), comma-separated names and
 * hashed names ({@code |1|salt|hash}). {@code @revoked} keys are refused; {@code @cert-authority}
 * lines are ignored.
 */
final class HostKeys {

  /** One acceptable key: its type and its SSH wire blob. */
  static final class Key {
    private final String type;
    private final byte[] blob;

    Key(String type, byte[] blob) {
      this.type = type;
      this.blob = blob.clone();
    }

    String type() {
      return type;
    }

    boolean matches(byte[] other) {
      return MessageDigest.isEqual(blob, other);
    }

    String fingerprint() {
      return HostKeys.fingerprint(blob);
    }
  }

  /** What the file says about one target. */
  record Entry(List<Key> accepted, List<Key> revoked) {
    Entry {
      accepted = List.copyOf(accepted);
      revoked = List.copyOf(revoked);
    }
  }

  private final List<String> lines;
  private final String source;

  private HostKeys(List<String> lines, String source) {
    this.lines = List.copyOf(lines);
    this.source = source;
  }

  /** Reads a known_hosts file; a missing file has no entries. */
  static HostKeys read(Path file) {
    try {
      return new HostKeys(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
    } catch (NoSuchFileException e) {
      return new HostKeys(List.of(), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read known_hosts file " + file, e);
    }
  }

  /** Keys given directly, one {@code host keytype base64} line each. */
  static HostKeys of(List<String> lines, String source) {
    return new HostKeys(lines, source);
  }

  /** Where the keys came from, for messages. */
  String source() {
    return source;
  }

  /** The keys for {@code host} on {@code port}. */
  Entry lookup(String host, int port) {
    String name = port == 22 ? host : "[" + host + "]:" + port;
    List<Key> accepted = new ArrayList<>();
    List<Key> revoked = new ArrayList<>();
    for (String raw : lines) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] fields = line.split("\\s+", -1);
      int i = 0;
      String marker = "";
      if (fields[0].startsWith("@")) {
        marker = fields[0];
        i = 1;
      }
      if (fields.length < i + 3 || marker.equals("@cert-authority")) {
        continue;
      }
      if (!matches(fields[i], name) && !(port == 22 && matches(fields[i], "[" + host + "]:22"))) {
        continue;
      }
      byte[] blob;
      try {
        blob = Base64.getDecoder().decode(fields[i + 2]);
      } catch (IllegalArgumentException e) {
        continue;
      }
      Key key = new Key(fields[i + 1], blob);
      (marker.equals("@revoked") ? revoked : accepted).add(key);
    }
    return new Entry(accepted, revoked);
  }

  private static boolean matches(String patterns, String name) {
    for (String pattern : patterns.split(",", -1)) {
      if (pattern.startsWith("|1|")) {
        if (hashedMatch(pattern, name)) {
          return true;
        }
      } else if (pattern.equals(name)) {
        return true;
      }
    }
    return false;
  }

  private static boolean hashedMatch(String pattern, String name) {
    String[] parts = pattern.split("\\|", -1);
    if (parts.length != 4) {
      return false;
    }
    try {
      byte[] salt = Base64.getDecoder().decode(parts[2]);
      byte[] expected = Base64.getDecoder().decode(parts[3]);
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(salt, "HmacSHA1"));
      return MessageDigest.isEqual(expected, mac.doFinal(name.getBytes(StandardCharsets.UTF_8)));
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      return false;
    }
  }

  /** OpenSSH's fingerprint of a key blob: {@code SHA256:} and unpadded base64. */
  static String fingerprint(byte[] blob) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
      return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
