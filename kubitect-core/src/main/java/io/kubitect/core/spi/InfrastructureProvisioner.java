package io.kubitect.core.spi;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

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
      Topology topology, ClusterCredentials credentials, StepListener listener);

  /**
   * Like {@link #apply(Topology, ClusterCredentials, StepListener)}, and also removes what the
   * cluster made for {@code applied} (the topology the last successful apply left) that {@code
   * topology} no longer has and that cannot be found from {@code topology} alone: hosts removed
   * from the specification (reached with their applied connection) and data resource pools removed
   * from a host. The facade calls this one. The default ignores {@code applied}.
   *
   * @param applied the topology applied last; empty for a new cluster
   */
  default InfrastructureStatus apply(
      Topology topology,
      Optional<Topology> applied,
      ClusterCredentials credentials,
      StepListener listener) {
    return apply(topology, credentials, listener);
  }

  /** Removes everything the cluster owns on every host of the topology, and nothing else. */
  void destroy(Topology topology, StepListener listener);

  /**
   * Whether the hosts are simulated (nothing real is created). The facade records it in the
   * cluster's state before provisioning, and refuses to destroy or re-apply a cluster with a
   * provisioner of the other kind: a simulated destroy must never forget a real cluster's keys, and
   * a real destroy must never reach the hosts written in a simulated cluster's specification.
   */
  default boolean simulated() {
    return false;
  }

  /**
   * Writes into {@code directory} (replacing what an earlier call wrote there) what the hosts hold
   * for the topology after the last apply: what would have been sent to real hosts. The facade
   * calls it after provisioning on simulated hosts, where nothing else shows it.
   *
   * @return what was written, for the progress report; empty when this provisioner writes nothing
   */
  default Optional<String> writeArtifacts(Topology topology, Path directory) {
    return Optional.empty();
  }

  /**
   * Reads, without changing anything, whether each host of the topology answers and the state of
   * each node's domain there. A host that cannot be reached is reported as such, never thrown.
   *
   * @throws UnsupportedOperationException when this provisioner cannot inspect hosts
   */
  default List<HostInspection> inspect(Topology topology) {
    throw new UnsupportedOperationException(
        getClass().getSimpleName() + " cannot inspect its hosts");
  }

  /** Closes every hypervisor connection. */
  @Override
  void close();
}
