package io.kubitect.core;

import io.kubitect.model.ClusterSpec;
import io.kubitect.model.Host;
import io.kubitect.model.Ipv4Network;
import io.kubitect.model.LoadBalancerInstance;
import io.kubitect.model.NodeInstance;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What several rules need to know about a specification, worked out once and without reporting: the
 * configured host names, the default host, the parsed network and gateway, and every node in a
 * role-neutral form. Values that do not parse are simply absent here; the rule that owns the field
 * reports them.
 */
final class SpecContext {
  /** The node groups, with their role segment in VM names {@code <cluster>-<role>-<id>}. */
  enum Group {
    LB("lb", "cluster.nodes.loadBalancer"),
    MASTER("master", "cluster.nodes.master"),
    WORKER("worker", "cluster.nodes.worker");

    final String segment;
    final String path;

    Group(String segment, String path) {
      this.segment = segment;
      this.path = path;
    }
  }

  /** One load balancer, master or worker instance, with the fields they share. */
  record Instance(
      Group group,
      int index,
      Optional<String> id,
      Optional<String> name,
      Optional<String> host,
      Optional<String> ip,
      Optional<String> mac,
      Optional<Integer> cpu,
      Optional<Integer> ram,
      Optional<Integer> mainDiskSize) {

    String path() {
      return group.path + ".instances[" + index + "]";
    }

    static Instance of(LoadBalancerInstance i, int index) {
      return new Instance(
          Group.LB,
          index,
          i.id(),
          i.name(),
          i.host(),
          i.ip(),
          i.mac(),
          i.cpu(),
          i.ram(),
          i.mainDiskSize());
    }

    static Instance of(Group group, NodeInstance i, int index) {
      return new Instance(
          group,
          index,
          i.id(),
          i.name(),
          i.host(),
          i.ip(),
          i.mac(),
          i.cpu(),
          i.ram(),
          i.mainDiskSize());
    }
  }

  private final ClusterSpec spec;
  private @Nullable ClusterSpec resolved;
  private final Set<String> hostNames = new LinkedHashSet<>();
  private final Optional<Host> defaultHost;
  private final Optional<Ipv4Network> network;
  private final Optional<Integer> gateway;
  private final List<Instance> lbs = new ArrayList<>();
  private final List<Instance> masters = new ArrayList<>();
  private final List<Instance> workers = new ArrayList<>();

  SpecContext(ClusterSpec spec) {
    this.spec = spec;
    for (Host host : spec.hosts()) {
      host.name().ifPresent(hostNames::add);
    }
    this.defaultHost =
        spec.hosts().stream()
            .filter(h -> h.defaultHost().orElse(false))
            .findFirst()
            .or(() -> spec.hosts().stream().findFirst());
    // A CIDR with host bits set is read as the network it lies in, as Kubitect reads it.
    this.network = spec.cluster().network().cidr().flatMap(Ipv4Network::parseNetworkOf);
    Optional<String> explicitGateway = spec.cluster().network().gateway();
    this.gateway =
        explicitGateway.isPresent()
            ? explicitGateway.flatMap(Syntax::ipv4)
            : network.map(n -> n.host(1));
    List<LoadBalancerInstance> lbInstances = spec.cluster().nodes().loadBalancer().instances();
    for (int i = 0; i < lbInstances.size(); i++) {
      lbs.add(Instance.of(lbInstances.get(i), i));
    }
    List<NodeInstance> masterInstances = spec.cluster().nodes().master().instances();
    for (int i = 0; i < masterInstances.size(); i++) {
      masters.add(Instance.of(Group.MASTER, masterInstances.get(i), i));
    }
    List<NodeInstance> workerInstances = spec.cluster().nodes().worker().instances();
    for (int i = 0; i < workerInstances.size(); i++) {
      workers.add(Instance.of(Group.WORKER, workerInstances.get(i), i));
    }
  }

  ClusterSpec spec() {
    return spec;
  }

  /** The specification with its defaults resolved, as it will be built. */
  ClusterSpec resolved() {
    ClusterSpec r = resolved;
    if (r == null) {
      r = spec.resolveDefaults();
      resolved = r;
    }
    return r;
  }

  /** Names of the configured hosts, in order, without repeats. */
  Set<String> hostNames() {
    return hostNames;
  }

  /** The host with {@code default: true}, otherwise the first host. */
  Optional<Host> defaultHost() {
    return defaultHost;
  }

  /**
   * The host a node runs on: the host it names (empty when no host has that name), or the default
   * host when it names none.
   */
  Optional<Host> hostOf(Optional<String> name) {
    if (name.isEmpty()) {
      return defaultHost;
    }
    return spec.hosts().stream().filter(h -> h.name().equals(name)).findFirst();
  }

  /** The host name a node runs on, when it can be worked out. */
  Optional<String> hostNameOf(Instance node) {
    return hostOf(node.host()).flatMap(Host::name);
  }

  /**
   * The cluster network, when {@code cluster.network.cidr} is valid or valid but for host bits set
   * ({@code 192.168.113.13/24} is {@code 192.168.113.0/24}).
   */
  Optional<Ipv4Network> network() {
    return network;
  }

  /** The gateway: the one written when it is a valid IPv4 address, else the first host address. */
  Optional<Integer> gateway() {
    return gateway;
  }

  List<Instance> lbs() {
    return lbs;
  }

  List<Instance> masters() {
    return masters;
  }

  List<Instance> workers() {
    return workers;
  }

  /** Load balancers, masters and workers in that order. */
  List<Instance> allNodes() {
    List<Instance> all = new ArrayList<>(lbs);
    all.addAll(masters);
    all.addAll(workers);
    return all;
  }
}
