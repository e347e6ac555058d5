package io.kubitect.core.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test needs from the machine. Missing pieces skip the test with the reason, except in CI
 * ({@code CI=true}) where everything must run and a missing piece fails the test.
 */
public final class Environment {
  private static final List<String> PATH = List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin");

  private Environment() {}

  /** Whether this is a CI run, where nothing may be skipped. */
  public static boolean inCi() {
    return "true".equals(System.getenv("CI"));
  }

  /** Skips (or, in CI, fails) unless {@code condition} holds. */
  public static void require(boolean condition, String reason) {
    if (condition) {
      return;
    }
    if (inCi()) {
      fail("CI=true, so this test must run, but " + reason);
    }
    Assumptions.abort(reason + " (scripts/setup-machine prepares the machine; run as root)");
  }

  /** Requires root (network namespaces, sshd, keepalived). */
  public static void requireRoot() {
    require(isRoot(), "this test needs root (uid 0)");
  }

  /** Requires each program to be installed. */
  public static void requireCommands(String... programs) {
    List<String> missing = new ArrayList<>();
    for (String program : programs) {
      if (which(program) == null) {
        missing.add(program);
      }
    }
    require(missing.isEmpty(), "missing programs: " + String.join(", ", missing));
  }

  /** The absolute path of an installed program, or null. */
  public static @org.jspecify.annotations.Nullable String which(String program) {
    for (String dir : PATH) {
      Path candidate = Path.of(dir, program);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }

  /** Whether the JVM runs as root. */
  public static boolean isRoot() {
    try {
      Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      return Integer.valueOf(0).equals(uid);
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }
}
