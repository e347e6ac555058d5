package io.kubitect.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Kubitect's defaults (reference §1.3) and their explicit resolution. {@link
 * ClusterSpec#resolveDefaults()} returns a specification in which every default is written out, so
 * what will be built can be read off it. Resolution never fails: values it cannot interpret (an
 * unparsable CIDR, say) are left for the validator to report. Resolving twice gives the same result
 * as resolving once.
 *
 * <p>As in Kubitect, {@code 0} for a size, port, priority or router id means "not set" and gets the
 * default, and a data disk's empty {@code pool} is the main pool. Resolution also normalises what
 * Kubitect writes differently: a Kubernetes version without its {@code v} ({@code 1.33.4}, as
 * Kubitect's default and its exported configurations have it) gets one, and a CIDR with host bits
 * set ({@code 192.168.113.13/24}) becomes the network it lies in ({@code 192.168.113.0/24}). Keys
 * of older schemas are moved to their current place ({@code cluster.network.dns}, {@code
 * cluster.nodeTemplate.networkInterface} and {@code cluster.nodeTemplate.image}, {@code
 * kubernetes.other.copyKubeconfig}), and the {@code kubitect} section, which has no effect, is
 * dropped; a current key set as well wins.
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

  /** A version without its leading {@code v}, as Kubitect writes Kubernetes versions. */
  private static final Pattern VERSION_WITHOUT_V = Pattern.compile("[0-9]+\\.[0-9]+\\.[0-9]+");

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
                .withNodeTemplate(
                    resolveTemplate(cluster.nodeTemplate(), cluster.network().dns(), network))
                .withNodes(resolveNodes(cluster.nodes(), defaultHost)))
        .withKubernetes(resolveKubernetes(spec.kubernetes()))
        .withKubitect(KubitectProject.builder().build())
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
                ssh.withPort(set(ssh.port()).orElse(SSH_PORT))
                    .withVerify(ssh.verify().orElse(true)));
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

  /** A value that Kubitect reads as unset when it is 0, as it reads a Go zero value. */
  private static Optional<Integer> set(Optional<Integer> value) {
    return value.filter(v -> v != 0);
  }

  private static Network resolveNetwork(Network network) {
    Network resolved = network.withMode(network.mode().orElse(NetworkMode.NAT)).withDns(List.of());
    Optional<Ipv4Network> cidr = network.cidr().flatMap(Ipv4Network::parseNetworkOf);
    if (cidr.isPresent()) {
      // With host bits set (192.168.113.13/24), the network they lie in.
      resolved = resolved.withCidr(cidr.get().toString());
    }
    if (network.gateway().isEmpty() && cidr.isPresent()) {
      resolved = resolved.withGateway(Ipv4Network.format(cidr.get().host(1)));
    }
    return resolved;
  }

  /**
   * The node template with its defaults, and v2.0's keys moved to their place: {@code
   * networkInterface} and {@code image} into {@code os}, {@code legacyDns} (v2.0's {@code
   * cluster.network.dns}) into {@code dns}.
   */
  private static NodeTemplate resolveTemplate(
      NodeTemplate template, List<String> legacyDns, Network network) {
    OperatingSystem os = template.os();
    LegacyImage image = template.image();
    Optional<Distro> imageDistro = image.distro().flatMap(LegacyImage::presetOf);
    Distro distro = os.distro().or(() -> imageDistro).orElse(Distro.UBUNTU22).preset();
    // v2.0 named the NIC after image.distro: ens3 for ubuntu, eth0 for anything else.
    Optional<String> imageNic =
        os.distro().isPresent()
            ? Optional.empty()
            : image.distro().map(LegacyImage::networkInterfaceOf);
    NodeTemplate resolved =
        template
            .withUser(template.user().orElse(USER))
            .withOs(
                os.withDistro(distro)
                    .withSource(os.source().or(image::source).orElse(distro.source()))
                    .withNetworkInterface(
                        os.networkInterface()
                            .or(template::networkInterface)
                            .or(() -> imageNic)
                            .orElse(distro.networkInterface())))
            .withSsh(
                template.ssh().withAddToKnownHosts(template.ssh().addToKnownHosts().orElse(false)))
            .withUpdateOnBoot(template.updateOnBoot().orElse(true))
            .withCpuMode(template.cpuMode().orElse(CpuMode.CUSTOM))
            .withNetworkInterface(Optional.empty())
            .withImage(LegacyImage.builder().build());
    if (template.dns().isEmpty() && !legacyDns.isEmpty()) {
      resolved = resolved.withDns(legacyDns);
    } else if (template.dns().isEmpty() && network.gateway().isPresent()) {
      resolved = resolved.withDns(network.gateway().get());
    }
    return resolved;
  }

  private static Nodes resolveNodes(Nodes nodes, String defaultHost) {
    LoadBalancers lb = nodes.loadBalancer();
    LoadBalancerDefaults lbDefaults =
        lb.defaults()
            .withCpu(set(lb.defaults().cpu()).orElse(CPU))
            .withRam(set(lb.defaults().ram()).orElse(RAM_GIB))
            .withMainDiskSize(set(lb.defaults().mainDiskSize()).orElse(MAIN_DISK_GIB));
    List<LoadBalancerInstance> lbs = new ArrayList<>();
    for (LoadBalancerInstance i : lb.instances()) {
      lbs.add(
          i.withHost(i.host().orElse(defaultHost))
              .withCpu(set(i.cpu()).orElse(lbDefaults.cpu().orElseThrow()))
              .withRam(set(i.ram()).orElse(lbDefaults.ram().orElseThrow()))
              .withMainDiskSize(
                  set(i.mainDiskSize()).orElse(lbDefaults.mainDiskSize().orElseThrow()))
              .withPriority(set(i.priority()).orElse(PRIORITY)));
    }
    List<ForwardPort> ports = new ArrayList<>();
    for (ForwardPort p : lb.forwardPorts()) {
      ForwardPort resolved = p.withTarget(p.target().orElse(ForwardTarget.WORKERS));
      if (set(p.targetPort()).isEmpty() && p.port().isPresent()) {
        resolved = resolved.withTargetPort(p.port().get());
      }
      ports.add(resolved);
    }
    return nodes
        .withLoadBalancer(
            lb.withVirtualRouterId(set(lb.virtualRouterId()).orElse(VIRTUAL_ROUTER_ID))
                .withDefaults(lbDefaults)
                .withInstances(lbs)
                .withForwardPorts(ports))
        .withMaster(resolveGroup(nodes.master(), defaultHost))
        .withWorker(resolveGroup(nodes.worker(), defaultHost));
  }

  private static NodeGroup resolveGroup(NodeGroup group, String defaultHost) {
    NodeDefaults d = group.defaults();
    NodeDefaults defaults =
        d.withCpu(set(d.cpu()).orElse(CPU))
            .withRam(set(d.ram()).orElse(RAM_GIB))
            .withMainDiskSize(set(d.mainDiskSize()).orElse(MAIN_DISK_GIB))
            .withDataDisks(resolveDisks(List.of(), d.dataDisks()));
    List<NodeInstance> instances = new ArrayList<>();
    for (NodeInstance i : group.instances()) {
      Map<String, String> labels = new LinkedHashMap<>(defaults.labels());
      labels.putAll(i.labels());
      instances.add(
          i.withHost(i.host().orElse(defaultHost))
              .withCpu(set(i.cpu()).orElse(defaults.cpu().orElseThrow()))
              .withRam(set(i.ram()).orElse(defaults.ram().orElseThrow()))
              .withMainDiskSize(set(i.mainDiskSize()).orElse(defaults.mainDiskSize().orElseThrow()))
              .withLabels(labels)
              .withTaints(mergeTaints(defaults.taints(), i.taints()))
              .withDataDisks(resolveDisks(defaults.dataDisks(), i.dataDisks())));
    }
    return group.withDefaults(defaults).withInstances(instances);
  }

  /**
   * Default disks first, then the instance's; an instance disk replaces a default of its name. No
   * pool, or an empty one (as Kubitect writes it), is the main pool.
   */
  private static List<DataDisk> resolveDisks(List<DataDisk> defaults, List<DataDisk> own) {
    Map<String, DataDisk> byName = new LinkedHashMap<>();
    List<DataDisk> unnamed = new ArrayList<>();
    for (List<DataDisk> source : List.of(defaults, own)) {
      for (DataDisk disk : source) {
        DataDisk resolved = disk.withPool(disk.pool().filter(p -> !p.isEmpty()).orElse(MAIN_POOL));
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
    return k.withVersion(k.version().map(SpecDefaults::withV).orElse(defaultVersion))
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
                .withMergeKubeconfig(
                    k.other().mergeKubeconfig().or(k.other()::copyKubeconfig).orElse(false))
                .withCopyKubeconfig(Optional.empty()));
  }

  /**
   * A Kubernetes version with its {@code v}: {@code 1.33.4} (Kubitect's default, and what its
   * exported configurations have) is {@code v1.33.4}. Anything else is left as written.
   */
  public static String withV(String version) {
    return VERSION_WITHOUT_V.matcher(version).matches() ? "v" + version : version;
  }
}
