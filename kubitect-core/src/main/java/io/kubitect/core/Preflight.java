package io.kubitect.core;

import static io.kubitect.core.Violations.quote;

import io.kubitect.model.ClusterSpec;
import io.kubitect.model.ConnectionType;
import io.kubitect.model.Host;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks of a cluster specification that need this machine's environment, kept apart from {@link
 * SpecValidator} so that a specification validates anywhere: the SSH key of every remote host
 * ({@code hosts[i].connection.ssh.keyfile}) exists and is readable; the node key {@code
 * cluster.nodeTemplate.ssh.privateKeyPath}, when set, exists with its {@code .pub} beside it; a
 * node image {@code cluster.nodeTemplate.os.source} that is not an http or https URL is an existing
 * local file. A leading {@code ~} in these paths is the user's home directory. Values that are
 * missing or malformed are left to the validator.
 */
public final class Preflight {
  private Preflight() {}

  /**
   * Checks the specification against this machine, with {@code user.home} as the home directory.
   * Never throws for any specification.
   *
   * @throws NullPointerException when {@code spec} is null (a caller bug)
   */
  public static ValidationReport check(ClusterSpec spec) {
    return check(spec, Path.of(System.getProperty("user.home", "")));
  }

  /** Checks the specification with {@code home} standing for a leading {@code ~}. */
  public static ValidationReport check(ClusterSpec spec, Path home) {
    Objects.requireNonNull(spec, "spec");
    Violations v = new Violations();
    List<Host> hosts = spec.hosts();
    for (int i = 0; i < hosts.size(); i++) {
      Host host = hosts.get(i);
      if (host.connection().type().orElse(ConnectionType.LOCAL) != ConnectionType.REMOTE) {
        continue;
      }
      Optional<String> keyfile = host.connection().ssh().keyfile().filter(k -> !k.isBlank());
      if (keyfile.isPresent()) {
        readableFile(keyfile.get(), home, "hosts[" + i + "].connection.ssh.keyfile", "the key", v);
      }
    }
    String template = "cluster.nodeTemplate";
    Optional<String> privateKey =
        spec.cluster().nodeTemplate().ssh().privateKeyPath().filter(k -> !k.isBlank());
    if (privateKey.isPresent()) {
      String path = template + ".ssh.privateKeyPath";
      if (readableFile(privateKey.get(), home, path, "the private key", v)
          && isKey(privateKey.get(), home, path, "the private key", true, v)
          && readableFile(privateKey.get() + ".pub", home, path, "its public key", v)) {
        isKey(privateKey.get() + ".pub", home, path, "its public key", false, v);
      }
    }
    Optional<String> source = spec.cluster().nodeTemplate().os().source().filter(s -> !s.isBlank());
    if (source.isPresent() && !isHttp(source.get())) {
      readableFile(source.get(), home, template + ".os.source", "the image", v);
    }
    return v.report();
  }

  private static boolean isHttp(String source) {
    Optional<String> scheme = Syntax.urlScheme(source);
    return scheme.isPresent() && (scheme.get().equals("http") || scheme.get().equals("https"));
  }

  /** Expands a leading {@code ~} or {@code ~/}; other text is a path as written. */
  static Path expand(String text, Path home) {
    if (text.equals("~")) {
      return home;
    }
    if (text.startsWith("~/")) {
      return home.resolve(text.substring(2));
    }
    return Path.of(text);
  }

  /** Reports a file that is not an SSH key of the expected kind; returns whether it is one. */
  private static boolean isKey(
      String text, Path home, String path, String what, boolean secret, Violations v) {
    Path file = expand(text, home);
    Optional<String> problem;
    try {
      String content = SshKeyFiles.read(file);
      problem =
          secret ? SshKeyFiles.privateKeyProblem(content) : SshKeyFiles.publicKeyProblem(content);
    } catch (IOException e) {
      problem = Optional.of(ClusterDirectory.describe(e));
    }
    problem.ifPresent(p -> v.error(path, what + " " + quote(text) + " " + p));
    return problem.isEmpty();
  }

  /** Reports a path that is not a readable regular file; returns whether it is one. */
  private static boolean readableFile(
      String text, Path home, String path, String what, Violations v) {
    Path file;
    try {
      file = expand(text, home);
    } catch (InvalidPathException e) {
      v.error(path, quote(text) + " is not a valid file path here: " + e.getReason());
      return false;
    }
    String shown =
        quote(text) + (file.toString().equals(text) ? "" : " (" + Violations.escape(file) + ")");
    try {
      if (!Files.exists(file)) {
        v.error(path, what + " " + shown + " does not exist");
        return false;
      }
      if (!Files.isRegularFile(file)) {
        v.error(path, what + " " + shown + " is not a regular file");
        return false;
      }
      if (!Files.isReadable(file)) {
        v.error(path, what + " " + shown + " cannot be read by this user");
        return false;
      }
    } catch (SecurityException e) {
      v.error(path, what + " " + shown + " cannot be checked: " + Violations.escape(e));
      return false;
    }
    return true;
  }
}
