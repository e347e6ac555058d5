package io.kubitect.kubespray.internal;

import io.kubitect.core.NodeRole;
import io.kubitect.core.spi.InfrastructureStatus;
import io.kubitect.core.spi.Topology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Ansible inventory k3s-ansible runs with: every node under {@code all.hosts} with {@code
 * ansible_host}, load balancers with their VRRP {@code priority}, masters and workers with {@code
 * server_config_yaml} (the k3s configuration file: {@code tls-san} on masters, {@code node-label}
 * and {@code node-taint}), and the groups {@code haproxy} and {@code
 * k3s_cluster.children.server/agent}. The cluster token goes into {@code
 * group_vars/k3s_cluster/token.yml} (0600) rather than onto the command line or into the logged
 * extra variables. Rendering is deterministic.
 */
public final class K3sInventory {
  /** The inventory file, relative to the inventory directory. */
  public static final String HOSTS_FILE = "hosts.yaml";

  /** The token variable file, relative to the inventory directory. */
  public static final String TOKEN_FILE = "group_vars/k3s_cluster/token.yml";

  private static final Pattern VERSION = Pattern.compile("v?(\\d+\\.\\d+\\.\\d+)(\\+k3s\\d+)?");
  private static final String NAME = "[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?";
  private static final Pattern LABEL_KEY =
      Pattern.compile("([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?" + NAME);
  private static final Pattern LABEL_VALUE = Pattern.compile("(" + NAME + ")?");
  private static final Pattern TAINT =
      Pattern.compile(
          "(?<key>[^=:]+)(=(?<value>[^:]*))?:(?<effect>NoSchedule|PreferNoSchedule|NoExecute)");

  private final Inventory inventory;
  private final String k3sVersion;

  private K3sInventory(Inventory inventory, String k3sVersion) {
    this.inventory = inventory;
    this.k3sVersion = k3sVersion;
  }

  /**
   * The inventory of {@code topology} with addresses from {@code infrastructure}.
   *
   * @throws IllegalArgumentException when a node has no address, or a label or taint is not one
   *     Kubernetes accepts (the validator reports these first; this is for callers that skip it)
   */
  public static K3sInventory of(Topology topology, InfrastructureStatus infrastructure) {
    Inventory inventory = Inventory.of(topology, infrastructure, List.of());
    for (Inventory.Host h : inventory.hosts()) {
      h.labels().forEach((k, v) -> checkLabel(h.name(), k, v));
      h.taints().forEach(t -> checkTaint(h.name(), t));
    }
    return new K3sInventory(inventory, k3sVersion(topology.kubernetes().version()));
  }

  /**
   * The k3s release for a Kubernetes version: {@code v1.33.4} and {@code 1.33.4} both give {@code
   * v1.33.4+k3s1}; a version that already names a k3s release ({@code v1.33.4+k3s2}) is kept.
   *
   * @throws IllegalArgumentException for anything else
   */
  public static String k3sVersion(String version) {
    var m = VERSION.matcher(version);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "kubernetes.version " + Yaml.quote(version) + " is not of the form vX.Y.Z or X.Y.Z");
    }
    return "v" + m.group(1) + (m.group(2) == null ? "+k3s1" : m.group(2));
  }

  private static void checkLabel(String node, String key, String value) {
    if (!LABEL_KEY.matcher(key).matches() || !LABEL_VALUE.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "node "
              + node
              + ": the label "
              + Yaml.quote(abbreviate(key))
              + "="
              + Yaml.quote(abbreviate(value))
              + " is not a Kubernetes label (key [prefix/]name, value of at most 63 letters,"
              + " digits, '-', '_', '.')");
    }
  }

  private static void checkTaint(String node, String taint) {
    var m = TAINT.matcher(taint);
    boolean valid =
        m.matches()
            && LABEL_KEY.matcher(m.group("key")).matches()
            && (m.group("value") == null || LABEL_VALUE.matcher(m.group("value")).matches());
    if (!valid) {
      throw new IllegalArgumentException(
          "node "
              + node
              + ": the taint "
              + Yaml.quote(abbreviate(taint))
              + " is not a Kubernetes taint (key[=value]:NoSchedule|PreferNoSchedule|NoExecute)");
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 80 ? text : text.substring(0, 80) + "... (" + text.length() + " chars)";
  }

  /** The host data (addresses, labels, taints) shared with the Kubespray inventory. */
  public Inventory hosts() {
    return inventory;
  }

  /** {@code k3s_version}: the Kubernetes version as a k3s release ({@code v1.33.4+k3s1}). */
  public String k3sVersion() {
    return k3sVersion;
  }

  /** The address clients reach the API server on (see {@link Inventory#apiAddress()}). */
  public String apiAddress() {
    return inventory.apiAddress();
  }

  /** The k3s configuration file of a master or worker, as YAML text. */
  public String serverConfig(Inventory.Host host) {
    Map<String, Object> config = new LinkedHashMap<>();
    if (host.role() == NodeRole.MASTER) {
      config.put("tls-san", List.of(apiAddress()));
    }
    if (!host.labels().isEmpty()) {
      List<String> labels = new ArrayList<>();
      host.labels().forEach((k, v) -> labels.add(k + "=" + v));
      config.put("node-label", labels);
    }
    if (!host.taints().isEmpty()) {
      config.put("node-taint", host.taints());
    }
    return Yaml.write(config);
  }

  /** The inventory files (without the token), by path relative to the inventory directory. */
  public Map<String, String> files() {
    Map<String, Object> hostVars = new LinkedHashMap<>();
    for (Inventory.Host h : inventory.hosts()) {
      Map<String, Object> vars = new LinkedHashMap<>();
      vars.put("ansible_host", h.ip());
      if (h.role() == NodeRole.LOAD_BALANCER) {
        vars.put("priority", h.priority());
      } else {
        // Data for k3s, never a template for Ansible.
        vars.put("server_config_yaml", new Yaml.Unsafe(serverConfig(h)));
      }
      hostVars.put(h.name(), vars);
    }
    Map<String, Object> children = new LinkedHashMap<>();
    if (inventory.hasLoadBalancers()) {
      children.put(Inventory.LB_GROUP, group(inventory.names(NodeRole.LOAD_BALANCER)));
    }
    Map<String, Object> k3s = new LinkedHashMap<>();
    k3s.put("server", group(inventory.names(NodeRole.MASTER)));
    k3s.put("agent", group(inventory.names(NodeRole.WORKER)));
    children.put("k3s_cluster", Map.of("children", k3s));
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("hosts", hostVars);
    all.put("children", children);
    return Map.of(HOSTS_FILE, Yaml.write(Map.of("all", all)));
  }

  private static Map<String, Object> group(List<String> names) {
    Map<String, Object> members = new LinkedHashMap<>();
    names.forEach(n -> members.put(n, null));
    return Map.of("hosts", members);
  }

  /**
   * Replaces the inventory directory's content with {@link #files()} and the token variable file
   * (created 0600 before anything is written to it).
   */
  public void write(Path directory, String token) {
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
      Path tokenFile = directory.resolve(TOKEN_FILE);
      Files.createDirectories(tokenFile.getParent());
      Files.createFile(
          tokenFile,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(tokenFile, Yaml.write(Map.of("token", new Yaml.Unsafe(token))));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the k3s inventory to " + directory, e);
    }
  }

  /** The first master: the one the others join. */
  public String firstMaster() {
    return inventory.firstMaster();
  }

  /** Masters in inventory order. */
  public List<String> masters() {
    return inventory.names(NodeRole.MASTER);
  }

  /** The host with this name. */
  public Optional<Inventory.Host> host(String name) {
    return inventory.host(name);
  }
}
