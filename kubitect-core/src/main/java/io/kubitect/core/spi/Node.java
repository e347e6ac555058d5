package io.kubitect.core.spi;

import io.kubitect.core.NodeRole;
import io.kubitect.model.DataDisk;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One node of a resolved topology: everything an executor needs, with defaults applied. The name is
 * {@code <cluster>-<role>-<id>} and names the VM, its volumes and its inventory entry.
 *
 * @param priority VRRP priority for load balancers, 0 for other roles
 */
public record Node(
    String name,
    NodeRole role,
    String id,
    String host,
    Optional<String> ip,
    Optional<String> mac,
    int cpu,
    int ramGib,
    int mainDiskGib,
    List<DataDisk> dataDisks,
    Map<String, String> labels,
    List<String> taints,
    int priority) {

  /** Copies the collections so the record stays immutable. */
  public Node {
    dataDisks = List.copyOf(dataDisks);
    labels = Map.copyOf(labels);
    taints = List.copyOf(taints);
  }
}
