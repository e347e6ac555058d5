package io.kubitect.kubespray.internal;

import io.kubitect.core.NodeRole;
import io.kubitect.core.NodeStatus;
import io.kubitect.core.spi.InfrastructureStatus;
import io.kubitect.core.spi.KubernetesSettings;
import io.kubitect.core.spi.KubesprayVariables;
import io.kubitect.core.spi.Node;
import io.kubitect.core.spi.Topology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The Ansible inventory and group variables Kubespray runs with, rendered from a topology and the
 * addresses the provisioner reported. Rendering is deterministic (the same input gives the same
 * bytes), so the files can be compared against golden files and re-rendered before every run.
 *
 * <p>Layout, relative to the inventory directory: {@code hosts.yaml}, {@code
 * group_vars/all/all.yml}, {@code group_vars/k8s_cluster/k8s-cluster.yml}, {@code
 * group_vars/k8s_cluster/addons.yml} and {@code group_vars/etcd.yml}.
 */
public final class Inventory {
  /** The inventory file, relative to the inventory directory. */
  public static final String HOSTS_FILE = "hosts.yaml";

  /** Port of the Kubernetes API server behind the load balancers. */
  public static final int API_PORT = 6443;

  /** Group of the load balancers (the name Kubitect's HAProxy playbook uses). */
  public static final String LB_GROUP = "haproxy";

  /**
   * Kubespray variables this installer derives from the specification. {@code addons.kubespray}
   * cannot override them: the specification's own fields are the source of truth.
   */
  public static final Set<String> DERIVED = KubesprayVariables.decidedBySpecification();

  /** One host of the inventory. */
  public record Host(
      String name,
      NodeRole role,
      String ip,
      Map<String, String> labels,
      List<String> taints,
      int priority) {
    /** Copies (and sorts the labels of) the collections. */
    public Host {
      labels = new TreeMap<>(labels);
      taints = List.copyOf(taints);
    }
  }

  private final KubernetesSettings kubernetes;
  private final Optional<String> vip;
  private final List<Host> hosts;
  private final ReleaseVariables release;

  private Inventory(
      KubernetesSettings kubernetes,
      Optional<String> vip,
      List<Host> hosts,
      ReleaseVariables release) {
    this.kubernetes = kubernetes;
    this.vip = vip;
    this.hosts = List.copyOf(hosts);
    this.release = release;
  }

  /**
   * The inventory of {@code topology}, with addresses from {@code infrastructure} (falling back to
   * the specification's static addresses), plus {@code removed}: nodes that left the topology but
   * are still running and must be in the inventory for {@code remove-node.yml} (nodes of {@code
   * removed} that are still in the topology are only moved to the end of their role).
   *
   * @throws IllegalArgumentException when a node has no known address, or {@code addons.kubespray}
   *     sets a variable {@link KubesprayVariables#refusal} refuses (the validator reports it first;
   *     this is for callers that skip validation)
   */
  public static Inventory of(
      Topology topology, InfrastructureStatus infrastructure, List<Node> removed) {
    for (String variable : topology.kubernetes().kubesprayAddons().keySet()) {
      KubesprayVariables.refusal(variable)
          .ifPresent(
              reason -> {
                String path =
                    variable.matches("[A-Za-z0-9_]+")
                        ? "addons.kubespray." + variable
                        : "addons.kubespray[" + Yaml.quote(variable) + "]";
                throw new IllegalArgumentException(path + " " + reason);
              });
    }
    List<Node> nodes = new ArrayList<>(topology.nodes());
    Set<String> leaving = new java.util.HashSet<>();
    for (Node node : removed) {
      leaving.add(node.name());
      if (topology.node(node.name()).isEmpty()) {
        nodes.add(node);
      }
    }
    // Load balancers, masters, workers; nodes being removed go last among their role, because
    // Kubespray cannot remove the first control-plane or etcd node of its inventory.
    nodes.sort(Comparator.comparing(Node::role).thenComparing(n -> leaving.contains(n.name())));
    List<Host> hosts = new ArrayList<>();
    for (Node node : nodes) {
      String ip =
          infrastructure
              .node(node.name())
              .flatMap(NodeStatus::ip)
              .or(node::ip)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "node "
                              + node.name()
                              + " has no IP address: neither the infrastructure status nor the"
                              + " specification gives one"));
      hosts.add(
          new Host(node.name(), node.role(), ip, node.labels(), node.taints(), node.priority()));
    }
    KubernetesSettings kubernetes = topology.kubernetes();
    return new Inventory(
        kubernetes,
        topology.loadBalancing().vip(),
        hosts,
        ReleaseVariables.forRelease(kubernetes.kubesprayVersion()));
  }

  /** Every host, load balancers first, then masters, then workers. */
  public List<Host> hosts() {
    return hosts;
  }

  /** Names of the hosts with {@code role}. */
  public List<String> names(NodeRole role) {
    return hosts.stream().filter(h -> h.role() == role).map(Host::name).toList();
  }

  /** The host with this name. */
  public Optional<Host> host(String name) {
    return hosts.stream().filter(h -> h.name().equals(name)).findFirst();
  }

  /** Names of the hosts Kubespray works on (every master and worker). */
  public List<String> kubernetesHosts() {
    return hosts.stream().filter(h -> h.role() != NodeRole.LOAD_BALANCER).map(Host::name).toList();
  }

  /** The {@code kube_node} group: workers, or the masters when there are none. */
  public List<String> kubeNode() {
    List<String> workers = names(NodeRole.WORKER);
    return workers.isEmpty() ? names(NodeRole.MASTER) : workers;
  }

  /** The release row used for variable names. */
  public ReleaseVariables release() {
    return release;
  }

  /** The first master: where the kubeconfig is fetched from. */
  public String firstMaster() {
    List<String> masters = names(NodeRole.MASTER);
    if (masters.isEmpty()) {
      throw new IllegalArgumentException("the topology has no master");
    }
    return masters.get(0);
  }

  /**
   * The address clients reach the API server on: the virtual IP; the only load balancer's address
   * when there is one load balancer without a virtual IP; the first master's address when there are
   * no load balancers.
   */
  public String apiAddress() {
    List<Host> lbs = hosts.stream().filter(h -> h.role() == NodeRole.LOAD_BALANCER).toList();
    if (lbs.isEmpty()) {
      return host(firstMaster()).orElseThrow().ip();
    }
    return vip.orElse(lbs.get(0).ip());
  }

  /** Whether the API server is reached through load balancers. */
  public boolean hasLoadBalancers() {
    return hosts.stream().anyMatch(h -> h.role() == NodeRole.LOAD_BALANCER);
  }

  /** {@code kube_version} as the pinned release wants it. */
  public String kubeVersion() {
    return release.kubeVersion(kubernetes.version());
  }

  /**
   * The extra variables ({@code --extra-vars}) every playbook run gets: {@code kube_version}, so
   * that no inventory or role variable can outrank the specification's version.
   */
  public Map<String, Object> extraVariables() {
    return Map.of("kube_version", kubeVersion());
  }

  /** The files, by path relative to the inventory directory, in a fixed order. */
  public Map<String, String> files() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put(HOSTS_FILE, Yaml.write(hostsDocument()));
    files.put("group_vars/all/all.yml", Yaml.write(allVariables()));
    files.put("group_vars/k8s_cluster/k8s-cluster.yml", Yaml.write(clusterVariables()));
    files.put("group_vars/k8s_cluster/addons.yml", Yaml.write(addonVariables()));
    files.put("group_vars/etcd.yml", Yaml.write(Map.of("etcd_deployment_type", "host")));
    return files;
  }

  /** Replaces the inventory directory's content with {@link #files()}. */
  public void write(Path directory) {
    try {
      if (Files.exists(directory)) {
        try (Stream<Path> walk = Files.walk(directory)) {
          for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
      for (Map.Entry<String, String> file : files().entrySet()) {
        Path target = directory.resolve(file.getKey());
        Files.createDirectories(target.getParent());
        Files.writeString(target, file.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the inventory to " + directory, e);
    }
  }

  private Map<String, Object> hostsDocument() {
    Map<String, Object> hostVars = new LinkedHashMap<>();
    for (Host h : hosts) {
      Map<String, Object> vars = new LinkedHashMap<>();
      vars.put("ansible_host", h.ip());
      if (h.role() == NodeRole.LOAD_BALANCER) {
        vars.put("priority", h.priority());
      } else {
        // Kubespray binds to and advertises these; set explicitly so that a run limited to some
        // hosts does not need the other hosts' gathered facts to know their addresses.
        vars.put("ip", h.ip());
        vars.put("access_ip", h.ip());
        if (!h.labels().isEmpty()) {
          vars.put("node_labels", h.labels());
        }
        if (!h.taints().isEmpty()) {
          vars.put("node_taints", h.taints());
        }
      }
      hostVars.put(h.name(), vars);
    }
    Map<String, Object> children = new LinkedHashMap<>();
    if (hasLoadBalancers()) {
      children.put(LB_GROUP, group(names(NodeRole.LOAD_BALANCER)));
    }
    children.put("etcd", group(names(NodeRole.MASTER)));
    Map<String, Object> k8s = new LinkedHashMap<>();
    k8s.put("kube_control_plane", group(names(NodeRole.MASTER)));
    k8s.put("kube_node", group(kubeNode()));
    children.put("k8s_cluster", Map.of("children", k8s));
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("hosts", hostVars);
    all.put("children", children);
    return Map.of("all", all);
  }

  private static Map<String, Object> group(List<String> names) {
    Map<String, Object> members = new LinkedHashMap<>();
    names.forEach(n -> members.put(n, null));
    return Map.of("hosts", members);
  }

  private Map<String, Object> allVariables() {
    Map<String, Object> vars = new LinkedHashMap<>();
    if (hasLoadBalancers()) {
      vars.put("apiserver_loadbalancer_domain_name", apiAddress());
      Map<String, Object> endpoint = new LinkedHashMap<>();
      endpoint.put("address", apiAddress());
      endpoint.put("port", API_PORT);
      vars.put("loadbalancer_apiserver", endpoint);
    }
    vars.put("deploy_container_engine", true);
    return vars;
  }

  private Map<String, Object> clusterVariables() {
    Map<String, Object> addons = kubernetes.kubesprayAddons();
    Map<String, Object> vars = new TreeMap<>();
    // Kubitect's defaults, which addons.kubespray may override (then addons.yml carries them).
    Map<String, Object> defaults = new TreeMap<>();
    defaults.put("cluster_name", "cluster.local");
    defaults.put("kube_proxy_strict_arp", true);
    defaults.put("resolvconf_mode", "host_resolvconf");
    defaults.forEach(
        (k, v) -> {
          if (!addons.containsKey(k)) {
            vars.put(k, v);
          }
        });
    vars.put("auto_renew_certificates", kubernetes.autoRenewCertificates());
    vars.put("dns_mode", kubernetes.dnsMode().toString());
    vars.put("kube_network_plugin", kubernetes.networkPlugin().toString());
    vars.put("kube_version", kubeVersion());
    return vars;
  }

  /** {@code addons.kubespray} without the derived variables, every text value as data. */
  private Map<String, Object> addonVariables() {
    Map<String, Object> vars = new LinkedHashMap<>();
    kubernetes
        .kubesprayAddons()
        .forEach(
            (k, v) -> {
              if (!DERIVED.contains(k)) {
                vars.put(k, asData(v));
              }
            });
    return vars;
  }

  /**
   * A copy of an addon value whose texts are {@link Yaml.Unsafe}, at every depth: Ansible would
   * otherwise template a value when it is used, running any lookup written in it. Keys stay plain:
   * Ansible does not template them.
   */
  private static @Nullable Object asData(@Nullable Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<Object, @Nullable Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(k, asData(v)));
      return copy;
    }
    if (value instanceof List<?> list) {
      List<@Nullable Object> copy = new ArrayList<>();
      list.forEach(item -> copy.add(asData(item)));
      return copy;
    }
    if (value == null || value instanceof Boolean || value instanceof Number) {
      return value;
    }
    return new Yaml.Unsafe(value.toString());
  }

  /** Keys of {@code addons.kubespray} that are ignored because the specification decides them. */
  public List<String> ignoredAddonKeys() {
    return kubernetes.kubesprayAddons().keySet().stream()
        .filter(DERIVED::contains)
        .sorted()
        .toList();
  }
}
