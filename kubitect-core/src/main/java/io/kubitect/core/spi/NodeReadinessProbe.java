package io.kubitect.core.spi;

/**
 * Tells whether a freshly booted node is ready: it answers SSH with the host key the SDK injected
 * for it, and cloud-init has finished. The provisioner calls it repeatedly within its bounded wait;
 * the SSH implementation lives in core, so the provisioner creates no SSH client itself.
 */
@FunctionalInterface
public interface NodeReadinessProbe {

  /**
   * The outcome of one attempt.
   *
   * @param lastSeen what the attempt saw when not ready (connection refused, cloud-init running,
   *     ...), for the timeout error
   */
  record Readiness(boolean ready, String lastSeen) {
    /** A ready node. */
    public static Readiness isReady() {
      return new Readiness(true, "ready");
    }

    /** A node that is not ready yet, and what was seen. */
    public static Readiness notYet(String lastSeen) {
      return new Readiness(false, lastSeen);
    }
  }

  /**
   * One attempt; must return within a few seconds.
   *
   * @throws HostKeyMismatchException when the node answers with another host key than expected:
   *     that is never retried
   */
  Readiness probe(Node node, String ip, ClusterCredentials credentials);

  /**
   * One attempt, knowing how nodes are reached ({@code access}: user and SSH port from the
   * specification). The provisioner calls this one; by default it ignores {@code access}.
   */
  default Readiness probe(Node node, NodeAccess access, String ip, ClusterCredentials credentials) {
    return probe(node, ip, credentials);
  }
}
