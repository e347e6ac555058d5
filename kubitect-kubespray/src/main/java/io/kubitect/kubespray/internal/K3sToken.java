package io.kubitect.kubespray.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The k3s cluster token: 32 random bytes in hex, generated once per cluster and kept in a 0600 file
 * of the cluster's directory, so that re-applying reuses it. Kubitect derived it from the cluster
 * name (a SHA-256 of it), which anyone who knows the name can compute.
 */
public final class K3sToken {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern TOKEN = Pattern.compile("[0-9a-f]{64}");

  private K3sToken() {}

  /**
   * The token kept in {@code file}, created (0600, atomically) when there is none.
   *
   * @throws IllegalStateException when the file exists but holds no token, or is not a private
   *     regular file
   */
  public static String ensure(Path file) {
    try {
      if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = HexFormat.of().formatHex(bytes);
        Files.createDirectories(file.getParent());
        Path temp =
            Files.createTempFile(
                file.getParent(),
                ".token-",
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(temp, token + "\n", StandardCharsets.US_ASCII);
        try {
          // A hard link never replaces: when another run created the file meanwhile, its token
          // wins (a rename would overwrite it).
          Files.createLink(file, temp);
          return token;
        } catch (FileAlreadyExistsException e) {
          // read below
        } finally {
          Files.deleteIfExists(temp);
        }
      }
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        throw new IllegalStateException("the k3s token " + file + " is not a regular file");
      }
      String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
      if (!mode.equals("rw-------") && !mode.equals("r--------")) {
        throw new IllegalStateException(
            "the k3s token " + file + " has mode " + mode + "; it must be private (0600)");
      }
      String token = Files.readString(file, StandardCharsets.US_ASCII).trim();
      if (!TOKEN.matcher(token).matches()) {
        throw new IllegalStateException(
            "the k3s token "
                + file
                + " is damaged (not 64 hex digits); the cluster's nodes"
                + " still hold the old one in /var/lib/rancher/k3s/server/token");
      }
      return token;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the k3s token in " + file, e);
    }
  }
}
