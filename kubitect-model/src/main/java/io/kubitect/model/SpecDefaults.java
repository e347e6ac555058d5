package io.kubitect.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Kubitect's defaults (reference §1.3) and their explicit resolution. {@link
 * ClusterSpec#resolveDefaults()} returns a specification in which every default is written out, so
 * what will be built can be read off it. Resolution never fails: values it cannot interpret (an
 * unparsable CIDR, say) are left for the validator to report. Resolving twice gives the same result
 * as resolving once.
 *
 * <p>Deliberate differences from Kubitect: default labels, taints and data disks are merged into
 * every instance with the instance winning (Kubitect documents this but never did it); {@code
 * virtualRouterId} is always resolved, so going from one load balancer to two is not a change of
 * it; remote host keys are verified unless {@code verify: false} says otherwise; the default
 * Kubernetes version carries its {@code v} and follows the pinned Kubespray release.
 */
public final class SpecDefaults {
  /** Virtual CPUs of a node. */
  public static final int CPU = 2;

  /** Memory of a node in GiB. */
  public static final int RAM_GIB = 4;

  /** Main disk of a node in GiB. */
  public static final int MAIN_DISK_GIB = 32;

  /** Directory of storage pools on a host. */
  public static final String POOL_PATH = "/var/lib/libvirt/images/";

  /** Node user. */
  public static final String USER = "k8s";

  /** SSH port of a remote host. */
  public static final int SSH_PORT = 22;

  /** VRRP virtual router id. */
  public static final int VIRTUAL_ROUTER_ID = 51;

  /** VRRP priority of a load balancer. */
  public static final int PRIORITY = 10;

  /** Name of the pool a data disk goes to when it names none. */
  public static final String MAIN_POOL = "main";

  private SpecDefaults() {}

  static ClusterSpec resolve(ClusterSpec spec) {
    List<Host> hosts = resolveHosts(spec.hosts());
    String defaultHost =
        hosts.stream()
            .filter(h -> h.defaultHost().orElse(false))
            .findFirst()
            .flatMap(Host::name)
            .orElse("");
    Cluster cluster = spec.cluster();
    Network network = resolveNetwork(cluster.network());
    return spec.withHosts(hosts)
        .withCluster(
            cluster
                .withNetwork(network)
                .withNodeTemplate(resolveTemplate(cluster.nodeTemplate(), network))
                .withNodes(resolveNodes(cluster.nodes(), defaultHost)))
        .withKubernetes(resolveKubernetes(spec.kubernetes()))
        .withAddons(
            spec.addons()
                .withRook(
                    spec.addons()
                        .rook()
                        .withEnabled(spec.addons().rook().enabled().orElse(false))));
  }

  private static List<Host> resolveHosts(List<Host> hosts) {
    boolean anyDefault = hosts.stream().anyMatch(h -> h.defaultHost().orElse(false));
    List<Host> resolved = new ArrayList<>();
    for (int i = 0; i < hosts.size(); i++) {
      Host host = hosts.get(i);
      boolean isDefault = anyDefault ? host.defaultHost().orElse(false) : i == 0;
      Connection connection = host.connection();
      if (connection.type().orElse(ConnectionType.LOCAL) == ConnectionType.REMOTE) {
        HostSsh ssh = connection.ssh();
        connection =
            connection.withSsh(
                ssh.withPort(ssh.port().orElse(SSH_PORT)).withVerify(ssh.verify().orElse(true)));
      }
      List<DataResourcePool> pools = new ArrayList<>();
      for (DataResourcePool pool : host.dataResourcePools()) {
        pools.add(pool.withPath(pool.path().orElse(POOL_PATH)));
      }
      resolved.add(
          host.withDefaultHost(isDefault)
              .withConnection(connection)
              .withMainResourcePoolPath(host.mainResourcePoolPath().orElse(POOL_PATH))
              .withDataResourcePools(pools));
    }
    return resolved;
  }

  private static Network resolveNetwork(Network network) {
    Network resolved = network.withMode(network.mode().orElse(NetworkMode.NAT));
    if (network.gateway().isEmpty()) {
      Optional<String> gateway =
          network.cidr().flatMap(Ipv4Network::parse).map(n -> Ipv4Network.format(n.host(1)));
      if (gateway.isPresent()) {
        resolved = resolved.withGateway(gateway.get());
      }
    }
    return resolved;
  }

  private static NodeTemplate resolveTemplate(NodeTemplate template, Network network) {
    OperatingSystem os = template.os();
    Distro distro = os.distro().orElse(Distro.UBUNTU22).preset();
    NodeTemplate resolved =
        template
            .withUser(template.user().orElse(USER))
            .withOs(
                os.withDistro(distro)
                    .withSource(os.source().orElse(distro.source()))
                    .withNetworkInterface(os.networkInterface().orElse(distro.networkInterface())))
            .withSsh(
                template.ssh().withAddToKnownHosts(template.ssh().addToKnownHosts().orElse(false)))
            .withUpdateOnBoot(template.updateOnBoot().orElse(true))
            .withCpuMode(template.cpuMode().orElse(CpuMode.CUSTOM));
    if (template.dns().isEmpty() && network.gateway().isPresent()) {
      resolved = resolved.withDns(network.gateway().get());
    }
    return resolved;
  }

  private static Nodes resolveNodes(Nodes nodes, String defaultHost) {
    LoadBalancers lb = nodes.loadBalancer();
    LoadBalancerDefaults lbDefaults =
        lb.defaults()
            .withCpu(lb.defaults().cpu().orElse(CPU))
            .withRam(lb.defaults().ram().orElse(RAM_GIB))
            .withMainDiskSize(lb.defaults().mainDiskSize().orElse(MAIN_DISK_GIB));
    List<LoadBalancerInstance> lbs = new ArrayList<>();
    for (LoadBalancerInstance i : lb.instances()) {
      lbs.add(
          i.withHost(i.host().orElse(defaultHost))
              .withCpu(i.cpu().orElse(lbDefaults.cpu().orElseThrow()))
              .withRam(i.ram().orElse(lbDefaults.ram().orElseThrow()))
              .withMainDiskSize(i.mainDiskSize().orElse(lbDefaults.mainDiskSize().orElseThrow()))
              .withPriority(i.priority().orElse(PRIORITY)));
    }
    List<ForwardPort> ports = new ArrayList<>();
    for (ForwardPort p : lb.forwardPorts()) {
      ForwardPort resolved = p.withTarget(p.target().orElse(ForwardTarget.WORKERS));
      if (p.targetPort().isEmpty() && p.port().isPresent()) {
        resolved = resolved.withTargetPort(p.port().get());
      }
      ports.add(resolved);
    }
    return nodes
        .withLoadBalancer(
            lb.withVirtualRouterId(lb.virtualRouterId().orElse(VIRTUAL_ROUTER_ID))
                .withDefaults(lbDefaults)
                .withInstances(lbs)
                .withForwardPorts(ports))
        .withMaster(resolveGroup(nodes.master(), defaultHost))
        .withWorker(resolveGroup(nodes.worker(), defaultHost));
  }

  private static NodeGroup resolveGroup(NodeGroup group, String defaultHost) {
    NodeDefaults d = group.defaults();
    NodeDefaults defaults =
        d.withCpu(d.cpu().orElse(CPU))
            .withRam(d.ram().orElse(RAM_GIB))
            .withMainDiskSize(d.mainDiskSize().orElse(MAIN_DISK_GIB))
            .withDataDisks(resolveDisks(List.of(), d.dataDisks()));
    List<NodeInstance> instances = new ArrayList<>();
    for (NodeInstance i : group.instances()) {
      Map<String, String> labels = new LinkedHashMap<>(defaults.labels());
      labels.putAll(i.labels());
      instances.add(
          i.withHost(i.host().orElse(defaultHost))
              .withCpu(i.cpu().orElse(defaults.cpu().orElseThrow()))
              .withRam(i.ram().orElse(defaults.ram().orElseThrow()))
              .withMainDiskSize(i.mainDiskSize().orElse(defaults.mainDiskSize().orElseThrow()))
              .withLabels(labels)
              .withTaints(mergeTaints(defaults.taints(), i.taints()))
              .withDataDisks(resolveDisks(defaults.dataDisks(), i.dataDisks())));
    }
    return group.withDefaults(defaults).withInstances(instances);
  }

  /** Default disks first, then the instance's; an instance disk replaces a default of its name. */
  private static List<DataDisk> resolveDisks(List<DataDisk> defaults, List<DataDisk> own) {
    Map<String, DataDisk> byName = new LinkedHashMap<>();
    List<DataDisk> unnamed = new ArrayList<>();
    for (List<DataDisk> source : List.of(defaults, own)) {
      for (DataDisk disk : source) {
        DataDisk resolved = disk.withPool(disk.pool().orElse(MAIN_POOL));
        if (disk.name().isPresent()) {
          byName.remove(disk.name().get());
          byName.put(disk.name().get(), resolved);
        } else {
          unnamed.add(resolved);
        }
      }
    }
    List<DataDisk> result = new ArrayList<>(byName.values());
    result.addAll(unnamed);
    return result;
  }

  /** Default taints first; an instance taint replaces a default with the same key and effect. */
  private static List<String> mergeTaints(List<String> defaults, List<String> own) {
    Map<String, String> byKey = new LinkedHashMap<>();
    for (List<String> source : List.of(defaults, own)) {
      for (String taint : source) {
        String key = taintKey(taint);
        byKey.remove(key);
        byKey.put(key, taint);
      }
    }
    return new ArrayList<>(byKey.values());
  }

  /** {@code key=value:Effect} and {@code key:Effect} are identified by key and effect. */
  static String taintKey(String taint) {
    int colon = taint.lastIndexOf(':');
    String effect = colon < 0 ? "" : taint.substring(colon + 1);
    String head = colon < 0 ? taint : taint.substring(0, colon);
    int equals = head.indexOf('=');
    return (equals < 0 ? head : head.substring(0, equals)) + ":" + effect;
  }

  private static Kubernetes resolveKubernetes(Kubernetes k) {
    String kubesprayVersion = k.kubespray().version().orElse(KubesprayReleases.DEFAULT_VERSION);
    String defaultVersion =
        KubesprayReleases.find(kubesprayVersion)
            .map(KubesprayRelease::defaultKubernetesVersion)
            .orElse("v1.33.4");
    return k.withVersion(k.version().orElse(defaultVersion))
        .withManager(k.manager().orElse(KubernetesManager.KUBESPRAY))
        .withNetworkPlugin(k.networkPlugin().orElse(NetworkPlugin.CALICO))
        .withDnsMode(k.dnsMode().orElse(DnsMode.COREDNS))
        .withKubespray(
            k.kubespray()
                .withVersion(kubesprayVersion)
                .withUrl(k.kubespray().url().orElse(KubesprayReleases.DEFAULT_URL)))
        .withOther(
            k.other()
                .withAutoRenewCertificates(k.other().autoRenewCertificates().orElse(false))
                .withMergeKubeconfig(k.other().mergeKubeconfig().orElse(false)));
  }
}
