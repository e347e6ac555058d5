package io.kubitect.core.spi;

import io.kubitect.model.ForwardTarget;
import java.util.List;
import java.util.Optional;

/**
 * The cluster-wide settings of the load balancers, resolved from {@code cluster.nodes.loadBalancer}
 * (the load-balancer nodes themselves are {@link Topology#nodes}).
 *
 * @param vip the virtual IP held by one load balancer at a time, if any
 * @param virtualRouterId the VRRP virtual router id
 * @param forwardPorts the extra ports forwarded to the nodes, in specification order
 */
public record LoadBalancerSettings(
    Optional<String> vip, int virtualRouterId, List<PortForward> forwardPorts) {

  /**
   * A port the load balancers forward to the nodes.
   *
   * @param name the port's unique name
   * @param port where the load balancers listen
   * @param targetPort the port on the nodes ({@code port} unless set)
   * @param target which nodes receive the traffic
   */
  public record PortForward(String name, int port, int targetPort, ForwardTarget target) {}

  /** Copies the port list. */
  public LoadBalancerSettings {
    forwardPorts = List.copyOf(forwardPorts);
  }
}
