package io.kubitect.core;

import java.util.List;

/**
 * What the plan does to one node.
 *
 * @param changes the judged changes that belong to this node (for a created or removed node, the
 *     one change of the whole node)
 */
public record NodePlan(
    String name, NodeRole role, String host, Action action, List<PlannedChange> changes) {

  /** What happens to the node. */
  public enum Action {
    CREATE,
    REMOVE,
    UPDATE,
    UNCHANGED
  }

  /** Copies the list so the record stays immutable. */
  public NodePlan {
    changes = List.copyOf(changes);
  }
}
