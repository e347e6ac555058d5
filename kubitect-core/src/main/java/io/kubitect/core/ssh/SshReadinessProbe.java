package io.kubitect.core.ssh;

import io.kubitect.core.spi.ClusterCredentials;
import io.kubitect.core.spi.HostKeyMismatchException;
import io.kubitect.core.spi.Node;
import io.kubitect.core.spi.NodeAccess;
import io.kubitect.core.spi.NodeReadinessProbe;
import io.kubitect.core.spi.SshKeyPair;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A node is ready when it answers SSH with the host key the SDK generated for it (or, when none was
 * generated, one listed in the cluster's known_hosts file) and cloud-init has finished: {@code
 * /var/lib/cloud/instance/boot-finished} or {@code /run/cloud-init/result.json} exists. While
 * {@code /run/cloud-init} exists without them, cloud-init is running; only a node without it is
 * asked {@code cloud-init status}, since that starts cloud-init's Python, seconds of CPU on an
 * emulated node, taken from the very boot the probe waits for. Every attempt opens a fresh
 * connection with short timeouts and closes it again.
 */
public final class SshReadinessProbe implements NodeReadinessProbe {
  private static final String CHECK =
      """
      if [ -e /var/lib/cloud/instance/boot-finished ]; then echo 'status: done'; exit 0; fi
      if [ -e /run/cloud-init/result.json ]; then echo 'status: done'; exit 0; fi
      if [ -d /run/cloud-init ]; then echo 'status: running'; exit 0; fi
      if command -v cloud-init >/dev/null 2>&1; then cloud-init status 2>&1; exit 0; fi
      echo 'status: cloud-init not found and /var/lib/cloud/instance/boot-finished missing'
      """;

  private final @Nullable String user;
  private final int port;
  private final SshOptions options;

  /**
   * A probe that logs in as the specification's node user ({@code cluster.nodeTemplate.user}) on
   * the nodes' SSH port, with 3-second timeouts: what the default composition uses.
   */
  public SshReadinessProbe() {
    this.user = null;
    this.port = NodeAccess.SSH_PORT;
    this.options = options(Duration.ofSeconds(3));
  }

  /** A probe that logs in as {@code user} on port 22 with 3-second timeouts. */
  public SshReadinessProbe(String user) {
    this(user, 22, Duration.ofSeconds(3));
  }

  /** A probe that logs in as {@code user} on {@code port}, each step bounded by {@code timeout}. */
  public SshReadinessProbe(String user, int port, Duration timeout) {
    this.user = user;
    this.port = port;
    this.options = options(timeout);
  }

  private static SshOptions options(Duration timeout) {
    return SshOptions.defaults()
        .withConnectTimeout(timeout)
        .withCommandTimeout(timeout)
        .withMaxSessionsPerTarget(1);
  }

  @Override
  public Readiness probe(Node node, NodeAccess access, String ip, ClusterCredentials credentials) {
    return probe(node, ip, user != null ? user : access.user(), credentials);
  }

  @Override
  public Readiness probe(Node node, String ip, ClusterCredentials credentials) {
    if (user == null) {
      throw new IllegalStateException(
          "this probe logs in as the specification's node user: call probe(node, access, ip, ...)");
    }
    return probe(node, ip, user, credentials);
  }

  private Readiness probe(Node node, String ip, String user, ClusterCredentials credentials) {
    HostKeys keys = expectedKeys(node, port == 22 ? ip : "[" + ip + "]:" + port, credentials);
    String privateKey;
    try {
      privateKey = Files.readString(credentials.privateKeyFile(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read the cluster's private key " + credentials.privateKeyFile(), e);
    }
    SshTarget target = new SshTarget(ip, port, user);
    try (SshConnections ssh = SshConnections.withKeys(privateKey, keys, options)) {
      CommandResult result = ssh.exec(target, RemoteCommand.script("cloud-init status", CHECK));
      String status = result.stdout().strip();
      if (result.succeeded() && status.lines().anyMatch(l -> l.strip().equals("status: done"))) {
        return Readiness.isReady();
      }
      return Readiness.notYet(
          "cloud-init not finished: " + (status.isEmpty() ? result.stderr().strip() : status));
    } catch (HostKeyMismatchException e) {
      throw e;
    } catch (SshException e) {
      return Readiness.notYet(String.valueOf(e.getMessage()));
    }
  }

  private static HostKeys expectedKeys(
      Node node, String knownHostsName, ClusterCredentials credentials) {
    Optional<SshKeyPair> generated = credentials.hostKey(node.name());
    if (generated.isPresent()) {
      return HostKeys.of(
          List.of(knownHostsName + " " + generated.get().publicKeyWithoutComment()),
          "the host key generated for " + node.name());
    }
    return HostKeys.read(credentials.knownHostsFile());
  }
}
