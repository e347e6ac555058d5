package io.kubitect.kubespray.internal;

import io.kubitect.core.spi.InstallationException;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@code helm} CLI as a child process against one cluster: the kubeconfig given on every
 * call, Helm's own configuration, cache and data kept in the cluster's directory (the user's
 * repositories are neither read nor changed), output logged, written to a log file and its tail
 * kept for the error. Interrupting the calling thread kills the whole process tree.
 */
public final class Helm {
  private static final Logger LOG = LoggerFactory.getLogger("io.kubitect.kubespray.helm");
  private static final int TAIL_LINES = 40;
  private static final int MAX_LINE = 2000;

  private final String executable;
  private final Path kubeconfig;
  private final Path state;
  private final Duration timeout;

  /**
   * @param executable the helm command (a path)
   * @param state a directory of the cluster for Helm's files and the logs
   * @param timeout kills a call that takes longer; zero for no limit
   */
  public Helm(String executable, Path kubeconfig, Path state, Duration timeout) {
    this.executable = executable;
    this.kubeconfig = kubeconfig;
    this.state = state;
    this.timeout = timeout;
  }

  /**
   * The helm to use: {@code explicit} when given (it must be an executable file), else the first
   * {@code helm} on {@code path} (the PATH environment variable's value).
   */
  public static Optional<Path> locate(Optional<Path> explicit, String path) {
    if (explicit.isPresent()) {
      Path p = explicit.get();
      return Files.isRegularFile(p) && Files.isExecutable(p) ? explicit : Optional.empty();
    }
    for (String dir : path.split(java.util.regex.Pattern.quote(File.pathSeparator), -1)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate;
      try {
        candidate = Path.of(dir, "helm");
      } catch (java.nio.file.InvalidPathException e) {
        continue;
      }
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate.toAbsolutePath());
      }
    }
    return Optional.empty();
  }

  /** The one line that says helm is missing and how to provide it. */
  public static String missing(Optional<Path> explicit) {
    return explicit
        .map(
            p ->
                "addons.rook is enabled and needs helm, but "
                    + p
                    + " (given to the installer's builder) is not an executable file")
        .orElse(
            "addons.rook is enabled and needs helm (v3; Kubitect pins v3.11.2), which is not on"
                + " the PATH: install it, or give its path with the installer builder's"
                + " helm(Path)");
  }

  /**
   * Runs {@code helm <args> --kubeconfig <kubeconfig>}; {@code what} names the call in logs and
   * errors.
   *
   * @throws InstallationException when helm cannot start, exits with another code than 0 (with the
   *     output's tail), times out or is cancelled
   */
  public void run(String what, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(executable);
    command.addAll(args);
    command.add("--kubeconfig");
    command.add(kubeconfig.toString());
    Path logs = state.resolve("logs");
    Path logFile;
    try {
      Files.createDirectories(logs);
      Files.createDirectories(state.resolve("config"));
      Files.createDirectories(state.resolve("cache"));
      Files.createDirectories(state.resolve("data"));
      logFile =
          logs.resolve(String.format(java.util.Locale.ROOT, "%03d-%s.log", count(logs), what));
    } catch (IOException e) {
      throw new InstallationException(
          "cannot prepare helm " + what + ": " + e, -1, "helm " + what, List.of(), "");
    }
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("KUBECONFIG", kubeconfig.toString());
    env.put("HELM_CONFIG_HOME", state.resolve("config").toString());
    env.put("HELM_CACHE_HOME", state.resolve("cache").toString());
    env.put("HELM_DATA_HOME", state.resolve("data").toString());
    env.remove("HELM_REPOSITORY_CONFIG");
    env.remove("HELM_REPOSITORY_CACHE");
    env.remove("HELM_KUBECONTEXT");
    env.remove("HELM_NAMESPACE");
    LOG.info("running {}", String.join(" ", command));
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new InstallationException(
          "cannot start helm " + executable + " for " + what + " (" + e.getMessage() + ")",
          -1,
          "helm " + what,
          List.of(),
          "");
    }
    Deque<String> tail = new ArrayDeque<>();
    Thread reader = new Thread(() -> pump(process, tail, logFile), "helm-" + process.pid());
    reader.setDaemon(true);
    reader.start();
    long start = System.nanoTime();
    try {
      boolean done =
          timeout.isZero()
              ? waitFor(process)
              : process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!done) {
        ProcessTree.kill(process.toHandle(), Duration.ofSeconds(5));
        reader.join(TimeUnit.SECONDS.toMillis(10));
        throw failure(
            "helm " + what + " timed out after " + timeout + " and was killed", -1, what, tail);
      }
      reader.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      LOG.info("cancelling helm {}: killing process {} and its children", what, process.pid());
      ProcessTree.kill(process.toHandle(), Duration.ofSeconds(5));
      joinQuietly(reader);
      Thread.currentThread().interrupt();
      throw failure("helm " + what + " was cancelled", -1, what, tail);
    }
    int exit = process.exitValue();
    if (exit != 0) {
      throw failure("helm " + what + " failed with exit code " + exit, exit, what, tail);
    }
    LOG.info(
        "helm {} finished in {} ms", what, Duration.ofNanos(System.nanoTime() - start).toMillis());
  }

  private static boolean waitFor(Process process) throws InterruptedException {
    process.waitFor();
    return true;
  }

  private static long count(Path logs) throws IOException {
    try (var files = Files.list(logs)) {
      return files.count() + 1;
    }
  }

  private static InstallationException failure(
      String message, int exit, String what, Deque<String> tail) {
    String text;
    synchronized (tail) {
      text = String.join("\n", tail);
    }
    String last = tail.isEmpty() ? "" : ": " + lastLine(text);
    return new InstallationException(message + last, exit, "helm " + what, List.of(), text);
  }

  private static String lastLine(String text) {
    String stripped = text.strip();
    String line = stripped.substring(stripped.lastIndexOf('\n') + 1);
    return line.length() <= 300 ? line : line.substring(0, 297) + "...";
  }

  private static void pump(Process process, Deque<String> tail, Path logFile) {
    try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        BufferedWriter log = Files.newBufferedWriter(logFile)) {
      String line;
      while ((line = in.readLine()) != null) {
        String kept = line.length() <= MAX_LINE ? line : line.substring(0, MAX_LINE) + "...";
        LOG.info("{}", kept);
        log.write(kept);
        log.newLine();
        synchronized (tail) {
          tail.addLast(kept);
          while (tail.size() > TAIL_LINES) {
            tail.removeFirst();
          }
        }
      }
    } catch (IOException e) {
      // The stream closes when the process is killed; nothing more to read.
      LOG.debug("stopped reading helm output: {}", e.toString());
    }
  }

  private static void joinQuietly(Thread thread) {
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
