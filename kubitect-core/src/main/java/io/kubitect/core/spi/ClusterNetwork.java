package io.kubitect.core.spi;

import io.kubitect.model.Ipv4Network;
import io.kubitect.model.NetworkMode;
import java.util.List;
import java.util.Optional;

/**
 * The network the nodes are attached to, resolved from {@code cluster.network} and {@code
 * cluster.nodeTemplate.dns}.
 *
 * @param mode nat, route or bridge
 * @param cidr the IPv4 network of the nodes
 * @param gateway the nodes' gateway: the specification's, else the first host address of {@code
 *     cidr}
 * @param bridge the existing bridge on every host the nodes join; always present in bridge mode,
 *     and as written (but unused) in the other modes
 * @param dns the nodes' DNS servers: the specification's, else the gateway
 */
public record ClusterNetwork(
    NetworkMode mode, Ipv4Network cidr, String gateway, Optional<String> bridge, List<String> dns) {

  /** Copies the DNS list; a bridge-mode network without a bridge is refused. */
  public ClusterNetwork {
    if (mode == NetworkMode.BRIDGE && bridge.isEmpty()) {
      throw new IllegalArgumentException(
          "cluster.network.bridge is missing in bridge mode: validate the specification first");
    }
    dns = List.copyOf(dns);
  }

  /** Whether the nodes join an existing host bridge rather than a network of their own. */
  public boolean bridged() {
    return mode == NetworkMode.BRIDGE;
  }
}
