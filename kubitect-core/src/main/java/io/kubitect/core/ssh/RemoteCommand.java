package io.kubitect.core.ssh;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A command to run on a target: an argument vector, never a string the caller assembled. Every
 * argument is shell-quoted on the way, so values from a specification (names, paths, addresses)
 * cannot run commands of their own. Scripts are constant text that reads its values from {@code
 * "$1"}, {@code "$2"}, ... rather than having them pasted in.
 */
public final class RemoteCommand {
  private final List<String> argv;
  private final String description;
  private final boolean asRoot;
  private final byte @Nullable [] stdin;
  private final @Nullable Duration timeout;

  private RemoteCommand(
      List<String> argv,
      String description,
      boolean asRoot,
      byte @Nullable [] stdin,
      @Nullable Duration timeout) {
    this.argv = List.copyOf(argv);
    this.description = description;
    this.asRoot = asRoot;
    this.stdin = stdin;
    this.timeout = timeout;
  }

  /** Runs {@code program} with {@code args}, each one word. */
  public static RemoteCommand of(String program, String... args) {
    List<String> argv = new ArrayList<>();
    argv.add(program);
    argv.addAll(Arrays.asList(args));
    return new RemoteCommand(argv, String.join(" ", argv), false, null, null);
  }

  /**
   * Runs the constant {@code script} with {@code sh -c}; {@code args} are its positional parameters
   * {@code $1..$n}. {@code name} describes it in errors and logs.
   */
  public static RemoteCommand script(String name, String script, String... args) {
    List<String> argv = new ArrayList<>(List.of("sh", "-c", script, "kubitect"));
    argv.addAll(Arrays.asList(args));
    return new RemoteCommand(argv, name, false, null, null);
  }

  /** The same command run as root: through {@code sudo -n} when the user is not root. */
  public RemoteCommand asRoot() {
    return new RemoteCommand(argv, description, true, stdin, timeout);
  }

  /** The same command with {@code bytes} on its standard input. */
  public RemoteCommand withStdin(byte[] bytes) {
    return new RemoteCommand(argv, description, asRoot, bytes.clone(), timeout);
  }

  /** The same command with its own timeout instead of {@link SshOptions#commandTimeout()}. */
  public RemoteCommand withTimeout(Duration value) {
    Objects.requireNonNull(value, "value");
    return new RemoteCommand(argv, description, asRoot, stdin, value);
  }

  /** The argument vector, unquoted. */
  public List<String> argv() {
    return argv;
  }

  /** What the command does, for errors and logs (never its standard input). */
  public String description() {
    return description;
  }

  /** Whether the command runs as root. */
  public boolean runsAsRoot() {
    return asRoot;
  }

  /** The timeout it asked for, if any. */
  public Optional<Duration> timeout() {
    return Optional.ofNullable(timeout);
  }

  /** Standard input, empty when none. */
  byte[] stdin() {
    return stdin == null ? new byte[0] : stdin.clone();
  }

  boolean hasStdin() {
    return stdin != null;
  }

  /**
   * The line the remote shell receives for {@code target}: quoted words, {@code sudo -n} when
   * needed, and coreutils' {@code timeout}, which ends the command's whole process group after
   * {@code limit} (TERM, then KILL {@code killAfter} later).
   */
  String commandLine(SshTarget target, Duration limit, Duration killAfter) {
    List<String> words = new ArrayList<>();
    if (asRoot && !target.isRoot()) {
      words.addAll(List.of("sudo", "-n", "--"));
    }
    words.addAll(List.of("timeout", "-k", seconds(killAfter), seconds(limit)));
    words.addAll(argv);
    return Shell.join(words);
  }

  private static String seconds(Duration duration) {
    long millis = Math.max(1, duration.toMillis());
    return millis / 1000 + "." + String.format(java.util.Locale.ROOT, "%03d", millis % 1000);
  }

  @Override
  public String toString() {
    return description;
  }
}
