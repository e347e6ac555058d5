package io.kubitect.kubespray.internal;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What integration tests need from the machine. A missing requirement skips the test with the
 * reason, except in CI ({@code CI=true}), which installs everything, so there it fails.
 */
final class Requirements {
  private Requirements() {}

  static boolean inCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /** Skips (or, in CI, fails) unless {@code condition} holds. */
  static void require(boolean condition, String reason) {
    if (condition) {
      return;
    }
    String message = reason + " (scripts/setup-machine prepares this machine)";
    if (inCi()) {
      fail("CI=true, so this is an error, not a skip: " + message);
    }
    assumeTrue(false, message);
  }

  /** Requires an executable on the PATH. */
  static void requireCommand(String command) {
    require(onPath(command), command + " is not on the PATH");
  }

  static boolean onPath(String command) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator, -1)) {
      if (Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }

  /** Requires root and working network namespaces. */
  static void requireNamespaces() {
    require(
        "root".equals(System.getProperty("user.name")),
        "network namespaces need root; running as " + System.getProperty("user.name"));
    requireCommand("ip");
    require(Files.isExecutable(Path.of("/usr/sbin/sshd")), "/usr/sbin/sshd is not installed");
  }
}
