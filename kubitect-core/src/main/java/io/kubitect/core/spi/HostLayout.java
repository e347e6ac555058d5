package io.kubitect.core.spi;

import io.kubitect.model.Connection;
import java.util.List;
import java.util.Optional;

/**
 * One host of a resolved topology: how its hypervisor is reached and where its storage pools live.
 * Paths are as written, so a leading {@code ~} is left for the provisioner to expand.
 *
 * @param name the host's name, which nodes' {@link Node#host()} refers to
 * @param connection how the hypervisor is reached; a remote one has its SSH port and host-key
 *     verification resolved
 * @param mainPoolPath the directory under which the main storage pool lives
 * @param dataPools the extra storage pools for data disks, in specification order
 */
public record HostLayout(
    String name, Connection connection, String mainPoolPath, List<DataPool> dataPools) {

  /**
   * A storage pool for data disks.
   *
   * @param name the name data disks refer to with {@code pool}
   * @param path the directory under which the pool lives
   */
  public record DataPool(String name, String path) {}

  /** Copies the pool list. */
  public HostLayout {
    dataPools = List.copyOf(dataPools);
  }

  /** The data pool with this name. */
  public Optional<DataPool> dataPool(String pool) {
    return dataPools.stream().filter(p -> p.name().equals(pool)).findFirst();
  }
}
