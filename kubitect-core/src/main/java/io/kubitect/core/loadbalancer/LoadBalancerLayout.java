package io.kubitect.core.loadbalancer;

import io.kubitect.core.NodeRole;
import io.kubitect.core.NodeStatus;
import io.kubitect.core.spi.InfrastructureStatus;
import io.kubitect.core.spi.LoadBalancerSettings;
import io.kubitect.core.spi.Node;
import io.kubitect.core.spi.Topology;
import io.kubitect.model.ForwardTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the load balancers are to do, resolved from the topology and the addresses the provisioner
 * observed: the load-balancer nodes with their VRRP priorities, the virtual IP, and every backend
 * (the API servers first, then one per forwarded port) with its servers.
 */
record LoadBalancerLayout(
    String cluster,
    Optional<String> vip,
    int virtualRouterId,
    List<Peer> loadBalancers,
    List<Backend> backends) {

  /** The Kubernetes API port on the masters and on the load balancers. */
  static final int API_PORT = 6443;

  /** A load-balancer node. */
  record Peer(String name, String host, String ip, int priority) {}

  /** A server behind a backend. */
  record Server(String name, String ip, int port) {}

  /**
   * A frontend and its backend.
   *
   * @param name {@code kubernetes} for the API, else the forwarded port's name
   * @param port where the load balancers listen
   */
  record Backend(String name, int port, boolean apiServer, List<Server> servers) {
    Backend {
      servers = List.copyOf(servers);
    }
  }

  LoadBalancerLayout {
    loadBalancers = List.copyOf(loadBalancers);
    backends = List.copyOf(backends);
  }

  /**
   * Whether keepalived runs: there is a virtual IP and it is not the address of the (only) load
   * balancer itself.
   */
  boolean usesKeepalived() {
    return vip.isPresent() && loadBalancers.stream().noneMatch(p -> p.ip().equals(vip.get()));
  }

  /** The API backend. */
  Backend api() {
    return backends.get(0);
  }

  /** Priority spread among the load balancers (highest minus lowest). */
  int prioritySpread() {
    int max = loadBalancers.stream().mapToInt(Peer::priority).max().orElse(0);
    int min = loadBalancers.stream().mapToInt(Peer::priority).min().orElse(0);
    return max - min;
  }

  /** Resolves the layout; every node's address comes from the provisioner, else the spec. */
  static LoadBalancerLayout of(Topology topology, InfrastructureStatus infrastructure) {
    LoadBalancerSettings lb = topology.loadBalancing();
    List<Peer> peers = new ArrayList<>();
    for (Node node : topology.nodes(NodeRole.LOAD_BALANCER)) {
      peers.add(new Peer(node.name(), node.host(), ip(node, infrastructure), node.priority()));
    }
    List<Backend> backends = new ArrayList<>();
    List<Node> masters = topology.nodes(NodeRole.MASTER);
    List<Node> workers = topology.nodes(NodeRole.WORKER);
    backends.add(
        new Backend("kubernetes", API_PORT, true, servers(masters, API_PORT, infrastructure)));
    for (LoadBalancerSettings.PortForward port : lb.forwardPorts()) {
      int listen = port.port();
      int target = port.targetPort();
      ForwardTarget to = port.target();
      List<Node> targets = new ArrayList<>();
      if (to != ForwardTarget.WORKERS || workers.isEmpty()) {
        targets.addAll(masters);
      }
      if (to != ForwardTarget.MASTERS) {
        targets.addAll(workers);
      }
      backends.add(
          new Backend(port.name(), listen, false, servers(targets, target, infrastructure)));
    }
    return new LoadBalancerLayout(
        topology.clusterName(), lb.vip(), lb.virtualRouterId(), peers, backends);
  }

  private static List<Server> servers(List<Node> nodes, int port, InfrastructureStatus infra) {
    return nodes.stream().map(n -> new Server(n.name(), ip(n, infra), port)).toList();
  }

  private static String ip(Node node, InfrastructureStatus infrastructure) {
    return infrastructure
        .node(node.name())
        .flatMap(NodeStatus::ip)
        .or(node::ip)
        .orElseThrow(
            () ->
                new LoadBalancerException(
                    "no IP address is known for "
                        + node.name()
                        + ": the provisioner reported none and the specification sets none"));
  }
}
