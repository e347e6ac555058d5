package io.kubitect.core.loadbalancer;

import io.kubitect.model.KubitectException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Configuring the load balancers failed: per node what went wrong (a failed SSH command, a config
 * the node's HAProxy or keepalived rejected), or the cluster did not converge (no node or several
 * nodes hold the virtual IP, HAProxy does not listen).
 */
public class LoadBalancerException extends KubitectException {
  private static final long serialVersionUID = 1L;

  @SuppressWarnings("serial") // names and messages
  private final Map<String, String> failures;

  /** A failure of the whole load-balancer setup. */
  public LoadBalancerException(String message) {
    super(message);
    this.failures = Map.of();
  }

  /** A failure on one or more nodes, each with its error. */
  public LoadBalancerException(Map<String, ? extends Throwable> perNode) {
    super(
        "configuring the load balancers failed on "
            + perNode.size()
            + " node(s):\n"
            + perNode.entrySet().stream()
                .map(e -> "  " + e.getKey() + ": " + e.getValue().getMessage())
                .collect(Collectors.joining("\n")));
    Map<String, String> copy = new LinkedHashMap<>();
    perNode.forEach((node, error) -> copy.put(node, String.valueOf(error.getMessage())));
    this.failures = copy;
    perNode.values().forEach(this::addSuppressed);
  }

  /** The failed nodes and what went wrong on each; empty when the failure was cluster-wide. */
  public Map<String, String> failures() {
    return failures;
  }
}
