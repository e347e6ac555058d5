package io.kubitect.core;

import static io.kubitect.core.Violations.choices;
import static io.kubitect.core.Violations.quote;

import io.kubitect.core.SpecContext.Group;
import io.kubitect.core.SpecContext.Instance;
import io.kubitect.model.DataDisk;
import io.kubitect.model.DataResourcePool;
import io.kubitect.model.ForwardPort;
import io.kubitect.model.Host;
import io.kubitect.model.Ipv4Network;
import io.kubitect.model.KubernetesManager;
import io.kubitect.model.LoadBalancerInstance;
import io.kubitect.model.LoadBalancers;
import io.kubitect.model.NetworkMode;
import io.kubitect.model.NodeDefaults;
import io.kubitect.model.NodeGroup;
import io.kubitect.model.NodeInstance;
import io.kubitect.model.SpecDefaults;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Rules of {@code cluster.nodes}: load balancers, masters, workers and what spans them. */
final class NodeRules {
  /** Ports the load balancers use themselves: SSH and the Kubernetes API frontend. */
  private static final Map<Integer, String> RESERVED_PORTS =
      Map.of(22, "SSH on the load balancers", 6443, "the Kubernetes API frontend");

  /** Kubespray's {@code minimal_master_memory_mb} (v2.19 to v2.29). */
  static final int KUBESPRAY_MIN_MASTER_MIB = 1500;

  /** Kubespray's {@code minimal_node_memory_mb} (v2.19 to v2.29). */
  static final int KUBESPRAY_MIN_NODE_MIB = 1024;

  private final SpecContext context;
  private final Violations v;
  private final Optional<String> clusterName;

  /** Address of each valid node IP and the path of its first owner. */
  private final Map<Integer, String> nodeIps = new HashMap<>();

  /** Address of each valid host connection ip and its path. */
  private final Map<Integer, String> hostIps = new HashMap<>();

  /** Normalized MAC and the path of its first owner. */
  private final Map<String, String> macs = new HashMap<>();

  private NodeRules(SpecContext context, Violations v) {
    this.context = context;
    this.v = v;
    this.clusterName = ClusterRules.usableName(context.spec().cluster().name());
    List<Host> hosts = context.spec().hosts();
    for (int i = 0; i < hosts.size(); i++) {
      int index = i;
      hosts
          .get(i)
          .connection()
          .ip()
          .flatMap(Syntax::ipv4)
          .ifPresent(ip -> hostIps.putIfAbsent(ip, "hosts[" + index + "].connection.ip"));
    }
  }

  static void check(SpecContext context, Violations v) {
    new NodeRules(context, v).run();
  }

  private void run() {
    LoadBalancers lb = context.spec().cluster().nodes().loadBalancer();
    String lbPath = Group.LB.path;
    vip(lb);
    lb.virtualRouterId()
        .ifPresent(
            id -> {
              if (id == 0) {
                v.warning(
                    lbPath + ".virtualRouterId",
                    "is 0, which is no VRRP router id and is read as not set: the default router"
                        + " id "
                        + SpecDefaults.VIRTUAL_ROUTER_ID
                        + " applies; leave virtualRouterId out to say so");
              } else if (id < 1 || id > 255) {
                v.error(
                    lbPath + ".virtualRouterId",
                    "must be a VRRP router id from 1 to 255 (found " + id + ")");
              }
            });
    forwardPorts(lb.forwardPorts());
    Sizes lbDefaults =
        new Sizes(lb.defaults().cpu(), lb.defaults().ram(), lb.defaults().mainDiskSize());
    sizing(lbPath + ".default", lbDefaults, Optional.empty());
    Map<String, Integer> lbIds = new HashMap<>();
    for (Instance node : context.lbs()) {
      node(node, lbIds, lbDefaults);
      LoadBalancerInstance instance = lb.instances().get(node.index());
      instance.priority().ifPresent(priority -> priority(priority, node.path() + ".priority"));
    }
    group(Group.MASTER, context.spec().cluster().nodes().master(), context.masters());
    group(Group.WORKER, context.spec().cluster().nodes().worker(), context.workers());
    counts();
    placement(Group.LB, context.lbs(), "load balancers", "the virtual IP and the API endpoint");
    placement(Group.MASTER, context.masters(), "masters", "the whole control plane");
    networkSpan();
  }

  private void vip(LoadBalancers lb) {
    String path = Group.LB.path + ".vip";
    int lbCount = lb.instances().size();
    if (lb.vip().isEmpty()) {
      if (lbCount > 1) {
        v.error(
            path,
            "is required with "
                + lbCount
                + " load balancers: the virtual IP they share, an unused address in the cluster"
                + " network");
      }
      return;
    }
    String vip = lb.vip().get();
    Optional<Integer> address = Syntax.ipv4(vip);
    if (address.isEmpty()) {
      v.error(path, quote(vip) + " is not an IPv4 address (a.b.c.d)");
      return;
    }
    if (lbCount == 0) {
      v.warning(
          path,
          quote(vip)
              + " is ignored because there is no load balancer instance; the API server is"
              + " reached at the first master's IP");
      return;
    }
    if (addressProblem(vip, address.get(), path)) {
      return;
    }
    Map<Integer, String> owners = new HashMap<>();
    for (Instance node : context.allNodes()) {
      node.ip().flatMap(Syntax::ipv4).ifPresent(ip -> owners.putIfAbsent(ip, node.path() + ".ip"));
    }
    String owner = owners.get(address.get());
    if (owner != null) {
      boolean onlyLb =
          lbCount == 1 && context.lbs().get(0).ip().flatMap(Syntax::ipv4).equals(address);
      if (onlyLb) {
        v.warning(
            path,
            quote(vip)
                + " is the ip of the only load balancer, so no virtual IP is set up (keepalived is"
                + " not installed); leave vip out, or give an unused address to be ready for a"
                + " second load balancer");
      } else {
        v.error(
            path,
            quote(vip)
                + " is already the ip of "
                + owner
                + "; the virtual IP must be an address no node uses");
      }
      return;
    }
    String host = hostIps.get(address.get());
    if (host != null) {
      v.error(
          path,
          quote(vip) + " is already the address of " + host + "; the virtual IP must be unused");
    }
  }

  /**
   * Reports an address that is outside the cluster network or is its network, broadcast or gateway
   * address; returns whether it did.
   */
  private boolean addressProblem(String text, int address, String path) {
    Optional<Ipv4Network> network = context.network();
    if (network.isEmpty()) {
      return false;
    }
    Ipv4Network net = network.get();
    if (!net.contains(address)) {
      v.error(path, quote(text) + " is outside the cluster network " + net);
      return true;
    }
    if (address == net.address()) {
      v.error(path, quote(text) + " is the network address of " + net + ", not a usable host");
      return true;
    }
    if (address == net.broadcast()) {
      v.error(path, quote(text) + " is the broadcast address of " + net + ", not a usable host");
      return true;
    }
    if (context.gateway().isPresent() && context.gateway().get() == address) {
      boolean written = context.spec().cluster().network().gateway().isPresent();
      v.error(
          path,
          quote(text)
              + " is the network's gateway"
              + (written ? "" : " (cluster.network.gateway defaults to the first address)")
              + "; use another address");
      return true;
    }
    return false;
  }

  private void forwardPorts(List<ForwardPort> ports) {
    String base = Group.LB.path + ".forwardPorts";
    if (!ports.isEmpty() && context.lbs().isEmpty()) {
      v.warning(
          base,
          "are ignored because there is no load balancer instance to forward them; add one or"
              + " remove forwardPorts");
    }
    Map<String, Integer> names = new HashMap<>();
    Map<Integer, Integer> numbers = new HashMap<>();
    for (int k = 0; k < ports.size(); k++) {
      ForwardPort port = ports.get(k);
      String path = base + "[" + k + "]";
      Optional<String> name = port.name();
      if (name.isEmpty() || name.get().isBlank()) {
        v.error(
            path + ".name",
            "is required: a unique name for the forwarded port (letters, digits, '-' and '_')");
      } else if (!Syntax.NAME_HYPHEN_UNDERSCORE.matcher(name.get()).matches()) {
        v.error(
            path + ".name", quote(name.get()) + " may contain only letters, digits, '-' and '_'");
      } else {
        Integer first = names.putIfAbsent(name.get(), k);
        if (first != null) {
          v.error(
              path + ".name",
              quote(name.get())
                  + " is already the name of forwardPorts["
                  + first
                  + "]; names must be unique");
        }
      }
      Optional<Integer> number = port.port();
      if (number.isEmpty()) {
        v.error(path + ".port", "is required: the port the load balancers listen on (1 to 65535)");
      } else if (!isPort(number.get())) {
        v.error(path + ".port", "must be a port from 1 to 65535 (found " + number.get() + ")");
      } else if (RESERVED_PORTS.containsKey(number.get())) {
        v.error(
            path + ".port",
            number.get()
                + " is taken by "
                + RESERVED_PORTS.get(number.get())
                + "; ports 22 and 6443 cannot be forwarded");
      } else {
        Integer first = numbers.putIfAbsent(number.get(), k);
        if (first != null) {
          v.error(
              path + ".port",
              number.get()
                  + " is already forwarded by forwardPorts["
                  + first
                  + "]; each port can be forwarded once");
        }
      }
      Optional<Integer> target = port.targetPort();
      if (target.isPresent() && target.get() == 0) {
        v.warning(
            path + ".targetPort",
            "is 0, which Kubitect's configuration reads as not set: the forwarded port"
                + number.map(n -> " " + n).orElse("")
                + " itself applies; leave targetPort out to say so");
      } else if (target.isPresent() && !isPort(target.get())) {
        v.error(
            path + ".targetPort", "must be a port from 1 to 65535 (found " + target.get() + ")");
      }
    }
  }

  private static boolean isPort(int port) {
    return port >= 1 && port <= 65535;
  }

  private void priority(int priority, String path) {
    if (priority == 0) {
      v.warning(
          path,
          "is 0, which is no VRRP priority and is read as not set: the default priority "
              + SpecDefaults.PRIORITY
              + " applies; leave priority out to say so");
    } else if (priority < 1 || priority > 255) {
      v.error(
          path,
          "must be a VRRP priority from 1 to 254 (found "
              + priority
              + "); the load balancer with the highest priority holds the virtual IP");
    } else if (priority == 255) {
      v.warning(
          path,
          "is 255, which VRRP reserves for the owner of the address; keepalived runs the load"
              + " balancers as backups and lowers it to 254");
    }
  }

  /** Sizes of a node or of a group's defaults, as written. */
  private record Sizes(
      Optional<Integer> cpu, Optional<Integer> ram, Optional<Integer> mainDiskSize) {
    static Sizes of(Instance node) {
      return new Sizes(node.cpu(), node.ram(), node.mainDiskSize());
    }
  }

  /**
   * Checks sizes: at least 1, or 0 for "not set" with a warning that says which default applies:
   * the group's ({@code groupDefaults}, for an instance) when it sets one, else the built-in one.
   */
  private void sizing(String path, Sizes sizes, Optional<Sizes> groupDefaults) {
    size(
        sizes.cpu(),
        path,
        "cpu",
        "virtual CPUs",
        SpecDefaults.CPU,
        groupDefaults.flatMap(Sizes::cpu));
    size(
        sizes.ram(),
        path,
        "ram",
        "GiB of memory",
        SpecDefaults.RAM_GIB,
        groupDefaults.flatMap(Sizes::ram));
    size(
        sizes.mainDiskSize(),
        path,
        "mainDiskSize",
        "GiB of main disk",
        SpecDefaults.MAIN_DISK_GIB,
        groupDefaults.flatMap(Sizes::mainDiskSize));
  }

  private void size(
      Optional<Integer> value,
      String base,
      String key,
      String unit,
      int builtIn,
      Optional<Integer> groupDefault) {
    if (value.isEmpty()) {
      return;
    }
    String path = base + "." + key;
    int size = value.get();
    if (size == 0) {
      Optional<Integer> fromGroup = groupDefault.filter(d -> d != 0);
      String applies =
          fromGroup.isPresent()
              ? "the group's default." + key + " (" + fromGroup.get() + " " + unit + ")"
              : "the default of " + builtIn + " " + unit;
      v.warning(
          path,
          "is 0, which Kubitect's configuration reads as not set: "
              + applies
              + " applies; leave "
              + key
              + " out to say so");
    } else if (size < 1) {
      v.error(path, "must be at least 1 (" + unit + "), found " + size);
    }
  }

  /** The rules every node has: id, name, host, ip, mac and sizing. */
  private void node(Instance node, Map<String, Integer> ids, Sizes groupDefaults) {
    String path = node.path();
    boolean validId = id(node, ids);
    node.name().ifPresent(name -> name(node, name, validId));
    node.host().ifPresent(host -> host(host, path + ".host"));
    node.ip().ifPresent(ip -> ip(ip, path + ".ip"));
    node.mac().ifPresent(mac -> mac(mac, path + ".mac"));
    sizing(path, Sizes.of(node), Optional.of(groupDefaults));
  }

  /**
   * Kubitect's instance {@code name}, which has no effect there or here: a warning unless it is the
   * node's name anyway.
   */
  private void name(Instance node, String name, boolean validId) {
    String role = node.group().segment;
    Optional<String> nodeName =
        validId && clusterName.isPresent()
            ? Optional.of(clusterName.get() + "-" + role + "-" + node.id().orElseThrow())
            : Optional.empty();
    if (nodeName.isPresent() && nodeName.get().equals(name)) {
      return;
    }
    v.warning(
        node.path() + ".name",
        quote(name)
            + " has no effect: as in Kubitect, the VM and the Kubernetes node are named"
            + nodeName.map(n -> " " + quote(n) + ",").orElse("")
            + " '<cluster>-"
            + role
            + "-<id>'; leave name out");
  }

  /** Checks a node's id; returns whether it can name the node. */
  private boolean id(Instance node, Map<String, Integer> ids) {
    String path = node.path() + ".id";
    Optional<String> id = node.id();
    String role = node.group().segment;
    if (id.isEmpty() || id.get().isBlank()) {
      v.error(
          path,
          "is required: an id unique among the "
              + role
              + " instances, which names the VM '<cluster>-"
              + role
              + "-<id>'");
      return false;
    }
    String value = id.get();
    if (!Syntax.isDnsLabelText(value)) {
      v.error(
          path,
          quote(value)
              + " cannot be part of the node name '<cluster>-"
              + role
              + "-<id>', which must be a DNS label and Kubernetes node name: use lowercase"
              + " letters, digits and '-', starting and ending with a letter or digit");
      return false;
    }
    Integer first = ids.putIfAbsent(value, node.index());
    if (first != null) {
      v.error(
          path,
          quote(value)
              + " is already the id of "
              + node.group().path
              + ".instances["
              + first
              + "]; ids must be unique among the "
              + role
              + " instances");
      return true;
    }
    if (clusterName.isPresent()) {
      String nodeName = clusterName.get() + "-" + role + "-" + value;
      if (nodeName.length() > Syntax.DNS_LABEL_MAX) {
        int room = Syntax.DNS_LABEL_MAX - (clusterName.get().length() + role.length() + 2);
        v.error(
            path,
            "the node name "
                + quote(nodeName)
                + " is "
                + nodeName.length()
                + " characters long, a DNS label allows 63; with this cluster name the id may"
                + " have at most "
                + room
                + " characters");
      }
    }
    return true;
  }

  private void host(String host, String path) {
    if (context.hostNames().contains(host)) {
      return;
    }
    if (context.hostNames().isEmpty()) {
      return; // no host has a name: reported on hosts, every reference would repeat it
    }
    v.error(
        path,
        quote(host)
            + " is not a configured host; use one of "
            + choices(context.hostNames())
            + " or leave it out for the default host");
  }

  private void ip(String ip, String path) {
    Optional<Integer> address = Syntax.ipv4(ip);
    if (address.isEmpty()) {
      v.error(path, quote(ip) + " is not an IPv4 address (a.b.c.d); leave it out for DHCP");
      return;
    }
    if (addressProblem(ip, address.get(), path)) {
      return;
    }
    String first = nodeIps.putIfAbsent(address.get(), path);
    if (first != null) {
      v.error(path, quote(ip) + " is already the ip of " + first + "; every node needs its own");
      return;
    }
    String host = hostIps.get(address.get());
    if (host != null) {
      v.error(
          path, quote(ip) + " is already the address of " + host + "; every node needs its own");
    }
  }

  private void mac(String mac, String path) {
    Optional<String> normalized = Syntax.mac(mac);
    if (normalized.isEmpty()) {
      v.error(
          path,
          quote(mac)
              + " is not a MAC address; write six hex octets separated by ':', e.g."
              + " 52:54:00:12:34:56");
      return;
    }
    int firstOctet = Integer.parseInt(normalized.get().substring(0, 2), 16);
    if ((firstOctet & 1) != 0) {
      v.error(
          path,
          quote(mac)
              + " is a multicast address (lowest bit of the first octet set); a NIC needs a"
              + " unicast address, e.g. 52:54:00:12:34:56");
      return;
    }
    if (normalized.get().equals("00:00:00:00:00:00")) {
      v.error(path, quote(mac) + " is the all-zero address, which no NIC may use");
      return;
    }
    String first = macs.putIfAbsent(normalized.get(), path);
    if (first != null) {
      v.error(path, quote(mac) + " is already the mac of " + first + "; every node needs its own");
    }
  }

  private void group(Group role, NodeGroup group, List<Instance> nodes) {
    NodeDefaults defaults = group.defaults();
    String defaultsPath = role.path + ".default";
    Sizes defaultSizes = new Sizes(defaults.cpu(), defaults.ram(), defaults.mainDiskSize());
    sizing(defaultsPath, defaultSizes, Optional.empty());
    labels(defaults.labels(), defaultsPath + ".labels");
    taints(defaults.taints(), defaultsPath + ".taints");
    disks(defaults.dataDisks(), defaultsPath + ".dataDisks", Optional.empty(), nodes);
    Map<String, Integer> ids = new HashMap<>();
    if (role == Group.MASTER) {
      kubesprayMemory(nodes, defaultSizes, defaultsPath, KUBESPRAY_MIN_MASTER_MIB);
    } else if (role == Group.WORKER) {
      kubesprayMemory(nodes, defaultSizes, defaultsPath, KUBESPRAY_MIN_NODE_MIB);
    }
    for (Instance node : nodes) {
      node(node, ids, defaultSizes);
      NodeInstance instance = group.instances().get(node.index());
      disks(instance.dataDisks(), node.path() + ".dataDisks", Optional.of(node), List.of());
      labels(instance.labels(), node.path() + ".labels");
      taints(instance.taints(), node.path() + ".taints");
    }
  }

  /**
   * Warns about a node with less memory than Kubespray's preinstall check demands: {@code
   * minimal_master_memory_mb} (1500 MiB) of a master, {@code minimal_node_memory_mb} (1024 MiB) of
   * a worker, compared with the guest's {@code MemTotal}, which is below the configured size (the
   * kernel keeps some): 1 GiB passes neither. The install would stop there, after the VMs were
   * made. Found by running Kubespray's own checks against what the SDK renders
   * (bench/kubespray-acceptance). k3s has no such check.
   */
  private void kubesprayMemory(
      List<Instance> nodes, Sizes defaults, String defaultsPath, int minimumMib) {
    if (context.spec().kubernetes().manager().orElse(KubernetesManager.KUBESPRAY)
        != KubernetesManager.KUBESPRAY) {
      return;
    }
    int groupGib = defaults.ram().filter(r -> r > 0).orElse(SpecDefaults.RAM_GIB);
    boolean groupWarned = false;
    for (Instance node : nodes) {
      Optional<Integer> own = node.ram().filter(r -> r > 0);
      int gib = own.orElse(groupGib);
      if (gib * 1024L > minimumMib || (own.isEmpty() && groupWarned)) {
        continue;
      }
      groupWarned |= own.isEmpty();
      String path = own.isPresent() ? node.path() + ".ram" : defaultsPath + ".ram";
      if (minimumMib == KUBESPRAY_MIN_MASTER_MIB) {
        v.warning(
            path,
            "is "
                + gib
                + " GiB, below the "
                + minimumMib
                + " MiB Kubespray's preinstall check requires of a control-plane node: the"
                + " install stops there (addons.kubespray.minimal_master_memory_mb lowers the"
                + " check)");
      } else {
        v.warning(
            path,
            "is "
                + gib
                + " GiB: the guest sees less than the "
                + minimumMib
                + " MiB Kubespray's preinstall check requires of a node (the kernel keeps some),"
                + " so the install stops there (addons.kubespray.minimal_node_memory_mb lowers the"
                + " check)");
      }
    }
  }

  /**
   * Checks data disks. An instance's disks ({@code owner} present) must find their pool on the
   * instance's host; default disks ({@code owner} empty) on the host of every instance of the
   * group.
   */
  private void disks(
      List<DataDisk> disks, String base, Optional<Instance> owner, List<Instance> groupNodes) {
    Map<String, Integer> names = new HashMap<>();
    for (int k = 0; k < disks.size(); k++) {
      DataDisk disk = disks.get(k);
      String path = base + "[" + k + "]";
      Optional<String> name = disk.name();
      if (name.isEmpty() || name.get().isBlank()) {
        v.error(path + ".name", "is required: a name unique per node (letters, digits and '-')");
      } else if (!Syntax.NAME_HYPHEN.matcher(name.get()).matches()) {
        v.error(path + ".name", quote(name.get()) + " may contain only letters, digits and '-'");
      } else {
        Integer first = names.putIfAbsent(name.get(), k);
        if (first != null) {
          v.error(
              path + ".name",
              quote(name.get())
                  + " is already the name of dataDisks["
                  + first
                  + "]; disk names must be unique per node");
        }
      }
      Optional<Integer> size = disk.size();
      if (size.isEmpty()) {
        v.error(path + ".size", "is required: the disk size in GiB (at least 1)");
      } else if (size.get() < 1) {
        v.error(path + ".size", "must be at least 1 GiB, found " + size.get());
      }
      Optional<String> pool = disk.pool();
      // No pool, 'main' or '' (as Kubitect exports it) is the host's main pool.
      if (pool.isEmpty() || pool.get().isEmpty() || pool.get().equals(SpecDefaults.MAIN_POOL)) {
        continue;
      }
      if (pool.get().isBlank()) {
        v.error(
            path + ".pool",
            quote(pool.get())
                + " is blank; leave it out (or write 'main') for the host's main pool, or name a"
                + " data resource pool of the host");
        continue;
      }
      if (owner.isPresent()) {
        pool(pool.get(), path + ".pool", owner.get(), "");
      } else {
        for (Instance node : groupNodes) {
          if (pool(pool.get(), path + ".pool", node, " (a default disk of " + node.path() + ")")) {
            break;
          }
        }
      }
    }
  }

  /** Reports a pool that the node's host lacks; returns whether it did. */
  private boolean pool(String pool, String path, Instance node, String which) {
    Optional<Host> host = context.hostOf(node.host());
    if (host.isEmpty()) {
      return false; // no hosts at all, or an unknown host: reported on hosts or on the node
    }
    String hostName = host.get().name().orElse("");
    Set<String> pools = new LinkedHashSet<>();
    for (DataResourcePool p : host.get().dataResourcePools()) {
      p.name().ifPresent(pools::add);
    }
    if (pools.contains(pool)) {
      return false;
    }
    if (pools.isEmpty()) {
      v.error(
          path,
          quote(pool)
              + " names a data resource pool, but host "
              + quote(hostName)
              + ", where the node runs"
              + which
              + ", has none configured; add it to that host's dataResourcePools or use 'main'");
    } else {
      v.error(
          path,
          quote(pool)
              + " is not a data resource pool of host "
              + quote(hostName)
              + ", where the node runs"
              + which
              + "; use one of "
              + choices(pools)
              + " or 'main'");
    }
    return true;
  }

  private void labels(Map<String, String> labels, String base) {
    for (Map.Entry<String, String> label : labels.entrySet()) {
      String path = keyPath(base, label.getKey());
      Optional<String> keyProblem = Syntax.labelKeyProblem(label.getKey());
      if (keyProblem.isPresent()) {
        v.error(
            path,
            "the label key "
                + quote(label.getKey())
                + " is not a Kubernetes label key ([prefix/]name): "
                + keyProblem.get());
        continue;
      }
      Syntax.labelValueProblem(label.getValue())
          .ifPresent(
              problem ->
                  v.error(
                      path,
                      "the value "
                          + quote(label.getValue())
                          + " is not a Kubernetes label value (at most 63 characters, empty"
                          + " allowed): "
                          + problem));
    }
  }

  /** Path of a map entry: {@code base.key}, or {@code base["key"]} when the key has dots etc. */
  static String keyPath(String base, String key) {
    if (Syntax.NAME_HYPHEN_UNDERSCORE.matcher(key).matches()) {
      return base + "." + key;
    }
    return base + "[\"" + Violations.escape(key).replace("\"", "\\\"") + "\"]";
  }

  private void taints(List<String> taints, String base) {
    Map<String, Integer> seen = new LinkedHashMap<>();
    for (int k = 0; k < taints.size(); k++) {
      String taint = taints.get(k);
      String path = base + "[" + k + "]";
      Optional<String> problem = Syntax.taintProblem(taint);
      if (problem.isPresent()) {
        v.error(
            path,
            quote(taint)
                + " is not a taint of the form key[=value]:Effect (e.g."
                + " dedicated=gpu:NoSchedule): it "
                + problem.get());
        continue;
      }
      Integer first = seen.putIfAbsent(Syntax.taintIdentity(taint), k);
      if (first != null) {
        v.error(
            path,
            quote(taint)
                + " has the same key and effect as taints["
                + first
                + "]; a node can carry each key and effect once");
      }
    }
  }

  private void counts() {
    int masters = context.masters().size();
    int lbs = context.lbs().size();
    String masterPath = Group.MASTER.path + ".instances";
    if (masters == 0) {
      v.error(masterPath, "no master is configured; at least one master instance is required");
    } else if (masters % 2 == 0) {
      v.error(
          masterPath,
          masters
              + " masters are configured; etcd needs an odd number (1, 3, 5, ...) to keep a"
              + " quorum");
    }
    if (masters > 1 && lbs == 0) {
      v.error(
          Group.LB.path + ".instances",
          "no load balancer is configured, but "
              + masters
              + " masters are; at least one load balancer is needed in front of several masters");
    }
  }

  private void placement(Group role, List<Instance> nodes, String noun, String what) {
    if (nodes.size() < 2) {
      return;
    }
    Set<String> hosts = new LinkedHashSet<>();
    for (Instance node : nodes) {
      Optional<String> host = context.hostNameOf(node);
      if (host.isEmpty()) {
        return; // placement unknown; the host reference is reported elsewhere
      }
      hosts.add(host.get());
    }
    if (hosts.size() == 1) {
      v.warning(
          role.path + ".instances",
          "all "
              + nodes.size()
              + " "
              + noun
              + " run on host "
              + quote(hosts.iterator().next())
              + ", so losing that host takes down "
              + what
              + "; spread them over several hosts");
    }
  }

  private void networkSpan() {
    NetworkMode mode = context.spec().cluster().network().mode().orElse(NetworkMode.NAT);
    if (mode == NetworkMode.BRIDGE) {
      return;
    }
    Set<String> hosts = new LinkedHashSet<>();
    for (Instance node : context.allNodes()) {
      context.hostNameOf(node).ifPresent(hosts::add);
    }
    if (hosts.size() > 1) {
      v.warning(
          "cluster.network.mode",
          quote(mode)
              + " gives every host its own virtual network, so nodes on hosts "
              + choices(hosts)
              + " cannot reach each other; only 'bridge' mode spans several hosts");
    }
  }
}
