package io.kubitect.core.ssh;

import io.kubitect.core.spi.ClusterCredentials;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import net.schmizz.keepalive.KeepAliveProvider;
import net.schmizz.sshj.DefaultConfig;

/**
 * The SSH connections of one piece of work (an apply, a probe): one verified, key-authenticated
 * connection per target, opened on first use, reused by every later command and reopened when it
 * was lost. Closing it closes every connection and every thread it started.
 *
 * <p>Thread-safe: commands to the same target share its connection, at most {@link
 * SshOptions#maxSessionsPerTarget()} at once; commands to different targets run independently.
 */
public final class SshConnections implements AutoCloseable {
  private static final int KEEP_BYTES = 1 << 20;

  private final String privateKey;
  private final Supplier<HostKeys> hostKeys;
  private final SshOptions options;
  private final DefaultConfig config;
  private final ExecutorService io;
  private final Map<SshTarget, SshConnection> connections = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private SshConnections(String privateKey, Supplier<HostKeys> hostKeys, SshOptions options) {
    this.privateKey = privateKey;
    this.hostKeys = hostKeys;
    this.options = options;
    this.config = new DefaultConfig();
    config.setKeepAliveProvider(KeepAliveProvider.KEEP_ALIVE);
    AtomicInteger count = new AtomicInteger();
    ThreadFactory threads =
        r -> {
          Thread t = new Thread(r, "kubitect-ssh-io-" + count.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    this.io = Executors.newCachedThreadPool(threads);
  }

  /**
   * Connections that log in with the cluster's private key and accept only the host keys in the
   * cluster's known_hosts file (read again on every connect, so keys added later count).
   */
  public static SshConnections open(ClusterCredentials credentials, SshOptions options) {
    String key;
    try {
      key = Files.readString(credentials.privateKeyFile(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read the cluster's private key " + credentials.privateKeyFile(), e);
    }
    return new SshConnections(key, () -> HostKeys.read(credentials.knownHostsFile()), options);
  }

  /** Connections with a key given as text and host keys given directly (the readiness probe). */
  static SshConnections withKeys(String privateKey, HostKeys hostKeys, SshOptions options) {
    return new SshConnections(privateKey, () -> hostKeys, options);
  }

  /** The connection to {@code target}; it connects on first use. */
  public SshConnection to(SshTarget target) {
    if (closed) {
      throw new IllegalStateException("SshConnections is closed");
    }
    return connections.computeIfAbsent(target, t -> new SshConnection(t, this));
  }

  /** Runs {@code command} on {@code target} and returns how it ended, whatever its exit code. */
  public CommandResult exec(SshTarget target, RemoteCommand command) {
    return to(target).exec(command);
  }

  /**
   * Runs {@code command} on {@code target}; a non-zero exit is a {@link RemoteCommandException}.
   */
  public CommandResult run(SshTarget target, RemoteCommand command) {
    return to(target).run(command);
  }

  /** Closes every connection and stops the threads; later use is an error. */
  @Override
  public void close() {
    closed = true;
    List<SshConnection> all = new ArrayList<>(connections.values());
    connections.clear();
    for (SshConnection connection : all) {
      connection.disconnect();
    }
    io.shutdownNow();
    try {
      io.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  boolean isClosed() {
    return closed;
  }

  String privateKey() {
    return privateKey;
  }

  HostKeys hostKeys() {
    return hostKeys.get();
  }

  SshOptions options() {
    return options;
  }

  DefaultConfig config() {
    return config;
  }

  /** Reads a stream to its end on an I/O thread, keeping at most 1 MiB. */
  Future<String> drain(InputStream in) {
    return io.submit(
        () -> {
          ByteArrayOutputStream kept = new ByteArrayOutputStream();
          byte[] buffer = new byte[8192];
          int n;
          while ((n = in.read(buffer)) >= 0) {
            int room = KEEP_BYTES - kept.size();
            if (room > 0) {
              kept.write(buffer, 0, Math.min(n, room));
            }
          }
          return kept.toString(StandardCharsets.UTF_8);
        });
  }
}
