package io.kubitect.core.spi;

import io.kubitect.core.NodeStatus;
import io.kubitect.model.KubitectException;
import java.util.List;

/**
 * Provisioning failed on one or more hosts. The message names the host, node and libvirt error;
 * {@link #nodes()} says per node what succeeded and what failed.
 */
public class ProvisioningException extends KubitectException {
  private static final long serialVersionUID = 1L;

  @SuppressWarnings("serial") // records of strings; never serialized in practice
  private final List<NodeStatus> nodes;

  /** A failure with the status every node reached. */
  public ProvisioningException(String message, List<NodeStatus> nodes, Throwable cause) {
    super(message, cause);
    this.nodes = List.copyOf(nodes);
  }

  /** A failure before any node was worked on. */
  public ProvisioningException(String message, Throwable cause) {
    this(message, List.of(), cause);
  }

  /** Per node what succeeded and what failed. */
  public List<NodeStatus> nodes() {
    return nodes;
  }
}
