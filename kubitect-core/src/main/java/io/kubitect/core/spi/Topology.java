package io.kubitect.core.spi;

import io.kubitect.core.NodeRole;
import io.kubitect.core.SpecValidator;
import io.kubitect.model.ClusterSpec;
import io.kubitect.model.Host;
import io.kubitect.model.LoadBalancerInstance;
import io.kubitect.model.NodeGroup;
import io.kubitect.model.NodeInstance;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The nodes a valid specification asks for, resolved: name, role, host and sizing of every node,
 * load balancers first, then masters, then workers, each in specification order. Executors work
 * from this rather than from the raw specification.
 */
public final class Topology {
  private final ClusterSpec spec;
  private final List<Node> nodes;

  private Topology(ClusterSpec spec, List<Node> nodes) {
    this.spec = spec;
    this.nodes = List.copyOf(nodes);
  }

  /**
   * Resolves the specification's defaults and lays out its nodes. Expects a specification that
   * passed {@link SpecValidator}; missing values of an invalid one are an {@link
   * IllegalArgumentException}.
   */
  public static Topology of(ClusterSpec spec) {
    ClusterSpec resolved = spec.resolveDefaults();
    String cluster = required(resolved.cluster().name(), "cluster.name");
    List<Node> nodes = new ArrayList<>();
    for (LoadBalancerInstance lb : resolved.cluster().nodes().loadBalancer().instances()) {
      String id = required(lb.id(), "load balancer id");
      nodes.add(
          new Node(
              cluster + "-" + NodeRole.LOAD_BALANCER + "-" + id,
              NodeRole.LOAD_BALANCER,
              id,
              required(lb.host(), "load balancer host"),
              lb.ip(),
              lb.mac(),
              lb.cpu().orElseThrow(),
              lb.ram().orElseThrow(),
              lb.mainDiskSize().orElseThrow(),
              List.of(),
              java.util.Map.of(),
              List.of(),
              lb.priority().orElseThrow()));
    }
    addGroup(nodes, cluster, NodeRole.MASTER, resolved.cluster().nodes().master());
    addGroup(nodes, cluster, NodeRole.WORKER, resolved.cluster().nodes().worker());
    return new Topology(resolved, nodes);
  }

  private static void addGroup(List<Node> nodes, String cluster, NodeRole role, NodeGroup group) {
    for (NodeInstance i : group.instances()) {
      String id = required(i.id(), role + " id");
      nodes.add(
          new Node(
              cluster + "-" + role + "-" + id,
              role,
              id,
              required(i.host(), role + " host"),
              i.ip(),
              i.mac(),
              i.cpu().orElseThrow(),
              i.ram().orElseThrow(),
              i.mainDiskSize().orElseThrow(),
              i.dataDisks(),
              i.labels(),
              i.taints(),
              0));
    }
  }

  private static String required(Optional<String> value, String what) {
    return value.orElseThrow(
        () -> new IllegalArgumentException(what + " is missing: validate the specification first"));
  }

  /** The specification with every default resolved. */
  public ClusterSpec spec() {
    return spec;
  }

  /** The cluster name. */
  public String clusterName() {
    return spec.cluster().name().orElseThrow();
  }

  /** Every node: load balancers, masters, workers. */
  public List<Node> nodes() {
    return nodes;
  }

  /** The nodes of one role, in specification order. */
  public List<Node> nodes(NodeRole role) {
    return nodes.stream().filter(n -> n.role() == role).toList();
  }

  /** The nodes placed on one host. */
  public List<Node> nodesOn(String host) {
    return nodes.stream().filter(n -> n.host().equals(host)).toList();
  }

  /** The node with this name. */
  public Optional<Node> node(String name) {
    return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
  }

  /** The hosts, resolved. */
  public List<Host> hosts() {
    return spec.hosts();
  }

  /** Workers, or the masters when there are none (they then run workloads too). */
  public List<Node> workloadNodes() {
    List<Node> workers = nodes(NodeRole.WORKER);
    return workers.isEmpty() ? nodes(NodeRole.MASTER) : workers;
  }
}
