package io.kubitect.kubespray.internal;

import io.kubitect.core.NodeRole;
import io.kubitect.core.spi.Node;
import io.kubitect.core.spi.Topology;
import io.kubitect.model.Rook;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What the Rook addon installs for a topology (Kubitect's Rook role, reference §5.4): the candidate
 * nodes (workers, or masters when there are none), those the node selector matches, those of them
 * with a data disk (the OSD nodes), and the counts: {@code mon = min(3, nodes)}, {@code mgr =
 * min(2, nodes)}, {@code replication = min(3, OSD nodes)}, {@code minSize = max(replication - 1,
 * 1)}. Node labels come from the resolved topology, the same for both managers (under k3s
 * Kubitect's selector never matched: it read labels the k3s inventory does not have).
 *
 * @param version the Rook image tag and chart version, empty for the chart's default
 * @param selector {@code addons.rook.nodeSelector}, sorted by key
 * @param nodes the candidates the selector matches, in topology order
 * @param osdNodes the matched nodes with at least one data disk
 * @param skipReason why nothing is installed although Rook is enabled (no OSD node), or empty
 */
public record RookPlan(
    boolean enabled,
    Optional<String> version,
    Map<String, String> selector,
    List<String> candidates,
    List<String> nodes,
    List<String> osdNodes,
    int mon,
    int mgr,
    int replication,
    int minSize,
    Optional<String> skipReason) {

  /** The Helm repository, releases and namespace Kubitect uses. */
  public static final String REPOSITORY_NAME = "rook-release";

  public static final String REPOSITORY_URL = "https://charts.rook.io/release";
  public static final String NAMESPACE = "rook-ceph";
  public static final String OPERATOR_RELEASE = "rook-operator";
  public static final String OPERATOR_CHART = REPOSITORY_NAME + "/rook-ceph";
  public static final String CLUSTER_RELEASE = "rook-ceph-cluster";
  public static final String CLUSTER_CHART = REPOSITORY_NAME + "/rook-ceph-cluster";

  // Kubernetes label syntax: an optional DNS-subdomain prefix, a name of at most 63 characters.
  private static final Pattern LABEL_NAME =
      Pattern.compile("([A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?)");
  private static final Pattern LABEL_PREFIX =
      Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
  private static final Pattern VERSION = Pattern.compile("v[0-9]{1,4}\\.[0-9]{1,4}\\.[0-9]{1,4}");

  /** Copies the collections. */
  public RookPlan {
    selector = new TreeMap<>(selector);
    candidates = List.copyOf(candidates);
    nodes = List.copyOf(nodes);
    osdNodes = List.copyOf(osdNodes);
  }

  /** Whether the releases are installed: enabled and at least one OSD node. */
  public boolean installs() {
    return enabled && skipReason.isEmpty();
  }

  /**
   * The plan for {@code topology}.
   *
   * @throws IllegalArgumentException when the version or a selector entry would not reach Helm and
   *     Kubernetes as written (the validator reports these first; this guards other callers)
   */
  public static RookPlan of(Topology topology) {
    Rook rook = topology.spec().addons().rook();
    boolean enabled = rook.enabled().orElse(false);
    Optional<String> version = rook.version().filter(v -> !v.isEmpty());
    version.ifPresent(
        v -> {
          if (!VERSION.matcher(v).matches()) {
            throw new IllegalArgumentException(
                "addons.rook.version "
                    + Yaml.quote(abbreviate(v))
                    + " is not a version of the form vX.Y.Z");
          }
        });
    Map<String, String> selector = new TreeMap<>(rook.nodeSelector());
    selector.forEach(RookPlan::checkLabel);

    List<Node> candidates = topology.nodes(NodeRole.WORKER);
    if (candidates.isEmpty()) {
      candidates = topology.nodes(NodeRole.MASTER);
    }
    List<String> matched = new ArrayList<>();
    List<String> osd = new ArrayList<>();
    for (Node node : candidates) {
      if (matches(selector, node.labels())) {
        matched.add(node.name());
        if (!node.dataDisks().isEmpty()) {
          osd.add(node.name());
        }
      }
    }
    int replication = Math.min(3, osd.size());
    Optional<String> skip = Optional.empty();
    if (enabled && osd.isEmpty()) {
      String role = topology.nodes(NodeRole.WORKER).isEmpty() ? "master" : "worker";
      skip =
          Optional.of(
              matched.isEmpty() && !selector.isEmpty()
                  ? "no " + role + " matches addons.rook.nodeSelector " + describe(selector)
                  : "no "
                      + role
                      + (selector.isEmpty() ? "" : " that matches addons.rook.nodeSelector")
                      + " has a data disk (Ceph needs one per storage node)");
    }
    return new RookPlan(
        enabled,
        version,
        selector,
        candidates.stream().map(Node::name).toList(),
        matched,
        osd,
        Math.min(3, matched.size()),
        Math.min(2, matched.size()),
        replication,
        Math.max(replication - 1, 1),
        skip);
  }

  /**
   * Whether a node with {@code labels} qualifies: it has every selector key and, for each selector
   * value that is not empty, that value.
   */
  static boolean matches(Map<String, String> selector, Map<String, String> labels) {
    for (Map.Entry<String, String> s : selector.entrySet()) {
      String value = labels.get(s.getKey());
      if (value == null || (!s.getValue().isEmpty() && !s.getValue().equals(value))) {
        return false;
      }
    }
    return true;
  }

  /** The selector as Rook's CSI and discovery affinity string: {@code k=v; k2} (key alone: any). */
  public String affinity() {
    List<String> parts = new ArrayList<>();
    selector.forEach((k, v) -> parts.add(v.isEmpty() ? k : k + "=" + v));
    return String.join("; ", parts);
  }

  /** The plan in one line, for the progress report. */
  public String describe() {
    if (!enabled) {
      return "addons.rook is not enabled";
    }
    if (skipReason.isPresent()) {
      return "skipped: " + skipReason.get();
    }
    return nodes.size()
        + " Rook node(s), "
        + osdNodes.size()
        + " OSD node(s) ("
        + String.join(", ", osdNodes)
        + "); mon="
        + mon
        + " mgr="
        + mgr
        + " replication="
        + replication
        + " min_size="
        + minSize
        + version.map(v -> "; version " + v).orElse("; chart's default version");
  }

  private static String describe(Map<String, String> selector) {
    Map<String, String> shown = new LinkedHashMap<>();
    selector.entrySet().stream().limit(5).forEach(e -> shown.put(e.getKey(), e.getValue()));
    return shown + (selector.size() > 5 ? " (and " + (selector.size() - 5) + " more)" : "");
  }

  private static void checkLabel(String key, String value) {
    String name = key;
    int slash = key.indexOf('/');
    boolean keyOk;
    if (slash >= 0) {
      String prefix = key.substring(0, slash);
      name = key.substring(slash + 1);
      keyOk = prefix.length() <= 253 && LABEL_PREFIX.matcher(prefix).matches();
    } else {
      keyOk = true;
    }
    keyOk = keyOk && LABEL_NAME.matcher(name).matches();
    if (!keyOk) {
      throw new IllegalArgumentException(
          "addons.rook.nodeSelector key " + Yaml.quote(abbreviate(key)) + " is not a label key");
    }
    if (!value.isEmpty() && !LABEL_NAME.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "addons.rook.nodeSelector value "
              + Yaml.quote(abbreviate(value))
              + " of "
              + key
              + " is not a label value");
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 80 ? text : text.substring(0, 77) + "...";
  }
}
