package io.kubitect.examples.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the lab's scripts and the system {@code ssh} for the end-to-end lab: commands with a time
 * limit, their stderr passed through to the lab's log, stdout returned.
 */
final class LabShell {
  private final Path repository;

  LabShell(Path repository) {
    this.repository = repository;
  }

  /** The repository root: the first directory upwards from the working directory with lab/. */
  static Path findRepository() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("lab/hosts"))) {
        return d;
      }
    }
    throw new IllegalStateException("no lab/hosts above " + dir + ": run from the repository");
  }

  Path repository() {
    return repository;
  }

  /** Runs a command; a non-zero exit fails with the command's output. Returns stdout. */
  String run(Duration limit, String... command) {
    Result r = tryRun(limit, command);
    if (r.exit() != 0) {
      throw new IllegalStateException(
          String.join(" ", command) + " exited with " + r.exit() + ":\n" + r.out() + r.err());
    }
    return r.out();
  }

  /** Runs a script of the repository's lab/ directory. */
  String lab(Duration limit, String script, String... args) {
    return lab(limit, Map.of(), script, args);
  }

  /** Runs a script of the repository's lab/ directory with more environment variables. */
  String lab(Duration limit, Map<String, String> env, String script, String... args) {
    String[] command = new String[args.length + 1];
    command[0] = repository.resolve("lab").resolve(script).toString();
    System.arraycopy(args, 0, command, 1, args.length);
    Result r = tryRun(limit, env, command);
    if (r.exit() != 0) {
      throw new IllegalStateException(
          String.join(" ", command) + " exited with " + r.exit() + ":\n" + r.out() + r.err());
    }
    return r.out();
  }

  record Result(int exit, String out, String err) {}

  /** Runs a command and returns how it ended; only a timeout or a start failure throws. */
  Result tryRun(Duration limit, String... command) {
    return tryRun(limit, Map.of(), command);
  }

  private Result tryRun(Duration limit, Map<String, String> env, String... command) {
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(repository.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      builder.environment().putAll(env);
      Process process = builder.start();
      CompletableFuture<String> out = drain(process.getInputStream());
      CompletableFuture<String> err = drain(process.getErrorStream());
      if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new IllegalStateException(
            String.join(" ", command) + " did not finish within " + limit);
      }
      return new Result(process.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
    }
  }

  private static CompletableFuture<String> drain(InputStream stream) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (InputStream in = stream) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  /**
   * Runs {@code command} on a node as {@code user} with OpenSSH, trusting only the host keys in
   * {@code knownHosts}: a node with any other key fails the call.
   */
  Result ssh(Path key, Path knownHosts, String user, String ip, String command) {
    return tryRun(
        Duration.ofMinutes(2),
        "ssh",
        "-i",
        key.toString(),
        "-o",
        "StrictHostKeyChecking=yes",
        "-o",
        "UserKnownHostsFile=" + knownHosts,
        "-o",
        "GlobalKnownHostsFile=/dev/null",
        "-o",
        "BatchMode=yes",
        "-o",
        "ConnectTimeout=15",
        "-o",
        "LogLevel=ERROR",
        user + "@" + ip,
        command);
  }

  /** lab/hosts's env file: KEY=VALUE lines without quotes, which java.util.Properties reads. */
  static Properties readEnv(Path file) {
    Properties env = new Properties();
    try (Reader in = Files.newBufferedReader(file)) {
      env.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return env;
  }

  /** The whitespace-separated words of {@code text}. */
  static List<String> words(String text) {
    List<String> words = new ArrayList<>();
    for (String w : text.strip().split("[\\s,]+", -1)) {
      if (!w.isEmpty()) {
        words.add(w);
      }
    }
    return words;
  }
}
