package io.kubitect.core.spi;

import io.kubitect.core.NodeStatus;
import io.kubitect.core.ResourceChange;
import java.util.List;
import java.util.Optional;

/**
 * What an {@link InfrastructureProvisioner} did: every node of the topology (and every removed one)
 * with its outcome.
 *
 * @param simulated true when the hosts are simulated: nothing booted, images not transferred
 * @param mutatingCalls hypervisor calls that changed something (0 for an unchanged re-apply)
 */
public record InfrastructureStatus(List<NodeStatus> nodes, boolean simulated, int mutatingCalls) {

  /** Copies the list so the record stays immutable. */
  public InfrastructureStatus {
    nodes = List.copyOf(nodes);
  }

  /** The status of one node. */
  public Optional<NodeStatus> node(String name) {
    return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
  }

  /** Whether any node failed. */
  public boolean hasFailures() {
    return nodes.stream().anyMatch(n -> n.change() == ResourceChange.FAILED);
  }
}
