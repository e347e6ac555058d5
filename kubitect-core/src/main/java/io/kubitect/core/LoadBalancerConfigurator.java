package io.kubitect.core;

/**
 * Configures the load balancers in front of the control plane on nodes the provisioner made ready,
 * so that clients of {@code VIP:6443} survive the loss of a load balancer, a master or a host.
 */
public interface LoadBalancerConfigurator {
  /** Brings every load-balancer node to the configuration the topology asks for. */
  void configure(
      Topology topology,
      InfrastructureStatus infrastructure,
      ClusterCredentials credentials,
      ApplyListener listener);
}
