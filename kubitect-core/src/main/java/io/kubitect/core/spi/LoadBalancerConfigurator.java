package io.kubitect.core.spi;

import java.nio.file.Path;
import java.util.List;

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
      StepListener listener);

  /**
   * Writes the files each load balancer would get into {@code directory} (one sub-directory per
   * node) without reaching any node, and checks them with local tools when they are installed. Used
   * on simulated hosts, where no node runs.
   *
   * @return what was written and checked, for the progress report
   */
  default String render(Topology topology, InfrastructureStatus infrastructure, Path directory) {
    return "rendering not supported by " + getClass().getSimpleName();
  }

  /**
   * Reads, without changing anything, what each load balancer runs, whether it holds the virtual IP
   * and how HAProxy sees each master. A node that cannot be asked is reported as such, never
   * thrown.
   *
   * @throws UnsupportedOperationException when this configurator cannot inspect its nodes
   */
  default List<LoadBalancerInspection> inspect(
      Topology topology, InfrastructureStatus infrastructure, ClusterCredentials credentials) {
    throw new UnsupportedOperationException(
        getClass().getSimpleName() + " cannot inspect load balancers");
  }

  /**
   * Stops the load-balancer daemons on one node (a failover drill's fault), leaving everything else
   * as it is; the next {@link #configure} starts them again.
   *
   * @throws UnsupportedOperationException when this configurator cannot stop a node's daemons
   */
  default void stopLoadBalancer(
      Topology topology,
      InfrastructureStatus infrastructure,
      ClusterCredentials credentials,
      String node) {
    throw new UnsupportedOperationException(
        getClass().getSimpleName() + " cannot stop a load balancer");
  }
}
