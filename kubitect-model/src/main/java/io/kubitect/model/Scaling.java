package io.kubitect.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Adds and removes node instances by id: the work behind {@link ClusterSpec#withWorker}, {@link
 * ClusterSpec#withoutNode} and their siblings. Refusals are {@link IllegalArgumentException}s with
 * a one-line message that names the id and the group's path.
 */
final class Scaling {
  private static final String LOAD_BALANCERS = "cluster.nodes.loadBalancer.instances";
  private static final String MASTERS = "cluster.nodes.master.instances";
  private static final String WORKERS = "cluster.nodes.worker.instances";

  // The role parts of node names, <cluster>-<role>-<id>, as kubitect-core's NodeRole writes them.
  // None is a prefix of another, so a name has at most one reading.
  private static final String LB = "lb";
  private static final String MASTER = "master";
  private static final String WORKER = "worker";

  /** Text shown in a message as it is: Kubitect's id characters, not too long. */
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_-]{1,80}");

  private Scaling() {}

  static ClusterSpec withWorker(ClusterSpec spec, NodeInstance worker) {
    NodeGroup group = spec.cluster().nodes().worker();
    return withNodes(
        spec,
        spec.cluster()
            .nodes()
            .withWorker(
                group.withInstances(added(group.instances(), worker, NodeInstance::id, WORKERS))));
  }

  static ClusterSpec withMaster(ClusterSpec spec, NodeInstance master) {
    NodeGroup group = spec.cluster().nodes().master();
    return withNodes(
        spec,
        spec.cluster()
            .nodes()
            .withMaster(
                group.withInstances(added(group.instances(), master, NodeInstance::id, MASTERS))));
  }

  static ClusterSpec withLoadBalancer(ClusterSpec spec, LoadBalancerInstance loadBalancer) {
    LoadBalancers group = spec.cluster().nodes().loadBalancer();
    return withNodes(
        spec,
        spec.cluster()
            .nodes()
            .withLoadBalancer(
                group.withInstances(
                    added(
                        group.instances(),
                        loadBalancer,
                        LoadBalancerInstance::id,
                        LOAD_BALANCERS))));
  }

  static ClusterSpec withoutWorker(ClusterSpec spec, String id) {
    NodeGroup group = spec.cluster().nodes().worker();
    return withNodes(
        spec,
        spec.cluster()
            .nodes()
            .withWorker(
                group.withInstances(removed(group.instances(), id, NodeInstance::id, WORKERS))));
  }

  static ClusterSpec withoutMaster(ClusterSpec spec, String id) {
    NodeGroup group = spec.cluster().nodes().master();
    return withNodes(
        spec,
        spec.cluster()
            .nodes()
            .withMaster(
                group.withInstances(removed(group.instances(), id, NodeInstance::id, MASTERS))));
  }

  static ClusterSpec withoutLoadBalancer(ClusterSpec spec, String id) {
    LoadBalancers group = spec.cluster().nodes().loadBalancer();
    return withNodes(
        spec,
        spec.cluster()
            .nodes()
            .withLoadBalancer(
                group.withInstances(
                    removed(group.instances(), id, LoadBalancerInstance::id, LOAD_BALANCERS))));
  }

  static ClusterSpec withoutNode(ClusterSpec spec, String nodeName) {
    Objects.requireNonNull(nodeName, "nodeName");
    Optional<String> clusterName = spec.cluster().name();
    if (clusterName.isEmpty()) {
      throw new IllegalArgumentException(
          "cluster.name is not set, so " + KubitectYaml.quote(nodeName) + " names no node");
    }
    String cluster = clusterName.get();
    String prefix = cluster + "-";
    if (nodeName.startsWith(prefix)) {
      String rest = nodeName.substring(prefix.length());
      if (rest.startsWith(LB + "-")) {
        return withoutLoadBalancer(spec, rest.substring(LB.length() + 1));
      }
      if (rest.startsWith(MASTER + "-")) {
        return withoutMaster(spec, rest.substring(MASTER.length() + 1));
      }
      if (rest.startsWith(WORKER + "-")) {
        return withoutWorker(spec, rest.substring(WORKER.length() + 1));
      }
    }
    String c = shown(cluster);
    throw new IllegalArgumentException(
        String.format(
            "%s is not a node name of cluster %s: node names are %s-%s-<id>, %s-%s-<id> and"
                + " %s-%s-<id>",
            KubitectYaml.quote(nodeName), c, c, LB, c, MASTER, c, WORKER));
  }

  private static ClusterSpec withNodes(ClusterSpec spec, Nodes nodes) {
    return spec.withCluster(spec.cluster().withNodes(nodes));
  }

  private static <T> List<T> added(
      List<T> instances, T instance, Function<T, Optional<String>> idOf, String path) {
    Objects.requireNonNull(instance, "instance");
    Optional<String> id = idOf.apply(instance);
    if (id.isEmpty()) {
      throw new IllegalArgumentException(path + ": the instance to add has no id");
    }
    for (T existing : instances) {
      if (idOf.apply(existing).equals(id)) {
        throw new IllegalArgumentException(path + " already has id " + shown(id.get()));
      }
    }
    List<T> result = new ArrayList<>(instances.size() + 1);
    result.addAll(instances);
    result.add(instance);
    return result;
  }

  /** The instances without every one with {@code id} (an invalid spec may have several). */
  private static <T> List<T> removed(
      List<T> instances, String id, Function<T, Optional<String>> idOf, String path) {
    Objects.requireNonNull(id, "id");
    Optional<String> removed = Optional.of(id);
    List<T> kept = new ArrayList<>(instances.size());
    for (T instance : instances) {
      if (!idOf.apply(instance).equals(removed)) {
        kept.add(instance);
      }
    }
    if (kept.size() == instances.size()) {
      throw new IllegalArgumentException(path + " has no id " + shown(id));
    }
    return kept;
  }

  /** An id or name as a message shows it: as it is when plain, else quoted, cut and escaped. */
  private static String shown(String text) {
    return PLAIN.matcher(text).matches() ? text : KubitectYaml.quote(text);
  }
}
