package io.kubitect.core.ssh;

import io.kubitect.core.spi.HostKeyMismatchException;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import net.schmizz.keepalive.KeepAlive;
import net.schmizz.keepalive.KeepAliveRunner;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection to one target, owned by {@link SshConnections}: runs commands and writes files. It
 * connects on first use and again after it was lost; a command that was running when the connection
 * dropped fails with an {@link SshException} that says so.
 */
public final class SshConnection {
  private static final Logger LOG = LoggerFactory.getLogger(SshConnection.class);
  private static final Pattern MODE = Pattern.compile("[0-7]{3,4}");
  private static final Pattern OWNER =
      Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]*)?");

  /** Writes standard input to a temporary file next to the target, then renames it over it. */
  private static final String UPLOAD =
      """
      set -e
      dest=$1 mode=$2 owner=$3
      dir=$(dirname "$dest")
      mkdir -p "$dir"
      tmp=$(mktemp "$dir/.kubitect-upload.XXXXXX")
      trap 'rm -f "$tmp"' EXIT
      cat > "$tmp"
      chmod "$mode" "$tmp"
      chown "$owner" "$tmp"
      mv -f "$tmp" "$dest"
      trap - EXIT
      """;

  /** Prints {@code sha256 mode owner:group} of a regular file, nothing when it does not exist. */
  private static final String STAT =
      """
      if [ -f "$1" ]; then
        sum=$(sha256sum < "$1") || exit 1
        echo "${sum%% *} $(stat -c '%a %U:%G' "$1")"
      fi
      """;

  /** How long after the timeout's TERM the node sends KILL. */
  private static final Duration KILL_AFTER = Duration.ofSeconds(2);

  /** How much longer than the node's own limit the client waits before giving up on the node. */
  private static final Duration GRACE = Duration.ofSeconds(5);

  private final SshTarget target;
  private final SshConnections owner;
  private final Semaphore sessions;
  private @Nullable SSHClient client;

  SshConnection(SshTarget target, SshConnections owner) {
    this.target = target;
    this.owner = owner;
    this.sessions = new Semaphore(owner.options().maxSessionsPerTarget(), true);
  }

  /** The target of this connection. */
  public SshTarget target() {
    return target;
  }

  /** Runs {@code command} and returns how it ended, whatever its exit code. */
  public CommandResult exec(RemoteCommand command) {
    Duration timeout = command.timeout().orElse(owner.options().commandTimeout());
    long started = System.nanoTime();
    boolean acquired;
    try {
      acquired = sessions.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SshException("interrupted waiting for a session on " + target, e);
    }
    if (!acquired) {
      throw new SshException(
          "no free SSH session on " + target + " within " + timeout + " for '" + command + "'");
    }
    try {
      return execAcquired(command, timeout, started);
    } finally {
      sessions.release();
    }
  }

  /** Runs {@code command}; a non-zero exit is a {@link RemoteCommandException}. */
  public CommandResult run(RemoteCommand command) {
    return exec(command).requireSuccess();
  }

  /**
   * Writes {@code content} to {@code path} atomically: into a temporary file in the same directory,
   * with mode and owner set, then renamed over the target, so readers see the old or the new file
   * and never a partial one. Runs as root. Parent directories are created.
   *
   * @param mode octal, e.g. {@code 644}
   * @param fileOwner {@code user} or {@code user:group}
   */
  public void upload(byte[] content, String path, String mode, String fileOwner) {
    requireAbsolute(path);
    if (!MODE.matcher(mode).matches()) {
      throw new IllegalArgumentException("mode must be octal digits like 644, was " + mode);
    }
    if (!OWNER.matcher(fileOwner).matches()) {
      throw new IllegalArgumentException("owner must be user or user:group, was " + fileOwner);
    }
    run(
        RemoteCommand.script("upload " + path, UPLOAD, path, mode, fileOwner)
            .withStdin(content)
            .asRoot());
  }

  /** The content hash, mode and owner of a regular file, or empty when there is none. */
  public Optional<RemoteFile> stat(String path) {
    requireAbsolute(path);
    String out = run(RemoteCommand.script("stat " + path, STAT, path).asRoot()).stdout().strip();
    if (out.isEmpty()) {
      return Optional.empty();
    }
    String[] parts = out.split(" ", -1);
    if (parts.length != 3) {
      throw new SshException(
          "unexpected answer from stat of " + path + " on " + target + ": " + out);
    }
    return Optional.of(new RemoteFile(parts[0], parts[1], parts[2]));
  }

  private static void requireAbsolute(String path) {
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("remote paths must be absolute, was " + path);
    }
  }

  /**
   * Runs one command. The node enforces the timeout itself ({@code timeout -k}, which kills the
   * command's whole process group, so nothing keeps running and the channel closes); the local wait
   * is that plus a grace period, after which the node is considered unreachable and the connection
   * is dropped.
   */
  private CommandResult execAcquired(RemoteCommand command, Duration timeout, long started) {
    Duration remoteLimit = timeout.minusNanos(System.nanoTime() - started);
    if (remoteLimit.toMillis() < 100) {
      remoteLimit = Duration.ofMillis(100);
    }
    String line = command.commandLine(target, remoteLimit, KILL_AFTER);
    LOG.debug("{}: {}", target, command);
    OpenSession opened = openSession(command);
    SSHClient c = opened.client();
    Session session = opened.session();
    long dispatched = System.nanoTime();
    boolean closeSession = true;
    try {
      Session.Command cmd = session.exec(line);
      Future<String> out = owner.drain(cmd.getInputStream());
      Future<String> err = owner.drain(cmd.getErrorStream());
      try (OutputStream in = cmd.getOutputStream()) {
        if (command.hasStdin()) {
          in.write(command.stdin());
          in.flush();
        }
      }
      Duration localLimit = remoteLimit.plus(KILL_AFTER).plus(GRACE);
      try {
        cmd.join(localLimit.toNanos(), TimeUnit.NANOSECONDS);
      } catch (IOException e) {
        if (System.nanoTime() - dispatched < localLimit.toNanos()) {
          throw e;
        }
        closeSession = false;
        disconnect();
        throw new SshException(
            "'"
                + command
                + "' on "
                + target
                + " did not finish within "
                + timeout
                + " and the node did not end it; the connection was closed",
            e);
      }
      Integer status = cmd.getExitStatus();
      if (status == null && (!c.isConnected() || !c.getTransport().isRunning())) {
        throw new IOException("the connection closed before the command reported an exit status");
      }
      String stdout = await(out);
      String stderr = await(err);
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      boolean timedOut =
          status != null
              && (status == 124 || status == 137)
              && System.nanoTime() - dispatched >= remoteLimit.toNanos();
      if (timedOut) {
        throw new SshException(
            "'"
                + command
                + "' on "
                + target
                + " did not finish within "
                + timeout
                + "; it was stopped"
                + (stderr.isBlank() ? "" : ": " + stderr.strip()));
      }
      return new CommandResult(
          target, command.description(), status == null ? -1 : status, stdout, stderr, took);
    } catch (IOException e) {
      dropIfBroken(c);
      throw lost(command, e);
    } finally {
      if (closeSession) {
        try {
          session.close();
        } catch (IOException e) {
          LOG.debug("closing a session on {} failed", target, e);
        }
      }
    }
  }

  private record OpenSession(SSHClient client, Session session) {}

  /**
   * A kept connection can be dead before sshj has noticed (its reader thread sees the closed socket
   * a moment later). Nothing has run yet when a session cannot be opened, so that connection is
   * dropped and a fresh one is tried once.
   */
  private OpenSession openSession(RemoteCommand command) {
    for (int attempt = 1; ; attempt++) {
      SSHClient c = connected();
      try {
        return new OpenSession(c, c.startSession());
      } catch (IOException e) {
        drop(c);
        if (attempt == 2) {
          throw lost(command, e);
        }
        LOG.debug("{}: opening a session failed, reconnecting: {}", target, describe(e));
      }
    }
  }

  private String await(Future<String> stream) throws IOException {
    try {
      return stream.get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted reading command output", e);
    } catch (ExecutionException e) {
      throw new IOException("reading command output failed", e.getCause());
    } catch (TimeoutException e) {
      stream.cancel(true);
      throw new IOException("command output did not end", e);
    }
  }

  private SshException lost(RemoteCommand command, Exception e) {
    return new SshException(
        "connection to " + target + " was lost while running '" + command + "': " + describe(e), e);
  }

  private synchronized SSHClient connected() {
    if (owner.isClosed()) {
      throw new IllegalStateException("SshConnections is closed");
    }
    SSHClient current = client;
    if (current != null && current.isConnected() && current.isAuthenticated()) {
      return current;
    }
    if (current != null) {
      quietlyClose(current);
      client = null;
    }
    SSHClient c = new SSHClient(owner.config());
    int ms = (int) owner.options().connectTimeout().toMillis();
    c.setConnectTimeout(ms);
    c.getTransport().setTimeoutMs(ms);
    c.getConnection().setTimeoutMs(ms);
    KeepAlive keepAlive = c.getConnection().getKeepAlive();
    keepAlive.setKeepAliveInterval((int) owner.options().keepAliveInterval().toSeconds());
    if (keepAlive instanceof KeepAliveRunner runner) {
      runner.setMaxAliveCount(owner.options().keepAliveMaxMissed());
    }
    KnownHostsVerifier verifier = new KnownHostsVerifier(owner.hostKeys());
    c.addHostKeyVerifier(verifier);
    try {
      c.connect(target.host(), target.port());
    } catch (IOException e) {
      quietlyClose(c);
      String actual = verifier.actualFingerprint();
      String expected = verifier.expectedFingerprints();
      if (actual != null && expected != null) {
        throw new HostKeyMismatchException(target.host() + ":" + target.port(), expected, actual);
      }
      String refusal = verifier.refusal();
      if (refusal != null) {
        throw new SshException("refusing to connect to " + target + ": " + refusal, e);
      }
      throw new SshException("cannot connect to " + target + ": " + describe(e), e);
    }
    try {
      KeyProvider keys = c.loadKeys(owner.privateKey(), null, null);
      c.authPublickey(target.user(), keys);
    } catch (IOException e) {
      quietlyClose(c);
      throw new SshException(
          target
              + " refused public-key authentication of user '"
              + target.user()
              + "' with the"
              + " cluster key: "
              + describe(e),
          e);
    }
    client = c;
    return c;
  }

  private synchronized void dropIfBroken(SSHClient c) {
    if (client == c && (!c.isConnected() || !c.getTransport().isRunning())) {
      quietlyClose(c);
      client = null;
    }
  }

  private synchronized void drop(SSHClient c) {
    if (client == c) {
      client = null;
    }
    quietlyClose(c);
  }

  /** Closes the connection; the next command opens a new one. */
  synchronized void disconnect() {
    SSHClient current = client;
    client = null;
    if (current != null) {
      quietlyClose(current);
    }
  }

  private void quietlyClose(SSHClient c) {
    try {
      c.disconnect();
    } catch (IOException | RuntimeException e) {
      LOG.debug("closing the connection to {} failed", target, e);
    }
  }

  private static String describe(Throwable e) {
    StringBuilder text = new StringBuilder();
    Throwable t = e;
    while (t != null) {
      String message = t.getMessage();
      String part = message == null ? t.getClass().getSimpleName() : message;
      if (!text.toString().contains(part)) {
        text.append(text.length() == 0 ? "" : ": ").append(part);
      }
      t = t.getCause() == t ? null : t.getCause();
    }
    return text.toString();
  }

  @Override
  public String toString() {
    return "SshConnection[" + target + "]";
  }
}
