package io.kubitect.core.testing;

import io.kubitect.core.spi.SshKeyPair;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * An OpenSSH server started by hand: key-only, root login with the given authorized key, host key
 * from the SDK's {@link SshKeyPair}. Optionally in a network namespace and in its own mount
 * namespace with directories bind-mounted over system paths (so several "nodes" on one machine have
 * their own {@code /etc/haproxy}, {@code /run}, ...): everything its sessions start inherits them.
 */
public final class TestSshd implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final String address;
  private final int port;
  private final Path dir;

  private TestSshd(Process process, Path log, String address, int port, Path dir) {
    this.process = process;
    this.log = log;
    this.address = address;
    this.port = port;
    this.dir = dir;
  }

  /** What to start. */
  public static final class Spec {
    private final Path dir;
    private final SshKeyPair hostKey;
    private final String authorizedKey;
    private String address = "127.0.0.1";
    private int port;
    private @Nullable String netns;
    private boolean privateRun;
    private final Map<Path, Path> binds = new LinkedHashMap<>();

    /** A server keeping its files in {@code dir}. */
    public Spec(Path dir, SshKeyPair hostKey, String authorizedKey) {
      this.dir = dir;
      this.hostKey = hostKey;
      this.authorizedKey = authorizedKey;
    }

    /** Listens on {@code value}:{@code port}. */
    public Spec listen(String value, int portValue) {
      this.address = value;
      this.port = portValue;
      return this;
    }

    /** Runs in the network namespace {@code name}. */
    public Spec netns(String name) {
      this.netns = name;
      return this;
    }

    /** Gives the server (and its sessions) an empty private {@code /run}. */
    public Spec privateRun() {
      this.privateRun = true;
      return this;
    }

    /** Bind-mounts {@code source} over {@code target} in the server's mount namespace. */
    public Spec bind(Path source, Path target) {
      binds.put(source, target);
      return this;
    }
  }

  /** Starts the server and waits until it listens. */
  public static TestSshd start(Spec spec) {
    try {
      Files.createDirectories(spec.dir);
      int port = spec.port == 0 ? freePort() : spec.port;
      Path hostKey = spec.dir.resolve("ssh_host_ed25519_key");
      Files.writeString(hostKey, spec.hostKey.privateKey(), StandardCharsets.US_ASCII);
      Files.setPosixFilePermissions(hostKey, PosixFilePermissions.fromString("rw-------"));
      Path authorized = spec.dir.resolve("authorized_keys");
      Files.writeString(authorized, spec.authorizedKey + "\n", StandardCharsets.US_ASCII);
      Path config = spec.dir.resolve("sshd_config");
      Files.writeString(
          config,
          String.join(
              "\n",
              "Port " + port,
              "ListenAddress " + spec.address,
              "HostKey " + hostKey,
              "AuthorizedKeysFile " + authorized,
              "PasswordAuthentication no",
              "KbdInteractiveAuthentication no",
              "PubkeyAuthentication yes",
              "PermitRootLogin prohibit-password",
              "UsePAM no",
              "StrictModes no",
              "MaxSessions 10",
              "PidFile " + spec.dir.resolve("sshd.pid"),
              "LogLevel VERBOSE",
              ""),
          StandardCharsets.US_ASCII);
      // This machine's /root/.bashrc takes seconds (pyenv init) and bash reads it for every SSH
      // command: the server's sessions get an empty one, as on a freshly provisioned node.
      Path bashrc = spec.dir.resolve("bashrc");
      Files.writeString(bashrc, "# empty: a test node\n");
      if (Files.exists(Path.of("/root/.bashrc"))) {
        spec.binds.putIfAbsent(bashrc, Path.of("/root/.bashrc"));
      }
      List<String> argv = new ArrayList<>();
      if (spec.netns != null) {
        argv.addAll(List.of("ip", "netns", "exec", spec.netns));
      }
      if (spec.privateRun || !spec.binds.isEmpty()) {
        StringBuilder script = new StringBuilder("set -e\n");
        if (spec.privateRun) {
          script.append("mount -t tmpfs -o mode=755 tmpfs /run\n");
        }
        List<String> args = new ArrayList<>();
        for (Map.Entry<Path, Path> bind : spec.binds.entrySet()) {
          int i = args.size() + 1;
          // A directory may go where none exists yet (below a private /run).
          script.append("if [ -d \"$").append(i).append("\" ]; then mkdir -p \"$").append(i + 1);
          script.append("\"; fi\n");
          script.append("mount --bind \"$").append(i).append("\" \"$").append(i + 1).append("\"\n");
          args.add(bind.getKey().toString());
          args.add(bind.getValue().toString());
        }
        script.append("mkdir -p /run/sshd\n");
        script.append("shift ").append(args.size()).append("\nexec \"$@\"\n");
        argv.addAll(
            List.of(
                "unshare", "--mount", "--propagation", "private", "sh", "-c", script.toString()));
        argv.add("sshd-wrapper");
        argv.addAll(args);
      }
      argv.addAll(List.of("/usr/sbin/sshd", "-D", "-e", "-f", config.toString()));
      Path log = spec.dir.resolve("sshd.log");
      Process process =
          new ProcessBuilder(argv)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      TestSshd sshd = new TestSshd(process, log, spec.address, port, spec.dir);
      sshd.awaitListening(Duration.ofSeconds(10));
      return sshd;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitListening(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      String text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
      if (text.contains("Server listening on")) {
        return;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("sshd exited with " + process.exitValue() + ":\n" + text);
      }
      sleep(20);
    }
    close();
    throw new IllegalStateException("sshd did not listen within " + timeout + ":\n" + log());
  }

  /** A free TCP port on loopback (free now; the server binds it right after). */
  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** The address the server listens on. */
  public String address() {
    return address;
  }

  /** The port the server listens on. */
  public int port() {
    return port;
  }

  /** The server's directory. */
  public Path dir() {
    return dir;
  }

  /** The process id of the listening sshd (the server process, not a wrapper). */
  public long pid() {
    return process.pid();
  }

  /** The server's log so far. */
  public String log() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /**
   * Kills the per-connection server processes (SIGKILL), so every open connection drops at once
   * while the listener keeps accepting new ones.
   */
  public void dropConnections() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
  }

  /** Stops the server and every session process it started. */
  @Override
  public void close() {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    children.forEach(ProcessHandle::destroyForcibly);
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
