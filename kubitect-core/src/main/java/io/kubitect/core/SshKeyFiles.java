package io.kubitect.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks that files named as SSH keys are SSH keys before the SDK copies or uses them, so a path
 * such as {@code /etc/shadow} given as {@code privateKeyPath} is refused without its content ever
 * reaching the cluster's state.
 */
final class SshKeyFiles {
  /** Larger than any OpenSSH key file (an RSA-16384 private key is about 12 KiB). */
  static final int MAX_KEY_BYTES = 64 * 1024;

  private static final Pattern PRIVATE_KEY =
      Pattern.compile(
          "-----BEGIN (OPENSSH|RSA|EC|DSA|ENCRYPTED)? ?PRIVATE KEY-----\\R[A-Za-z0-9+/=:,\\-\\s]+"
              + "-----END (OPENSSH|RSA|EC|DSA|ENCRYPTED)? ?PRIVATE KEY-----\\s*");

  private static final Set<String> PUBLIC_KEY_TYPES =
      Set.of(
          "ssh-ed25519",
          "ssh-rsa",
          "ecdsa-sha2-nistp256",
          "ecdsa-sha2-nistp384",
          "ecdsa-sha2-nistp521",
          "sk-ssh-ed25519@openssh.com",
          "sk-ecdsa-sha2-nistp256@openssh.com");

  private SshKeyFiles() {}

  /**
   * The text of a key file: a regular file (not a FIFO or device, symbolic links followed) of at
   * most {@link #MAX_KEY_BYTES} bytes of UTF-8.
   *
   * @throws IOException with a one-line reason otherwise
   */
  static String read(Path file) throws IOException {
    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
    if (!attributes.isRegularFile()) {
      throw new IOException("is not a regular file");
    }
    if (attributes.size() > MAX_KEY_BYTES) {
      throw new IOException(
          "is " + attributes.size() + " bytes, too large for an SSH key (at most 64 KiB)");
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file, LinkOption.values())) {
      bytes = in.readNBytes(MAX_KEY_BYTES + 1);
    }
    if (bytes.length > MAX_KEY_BYTES) {
      throw new IOException("grew beyond 64 KiB while being read");
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IOException("is not text, so not an SSH key", e);
    }
  }

  /** Why {@code text} is not a PEM-encoded private key, or empty when it is one. */
  static Optional<String> privateKeyProblem(String text) {
    return PRIVATE_KEY.matcher(text).matches()
        ? Optional.empty()
        : Optional.of("is not an SSH private key (no PEM 'PRIVATE KEY' block)");
  }

  /**
   * Why {@code text} is not one public key line ({@code <type> <base64> [comment]}), or empty when
   * it is one.
   */
  static Optional<String> publicKeyProblem(String text) {
    String line = text.strip();
    if (line.isEmpty()) {
      return Optional.of("is empty, not an SSH public key");
    }
    if (line.contains("\n") || line.contains("\r")) {
      return Optional.of("has more than one line, not one SSH public key");
    }
    String[] parts = line.split(" ", 3);
    if (parts.length < 2 || !PUBLIC_KEY_TYPES.contains(parts[0])) {
      return Optional.of("is not an SSH public key ('<type> <base64> [comment]')");
    }
    try {
      byte[] blob = Base64.getDecoder().decode(parts[1]);
      if (blob.length < 4 + parts[0].length()) {
        return Optional.of("has a truncated key");
      }
    } catch (IllegalArgumentException e) {
      return Optional.of("has a key that is not base64");
    }
    return Optional.empty();
  }
}
