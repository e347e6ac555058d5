package io.kubitect.core.spi;

import io.kubitect.core.NodeRole;
import io.kubitect.core.SpecValidator;
import io.kubitect.model.ClusterSpec;
import io.kubitect.model.CpuMode;
import io.kubitect.model.DataDisk;
import io.kubitect.model.DataResourcePool;
import io.kubitect.model.ForwardPort;
import io.kubitect.model.ForwardTarget;
import io.kubitect.model.Host;
import io.kubitect.model.Ipv4Network;
import io.kubitect.model.Kubernetes;
import io.kubitect.model.LoadBalancerInstance;
import io.kubitect.model.LoadBalancers;
import io.kubitect.model.Network;
import io.kubitect.model.NetworkMode;
import io.kubitect.model.NodeGroup;
import io.kubitect.model.NodeInstance;
import io.kubitect.model.NodeTemplate;
import io.kubitect.model.OperatingSystem;
import io.kubitect.model.SpecDefaults;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a valid specification asks for, resolved once: the nodes (name, role, host, addresses and
 * sizing of every node, load balancers first, then masters, then workers, each in specification
 * order), the hosts and their storage pools, the network, how nodes are reached, the node image,
 * the load balancers' settings and the Kubernetes to install. Executors work from these accessors
 * rather than from the raw specification.
 */
public final class Topology {
  private final ClusterSpec spec;
  private final String clusterName;
  private final List<Node> nodes;
  private final List<HostLayout> hostLayouts;
  private final ClusterNetwork network;
  private final NodeAccess nodeAccess;
  private final NodeImage image;
  private final LoadBalancerSettings loadBalancing;
  private final KubernetesSettings kubernetes;
  // Indexes of the lists above, so that looking up one node or host costs the same at 1,000 nodes
  // as at 10 (callers look up every node in turn: a scan each was quadratic).
  private final Map<String, Node> nodesByName = new HashMap<>();
  private final Map<String, List<Node>> nodesByHost = new HashMap<>();
  private final Map<String, HostLayout> hostsByName = new HashMap<>();

  private Topology(
      ClusterSpec spec,
      String clusterName,
      List<Node> nodes,
      List<HostLayout> hostLayouts,
      ClusterNetwork network,
      NodeAccess nodeAccess,
      NodeImage image,
      LoadBalancerSettings loadBalancing,
      KubernetesSettings kubernetes) {
    this.spec = spec;
    this.clusterName = clusterName;
    this.nodes = List.copyOf(nodes);
    this.hostLayouts = List.copyOf(hostLayouts);
    this.network = network;
    this.nodeAccess = nodeAccess;
    this.image = image;
    this.loadBalancing = loadBalancing;
    this.kubernetes = kubernetes;
    for (Node node : this.nodes) {
      nodesByName.putIfAbsent(node.name(), node);
      nodesByHost.computeIfAbsent(node.host(), h -> new ArrayList<>()).add(node);
    }
    nodesByHost.replaceAll((host, list) -> List.copyOf(list));
    for (HostLayout host : this.hostLayouts) {
      hostsByName.putIfAbsent(host.name(), host);
    }
  }

  /**
   * Resolves the specification's defaults, lays out its nodes and resolves everything executors
   * read (network, node access, image, hosts and pools, load balancing, Kubernetes). Expects a
   * specification that passed {@link SpecValidator}; missing or unusable values of an invalid one
   * (no name, no or an unparsable CIDR, bridge mode without a bridge, ...) are an {@link
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
    NodeTemplate template = resolved.cluster().nodeTemplate();
    ClusterNetwork network = network(resolved.cluster().network(), template);
    OperatingSystem os = template.os();
    return new Topology(
        resolved,
        cluster,
        nodes,
        hostLayouts(resolved.hosts()),
        network,
        new NodeAccess(
            template.user().orElse(SpecDefaults.USER),
            required(os.networkInterface(), "cluster.nodeTemplate.os.networkInterface"),
            NodeAccess.SSH_PORT),
        new NodeImage(
            os.distro().orElseThrow(() -> missing("cluster.nodeTemplate.os.distro")),
            required(os.source(), "cluster.nodeTemplate.os.source"),
            template.updateOnBoot().orElse(true),
            template.cpuMode().orElse(CpuMode.CUSTOM)),
        loadBalancing(resolved.cluster().nodes().loadBalancer()),
        kubernetes(resolved));
  }

  private static List<Node.Disk> disks(List<DataDisk> disks, String node) {
    List<Node.Disk> resolved = new ArrayList<>();
    for (DataDisk disk : disks) {
      String name = required(disk.name(), "a data disk name of " + node);
      resolved.add(
          new Node.Disk(
              name,
              disk.pool().orElse(SpecDefaults.MAIN_POOL),
              disk.size().orElseThrow(() -> missing("size of data disk " + name + " of " + node))));
    }
    return resolved;
  }

  private static ClusterNetwork network(Network network, NodeTemplate template) {
    NetworkMode mode = network.mode().orElse(NetworkMode.NAT);
    Ipv4Network cidr =
        network
            .cidr()
            .flatMap(Ipv4Network::parse)
            .orElseThrow(() -> missing("cluster.network.cidr (or a valid one)"));
    // the resolved specification has the gateway and the DNS servers whenever the CIDR is valid
    String gateway = network.gateway().orElse(Ipv4Network.format(cidr.host(1)));
    List<String> dns = template.dns().isEmpty() ? List.of(gateway) : template.dns();
    return new ClusterNetwork(mode, cidr, gateway, network.bridge(), dns);
  }

  private static List<HostLayout> hostLayouts(List<Host> hosts) {
    List<HostLayout> layouts = new ArrayList<>();
    for (Host host : hosts) {
      List<HostLayout.DataPool> pools = new ArrayList<>();
      for (DataResourcePool pool : host.dataResourcePools()) {
        pools.add(
            new HostLayout.DataPool(
                required(pool.name(), "hosts[].dataResourcePools[].name"),
                pool.path().orElse(SpecDefaults.POOL_PATH)));
      }
      layouts.add(
          new HostLayout(
              required(host.name(), "hosts[].name"),
              host.connection(),
              host.mainResourcePoolPath().orElse(SpecDefaults.POOL_PATH),
              pools));
    }
    return layouts;
  }

  private static LoadBalancerSettings loadBalancing(LoadBalancers lb) {
    List<LoadBalancerSettings.PortForward> ports = new ArrayList<>();
    for (ForwardPort port : lb.forwardPorts()) {
      int listen =
          port.port().orElseThrow(() -> missing("cluster.nodes.loadBalancer.forwardPorts[].port"));
      ports.add(
          new LoadBalancerSettings.PortForward(
              required(port.name(), "cluster.nodes.loadBalancer.forwardPorts[].name"),
              listen,
              port.targetPort().orElse(listen),
              port.target().orElse(ForwardTarget.WORKERS)));
    }
    return new LoadBalancerSettings(
        lb.vip(), lb.virtualRouterId().orElse(SpecDefaults.VIRTUAL_ROUTER_ID), ports);
  }

  private static KubernetesSettings kubernetes(ClusterSpec spec) {
    Kubernetes k = spec.kubernetes();
    return new KubernetesSettings(
        required(k.version(), "kubernetes.version"),
        k.networkPlugin().orElseThrow(() -> missing("kubernetes.networkPlugin")),
        k.dnsMode().orElseThrow(() -> missing("kubernetes.dnsMode")),
        k.other().autoRenewCertificates().orElse(false),
        required(k.kubespray().version(), "kubernetes.kubespray.version"),
        required(k.kubespray().url(), "kubernetes.kubespray.url"),
        spec.addons().kubespray());
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
              disks(i.dataDisks(), role + " " + id),
              i.labels(),
              i.taints(),
              0));
    }
  }

  private static String required(Optional<String> value, String what) {
    return value.orElseThrow(() -> missing(what));
  }

  private static IllegalArgumentException missing(String what) {
    return new IllegalArgumentException(what + " is missing: validate the specification first");
  }

  /**
   * The specification with every default resolved. For the facade (state files, plans); executors
   * read the typed accessors instead.
   */
  public ClusterSpec spec() {
    return spec;
  }

  /** The cluster name. */
  public String clusterName() {
    return clusterName;
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
    return nodesByHost.getOrDefault(host, List.of());
  }

  /** The node with this name. */
  public Optional<Node> node(String name) {
    return Optional.ofNullable(nodesByName.get(name));
  }

  /**
   * The hosts as the resolved specification writes them, for the facade's records. Executors use
   * {@link #hostLayouts()}.
   */
  public List<Host> hosts() {
    return spec.hosts();
  }

  /** The hosts, resolved, in specification order. */
  public List<HostLayout> hostLayouts() {
    return hostLayouts;
  }

  /** The host with this name. */
  public Optional<HostLayout> hostLayout(String name) {
    return Optional.ofNullable(hostsByName.get(name));
  }

  /** The network the nodes are attached to. */
  public ClusterNetwork network() {
    return network;
  }

  /** How executors reach the nodes: user, NIC name and SSH port. */
  public NodeAccess nodeAccess() {
    return nodeAccess;
  }

  /** What every node VM boots. */
  public NodeImage image() {
    return image;
  }

  /** The load balancers' cluster-wide settings: virtual IP, VRRP router id, forwarded ports. */
  public LoadBalancerSettings loadBalancing() {
    return loadBalancing;
  }

  /** The Kubernetes to install, with Kubespray's release and addon variables. */
  public KubernetesSettings kubernetes() {
    return kubernetes;
  }

  /** Workers, or the masters when there are none (they then run workloads too). */
  public List<Node> workloadNodes() {
    List<Node> workers = nodes(NodeRole.WORKER);
    return workers.isEmpty() ? nodes(NodeRole.MASTER) : workers;
  }
}
