package io.kubitect.core;

/**
 * Makes the hosts' hypervisors hold exactly the VMs of a topology: creates what is missing, changes
 * what differs, removes what the cluster owns but the topology no longer has, and never touches
 * what the cluster does not own. Implemented by the libvirt module.
 */
public interface InfrastructureProvisioner extends AutoCloseable {
  /**
   * Reconciles every host with the topology, hosts in parallel, and waits until the nodes are ready
   * (unless the hosts are simulated).
   *
   * @throws ProvisioningException when a host cannot be reached or a node cannot be created; the
   *     exception lists per node what succeeded and what failed
   */
  InfrastructureStatus apply(
      Topology topology, ClusterCredentials credentials, ApplyListener listener);

  /** Removes everything the cluster owns on every host of the topology, and nothing else. */
  void destroy(Topology topology, ApplyListener listener);

  /** Closes every hypervisor connection. */
  @Override
  void close();
}
