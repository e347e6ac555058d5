package io.kubitect.core.spi;

import io.kubitect.core.NodeRole;
import io.kubitect.model.SpecDefaults;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One node of a resolved topology: everything an executor needs, with defaults applied. The name is
 * {@code <cluster>-<role>-<id>} and names the VM, its volumes and its inventory entry.
 *
 * @param ip the static address the specification gives, if any (the provisioner may report another)
 * @param mac the MAC address the specification gives, if any
 * @param dataDisks the node's data disks, resolved
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
    List<Disk> dataDisks,
    Map<String, String> labels,
    List<String> taints,
    int priority) {

  /**
   * A data disk of the node.
   *
   * @param name the disk's name, unique per node
   * @param pool the data pool of the node's host it lives in, or {@value SpecDefaults#MAIN_POOL}
   *     for the host's main pool
   * @param sizeGib the size in GiB
   */
  public record Disk(String name, String pool, int sizeGib) {
    /** Whether the disk lives in the host's main pool rather than in a data pool. */
    public boolean onMainPool() {
      return pool.equals(SpecDefaults.MAIN_POOL);
    }
  }

  /** Copies the collections so the record stays immutable. */
  public Node {
    dataDisks = List.copyOf(dataDisks);
    labels = Map.copyOf(labels);
    taints = List.copyOf(taints);
  }
}
