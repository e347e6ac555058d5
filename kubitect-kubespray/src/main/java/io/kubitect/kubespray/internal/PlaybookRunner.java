package io.kubitect.kubespray.internal;

import io.kubitect.core.spi.InstallationException;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@code ansible-playbook} as a child process: builds its command line and environment
 * (host keys verified against the cluster's known_hosts, pipelining, fact cache, forks), streams
 * its output to slf4j, a log file and an {@link AnsibleOutput} parser, and turns a failure into an
 * {@link InstallationException}. Interrupting the calling thread cancels the run: the whole process
 * tree is killed.
 */
public final class PlaybookRunner {
  private static final Logger LOG = LoggerFactory.getLogger("io.kubitect.kubespray.ansible");
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");
  private static final int TAIL_LINES = 60;

  /**
   * One playbook run.
   *
   * @param ansiblePlaybook the command that starts ansible-playbook (a path, or a name on the PATH)
   * @param directory working directory: the Kubespray checkout, so its ansible.cfg applies
   * @param limit hosts or groups for {@code --limit}; empty for no limit
   * @param stateDirectory per-cluster directory for the fact cache, temporary files and logs
   * @param timeout the run is killed after this long; zero for no limit
   */
  public record Invocation(
      String ansiblePlaybook,
      Path directory,
      String playbook,
      Path inventory,
      List<String> limit,
      Map<String, Object> extraVars,
      String user,
      Path privateKey,
      Path knownHosts,
      int forks,
      Path stateDirectory,
      Duration timeout) {
    /** Copies the collections. */
    public Invocation {
      limit = List.copyOf(limit);
      extraVars = new LinkedHashMap<>(extraVars);
    }

    /** A short description: the playbook and its limit. */
    public String describe() {
      return playbook + (limit.isEmpty() ? "" : " --limit " + String.join(":", limit));
    }
  }

  /** Receives the run's output as it comes, on the reader thread. */
  public interface Observer {
    /** A recognised line. */
    void event(AnsibleEvent event);
  }

  /** A finished run. */
  public record Result(int exitCode, AnsibleOutput output, Path logFile, Duration elapsed) {}

  private PlaybookRunner() {}

  /** The command line, without the environment. */
  public static List<String> command(Invocation inv, Path extraVarsFile) {
    List<String> cmd = new ArrayList<>();
    cmd.add(inv.ansiblePlaybook());
    cmd.add(inv.playbook());
    cmd.add("--inventory");
    cmd.add(inv.inventory().toString());
    cmd.add("--become");
    cmd.add("--user");
    cmd.add(inv.user());
    cmd.add("--private-key");
    cmd.add(inv.privateKey().toString());
    cmd.add("--forks");
    cmd.add(Integer.toString(Math.max(1, inv.forks())));
    if (!inv.limit().isEmpty()) {
      cmd.add("--limit");
      cmd.add(String.join(":", inv.limit()));
    }
    if (!inv.extraVars().isEmpty()) {
      cmd.add("--extra-vars");
      cmd.add("@" + extraVarsFile);
    }
    return cmd;
  }

  /**
   * The environment ansible-playbook runs with. Environment variables take precedence over
   * Kubespray's ansible.cfg, which turns host-key checking off: here it is on, against the
   * cluster's known_hosts only.
   */
  public static Map<String, String> environment(Invocation inv, Path controlPathDirectory) {
    Path state = inv.stateDirectory();
    Map<String, String> env = new LinkedHashMap<>();
    env.put("ANSIBLE_HOST_KEY_CHECKING", "True");
    env.put(
        "ANSIBLE_SSH_ARGS",
        String.join(
            " ",
            "-o ControlMaster=auto",
            "-o ControlPersist=60s",
            "-o StrictHostKeyChecking=yes",
            "-o UserKnownHostsFile=" + shellQuote(inv.knownHosts().toString()),
            "-o GlobalKnownHostsFile=/dev/null",
            "-o CheckHostIP=no",
            "-o BatchMode=yes",
            "-o PasswordAuthentication=no",
            "-o IdentitiesOnly=yes",
            "-o ServerAliveInterval=15"));
    env.put("ANSIBLE_SSH_CONTROL_PATH_DIR", controlPathDirectory.toString());
    env.put("ANSIBLE_PIPELINING", "True");
    env.put("ANSIBLE_TIMEOUT", "60");
    env.put("ANSIBLE_GATHERING", "smart");
    env.put("ANSIBLE_CACHE_PLUGIN", "jsonfile");
    env.put("ANSIBLE_CACHE_PLUGIN_CONNECTION", state.resolve("facts").toString());
    env.put("ANSIBLE_CACHE_PLUGIN_TIMEOUT", "86400");
    env.put("ANSIBLE_LOCAL_TEMP", state.resolve("tmp").toString());
    env.put("ANSIBLE_RETRY_FILES_ENABLED", "False");
    env.put("ANSIBLE_STDOUT_CALLBACK", "default");
    env.put("ANSIBLE_CALLBACKS_ENABLED", "");
    env.put("ANSIBLE_CALLBACK_RESULT_FORMAT", "json");
    env.put("ANSIBLE_NOCOLOR", "True");
    env.put("ANSIBLE_FORCE_COLOR", "False");
    // Shown, so that task banners print when a task starts, not with its first result.
    env.put("ANSIBLE_DISPLAY_SKIPPED_HOSTS", "True");
    env.put("ANSIBLE_DISPLAY_FAILED_STDERR", "True");
    env.put("ANSIBLE_LOCALHOST_WARNING", "False");
    env.put("ANSIBLE_INVENTORY_UNPARSED_WARNING", "False");
    env.put("ANSIBLE_HOST_PATTERN_MISMATCH", "ignore");
    env.put("ANSIBLE_DEPRECATION_WARNINGS", "False");
    env.put("PYTHONUNBUFFERED", "1");
    return env;
  }

  /**
   * Runs the playbook to its end.
   *
   * @throws InstallationException when it exits with another code than 0 (with the failed task,
   *     hosts and log tail), cannot be started, times out or is cancelled
   */
  public static Result run(Invocation inv, Observer observer) {
    Path state = inv.stateDirectory();
    Path logs = state.resolve("logs");
    Path controlPaths;
    Path logFile;
    Path extraVarsFile;
    try {
      Files.createDirectories(logs);
      Files.createDirectories(state.resolve("facts"));
      Files.createDirectories(state.resolve("tmp"));
      String stem = nextLogStem(logs, inv.playbook());
      logFile = logs.resolve(stem + ".log");
      extraVarsFile = logs.resolve(stem + ".extra-vars.yml");
      Files.writeString(extraVarsFile, Yaml.write(inv.extraVars()));
      // A short directory: ssh control sockets must fit in 108 bytes.
      controlPaths = Files.createTempDirectory(Path.of("/tmp"), "kcp");
    } catch (IOException e) {
      throw new InstallationException(
          "cannot prepare the run of " + inv.describe() + ": " + e.getMessage(),
          -1,
          "",
          List.of(),
          "");
    }
    List<String> command = command(inv, extraVarsFile);
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(inv.directory().toFile()).redirectErrorStream(true);
    pb.environment().putAll(environment(inv, controlPaths));
    LOG.info("running {} in {}", String.join(" ", command), inv.directory());
    AnsibleOutput output = new AnsibleOutput(TAIL_LINES);
    long start = System.nanoTime();
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      deleteQuietly(controlPaths);
      throw new InstallationException(
          "cannot start "
              + inv.ansiblePlaybook()
              + " ("
              + e.getMessage()
              + "); install ansible-core or let the installer create a virtualenv",
          -1,
          "",
          List.of(),
          "");
    }
    Thread reader =
        new Thread(() -> pump(process, output, observer, logFile), "ansible-" + process.pid());
    reader.setDaemon(true);
    reader.start();
    int exit;
    try {
      boolean done =
          inv.timeout().isZero()
              ? waitFor(process)
              : process.waitFor(inv.timeout().toMillis(), TimeUnit.MILLISECONDS);
      if (!done) {
        ProcessTree.kill(process.toHandle(), Duration.ofSeconds(5));
        joinQuietly(reader);
        throw failure(
            inv.describe() + " timed out after " + inv.timeout() + " and was killed", -1, output);
      }
      exit = process.exitValue();
      reader.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      LOG.info(
          "cancelling {}: killing ansible-playbook {} and its children",
          inv.describe(),
          process.pid());
      ProcessTree.kill(process.toHandle(), Duration.ofSeconds(5));
      joinQuietly(reader);
      Thread.currentThread().interrupt();
      throw failure(inv.describe() + " was cancelled", -1, output);
    } finally {
      closeControlMasters(controlPaths);
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    if (exit != 0) {
      throw failure(inv.describe() + " failed with exit code " + exit, exit, output);
    }
    LOG.info("{} finished in {} ms", inv.describe(), elapsed.toMillis());
    return new Result(exit, output, logFile, elapsed);
  }

  private static boolean waitFor(Process process) throws InterruptedException {
    process.waitFor();
    return true;
  }

  private static String nextLogStem(Path logs, String playbook) throws IOException {
    long n;
    try (Stream<Path> files = Files.list(logs)) {
      n = files.filter(f -> f.toString().endsWith(".log")).count() + 1;
    }
    return String.format(
        java.util.Locale.ROOT, "%03d-%s", n, playbook.replaceAll("[^A-Za-z0-9_.-]", "_"));
  }

  private static void pump(Process process, AnsibleOutput output, Observer observer, Path logFile) {
    try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        BufferedWriter log = Files.newBufferedWriter(logFile)) {
      String line;
      while ((line = in.readLine()) != null) {
        LOG.info("{}", line);
        log.write(line);
        log.newLine();
        Optional<AnsibleEvent> event;
        synchronized (output) {
          event = output.accept(line);
        }
        if (event.isPresent()) {
          try {
            observer.event(event.get());
          } catch (RuntimeException e) {
            LOG.warn("progress observer threw; ignored", e);
          }
        }
      }
    } catch (IOException e) {
      // The stream closes when the process is killed; nothing more to read.
      LOG.debug("stopped reading ansible output: {}", e.toString());
    }
  }

  /** The error for a failed run: the first failed task, the hosts it failed on, the log tail. */
  static InstallationException failure(String what, int exit, AnsibleOutput output) {
    List<AnsibleEvent.HostResult> failures;
    String tail;
    synchronized (output) {
      failures = output.failures();
      tail = output.tail();
    }
    if (failures.isEmpty()) {
      return new InstallationException(what, exit, "", List.of(), tail);
    }
    String task = failures.get(0).task();
    Set<String> hosts = new LinkedHashSet<>();
    List<String> messages = new ArrayList<>();
    for (AnsibleEvent.HostResult f : failures) {
      if (f.task().equals(task)) {
        hosts.add(f.host());
        messages.add(f.host() + ": " + f.message());
      }
    }
    String others =
        failures.stream()
            .filter(f -> !f.task().equals(task))
            .map(f -> "'" + f.task() + "' on " + f.host())
            .distinct()
            .collect(Collectors.joining(", "));
    return new InstallationException(
        what
            + ": task '"
            + task
            + "' failed on "
            + String.join(", ", hosts)
            + " ("
            + String.join("; ", messages)
            + ")"
            + (others.isEmpty() ? "" : "; also failed: " + others),
        exit,
        task,
        List.copyOf(hosts),
        tail);
  }

  /** Ends the ssh connection multiplexers of the run (they outlive ansible-playbook otherwise). */
  private static void closeControlMasters(Path directory) {
    // Runs even when the run was cancelled: clear the interrupt for the cleanup, then restore it.
    boolean interrupted = Thread.interrupted();
    try {
      closeEach(directory);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    deleteQuietly(directory);
  }

  private static void closeEach(Path directory) {
    try (Stream<Path> sockets = Files.list(directory)) {
      for (Path socket : sockets.toList()) {
        try {
          Process p =
              new ProcessBuilder(
                      "ssh", "-o", "ControlPath=" + socket, "-O", "exit", "kubitect-control-master")
                  .redirectErrorStream(true)
                  .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                  .start();
          if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroyForcibly();
          }
        } catch (IOException e) {
          LOG.debug("cannot close ssh control master {}: {}", socket, e.toString());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    } catch (IOException | UncheckedIOException e) {
      LOG.debug("cannot list ssh control sockets in {}: {}", directory, e.toString());
    }
  }

  private static void deleteQuietly(Path directory) {
    try (Stream<Path> walk = Files.walk(directory)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | UncheckedIOException e) {
      LOG.debug("cannot delete {}: {}", directory, e.toString());
    }
  }

  private static void joinQuietly(Thread thread) {
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Quotes a word for the shell-like splitting Ansible applies to ssh_args. */
  static String shellQuote(String word) {
    return SAFE.matcher(word).matches() ? word : "'" + word.replace("'", "'\"'\"'") + "'";
  }
}
