package io.kubitect.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs programs on this machine for test fixtures. */
public final class Local {
  private Local() {}

  /** The result of a program run. */
  public record Result(int exitCode, String output) {}

  /** Runs {@code argv} (stdout and stderr merged) and fails unless it exits with 0. */
  public static String run(String... argv) {
    Result result = exec(argv);
    if (result.exitCode() != 0) {
      throw new IllegalStateException(
          String.join(" ", argv) + " exited with " + result.exitCode() + ": " + result.output());
    }
    return result.output();
  }

  /** Runs {@code argv} (stdout and stderr merged), at most 60 s. */
  public static Result exec(String... argv) {
    try {
      Process process =
          new ProcessBuilder(List.of(argv))
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", argv) + " did not end within 60 s");
      }
      return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
