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
 * emulated node, taken from the very boot the probe waits for.
 *
 * <p>Once a node answers, one attempt waits on the node itself for cloud-init to finish, up to
 * {@code waitOnNode}, checking the files once a second with the shell. A login costs an emulated
 * node about 0.8 s of CPU (key exchange, PAM, the session), so logging in again every second took
 * most of the CPU from the boot the probe waited for. Each attempt still opens its own connection
 * and closes it; a cancelled wait ends the attempt at once.
 */
public final class SshReadinessProbe implements NodeReadinessProbe {
  /**
   * {@code $1}: how many seconds to wait on the node while cloud-init runs, on the node's clock
   * ({@code /proc/uptime}, read by the shell: the loop starts no process but {@code sleep}).
   */
  private static final String CHECK =
      """
      read up _ </proc/uptime; until=$(( ${up%.*} + $1 ))
      while :; do
        if [ -e /var/lib/cloud/instance/boot-finished ]; then echo 'status: done'; exit 0; fi
        if [ -e /run/cloud-init/result.json ]; then echo 'status: done'; exit 0; fi
        [ -d /run/cloud-init ] || break
        read up _ </proc/uptime
        if [ "${up%.*}" -ge "$until" ]; then echo 'status: running'; exit 0; fi
        sleep 1
      done
      if command -v cloud-init >/dev/null 2>&1; then cloud-init status 2>&1; exit 0; fi
      echo 'status: cloud-init not found and /var/lib/cloud/instance/boot-finished missing'
      """;

  /** Beyond the wait: what the node's own command needs to answer after its last check. */
  private static final Duration AFTER_WAIT = Duration.ofSeconds(5);

  /** What the default composition waits on a node per attempt. */
  static final Duration DEFAULT_WAIT_ON_NODE = Duration.ofSeconds(20);

  private final @Nullable String user;
  private final int port;
  private final SshOptions options;
  private final Duration waitOnNode;

  /**
   * A probe that logs in as the specification's node user ({@code cluster.nodeTemplate.user}) on
   * the nodes' SSH port, with 3-second timeouts, waiting up to 20 s on the node per attempt: what
   * the default composition uses.
   */
  public SshReadinessProbe() {
    this.user = null;
    this.port = NodeAccess.SSH_PORT;
    this.waitOnNode = DEFAULT_WAIT_ON_NODE;
    this.options = options(Duration.ofSeconds(3), waitOnNode);
  }

  /**
   * A probe that logs in as {@code user} on port 22 with 3-second timeouts, waiting up to 20 s on
   * the node per attempt.
   */
  public SshReadinessProbe(String user) {
    this(user, 22, Duration.ofSeconds(3));
  }

  /**
   * A probe that logs in as {@code user} on {@code port}, each step bounded by {@code timeout},
   * waiting up to 20 s on the node per attempt.
   */
  public SshReadinessProbe(String user, int port, Duration timeout) {
    this(user, port, timeout, DEFAULT_WAIT_ON_NODE);
  }

  /**
   * A probe that logs in as {@code user} on {@code port}, each step bounded by {@code timeout}, and
   * waits on the node up to {@code waitOnNode} (whole seconds, 0 to 10 minutes) per attempt while
   * cloud-init runs; 0 checks once and returns.
   *
   * @throws IllegalArgumentException when a duration is negative, or {@code waitOnNode} is longer
   *     than 10 minutes or not whole seconds
   */
  public SshReadinessProbe(String user, int port, Duration timeout, Duration waitOnNode) {
    if (waitOnNode.isNegative()
        || waitOnNode.compareTo(Duration.ofMinutes(10)) > 0
        || waitOnNode.toNanosPart() != 0) {
      throw new IllegalArgumentException(
          "waitOnNode must be whole seconds from 0 to 10 minutes, not " + waitOnNode);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, not " + timeout);
    }
    this.user = user;
    this.port = port;
    this.waitOnNode = waitOnNode;
    this.options = options(timeout, waitOnNode);
  }

  /** The connection is bounded by {@code timeout}, the command by that plus the wait and 5 s. */
  private static SshOptions options(Duration timeout, Duration waitOnNode) {
    return SshOptions.defaults()
        .withConnectTimeout(timeout)
        .withCommandTimeout(timeout.plus(waitOnNode).plus(AFTER_WAIT))
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
      CommandResult result =
          ssh.exec(
              target,
              RemoteCommand.script(
                  "cloud-init status", CHECK, Long.toString(waitOnNode.toSeconds())));
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
