package io.kubitect.libvirt.internal;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Real tools for integration tests. A missing tool skips the test with the reason, except in CI
 * ({@code CI=true}), where everything {@code scripts/setup-machine} installs must be there.
 */
final class Tools {
  private Tools() {}

  static boolean inCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /** Skips (or fails in CI) unless {@code condition} holds. */
  static void require(boolean condition, String reason) {
    if (condition) {
      return;
    }
    if (inCi()) {
      fail("CI=true, so this cannot be skipped: " + reason);
    }
    Assumptions.assumeTrue(false, reason + " (run scripts/setup-machine)");
  }

  /** Skips (or fails in CI) unless the executable is on PATH or at an absolute path. */
  static void requireTool(String tool) {
    require(find(tool) != null, tool + " is not installed");
  }

  static @org.jspecify.annotations.Nullable Path find(String tool) {
    if (tool.startsWith("/")) {
      return Files.isExecutable(Path.of(tool)) ? Path.of(tool) : null;
    }
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":", -1)) {
      Path candidate = Path.of(dir, tool);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    for (String dir : List.of("/usr/sbin", "/sbin")) {
      Path candidate = Path.of(dir, tool);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /** The outcome of a finished command. */
  record Result(int exitCode, String output) {}

  /** Runs a command (stderr merged into stdout), at most two minutes. */
  static Result run(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getOutputStream().close();
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        fail("timed out: " + command);
      }
      return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Runs a command and fails the test unless it exits with 0. */
  static String ok(List<String> command) {
    Result result = run(command);
    if (result.exitCode() != 0) {
      fail(command + " exited with " + result.exitCode() + ":\n" + result.output());
    }
    return result.output();
  }
}
