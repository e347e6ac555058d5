package io.kubitect.core;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A cluster as the last apply left it.
 *
 * @param nodes every node with its host, address and readiness; {@link NodeStatus#change()} says
 *     what the apply that returned this cluster did to the node's VM ({@link
 *     ResourceChange#UNCHANGED} for every node when the cluster is read back from its state)
 * @param hostKeys the SSH host key (public, authorized_keys form) of every node by name
 * @param apiEndpoint the address clients reach the API server on: the VIP, or the single load
 *     balancer's or master's address when there is none
 * @param kubeconfig the kubeconfig (mode 0600) once Kubernetes is installed
 * @param stateDirectory the cluster's directory (applied config, keys, known_hosts, artifacts)
 * @param simulated whether the hosts were simulated (nothing booted)
 * @param mutatingCalls hypervisor calls that changed something during the last apply's
 *     provisioning: 0 when a re-apply found every host as specified
 */
public record AppliedCluster(
    String name,
    List<NodeStatus> nodes,
    Map<String, String> hostKeys,
    Optional<String> apiEndpoint,
    Optional<Path> kubeconfig,
    Path stateDirectory,
    boolean simulated,
    int mutatingCalls) {

  /** Copies the collections so the record stays immutable. */
  public AppliedCluster {
    nodes = List.copyOf(nodes);
    hostKeys = Map.copyOf(hostKeys);
  }
}
