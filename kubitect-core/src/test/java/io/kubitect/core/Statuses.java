package io.kubitect.core;

import io.kubitect.core.spi.InfrastructureStatus;
import io.kubitect.core.spi.Node;
import io.kubitect.core.spi.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Provisioner results for the facade tests' fake provisioners. */
final class Statuses {
  private Statuses() {}

  /** Every node of the topology created, ready, at its configured address. */
  static InfrastructureStatus allCreated(Topology topology, boolean simulated) {
    List<NodeStatus> nodes = new ArrayList<>();
    for (Node node : topology.nodes()) {
      nodes.add(
          new NodeStatus(
              node.name(),
              node.host(),
              node.ip(),
              Optional.empty(),
              ResourceChange.CREATED,
              true,
              Optional.empty()));
    }
    return new InfrastructureStatus(nodes, simulated, nodes.size());
  }
}
