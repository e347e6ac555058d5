package io.kubitect.core;

import io.kubitect.core.spi.KubernetesInstaller;
import io.kubitect.core.spi.Node;
import io.kubitect.core.spi.Topology;
import io.kubitect.model.ClusterSpec;
import io.kubitect.model.SemanticVersion;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares the applied specification with the desired one and judges every change by Kubitect's
 * change rules (reference §2.5), with its quirks fixed: one change per node (never only the first),
 * data disks added to an existing node are allowed and removed ones are dangerous, label and taint
 * edits are allowed, {@code addons.kubespray} changes are seen, going from one load balancer to two
 * is possible, masters are scaled in and out (removal is dangerous), and an upgrade must go forward
 * by at most one minor version.
 */
final class Planner {
  private static final Pattern INSTANCE =
      Pattern.compile(
          "^cluster\\.nodes\\.(loadBalancer|master|worker)\\.instances\\[id=([^\\]]*)\\]");
  private static final Pattern ELEMENT = Pattern.compile("\\[[A-Za-z]+=[^\\]]*\\]");

  private Planner() {}

  /**
   * Plans an apply.
   *
   * @param applied the specification applied last, if the cluster exists
   * @param desired the specification to apply; it should have passed {@link SpecValidator}
   */
  static Plan plan(Optional<ClusterSpec> applied, ClusterSpec desired, ApplyAction action) {
    return plan(applied, Topology.of(desired), action);
  }

  /** Plans an apply towards a topology already resolved (the facade resolves it once per apply). */
  static Plan plan(Optional<ClusterSpec> applied, Topology target, ApplyAction action) {
    if (applied.isEmpty()) {
      return newCluster(target, action);
    }
    Topology current = Topology.of(applied.get());
    Map<String, String> before = SpecPaths.of(current.spec());
    Map<String, String> after = SpecPaths.of(target.spec());
    List<PlannedChange> changes = judge(diff(before, after), current, target, action);
    return assemble(current, target, action, changes);
  }

  private static Plan newCluster(Topology target, ApplyAction action) {
    List<PlannedChange> changes = new ArrayList<>();
    if (action != ApplyAction.CREATE) {
      changes.add(
          new PlannedChange(
              "cluster",
              ChangeKind.CREATE,
              Optional.empty(),
              Optional.of(target.clusterName()),
              Optional.empty(),
              Verdict.REFUSED,
              "cluster "
                  + target.clusterName()
                  + " has not been created yet; apply with action create first"));
    }
    List<NodePlan> nodes = new ArrayList<>();
    for (Node node : target.nodes()) {
      nodes.add(
          new NodePlan(node.name(), node.role(), node.host(), NodePlan.Action.CREATE, List.of()));
    }
    List<Plan.InstallerStep> steps =
        List.of(
            new Plan.InstallerStep(
                KubernetesInstaller.Action.CREATE,
                target.nodes().stream()
                    .filter(n -> n.role() != NodeRole.LOAD_BALANCER)
                    .map(Node::name)
                    .toList()));
    return new Plan(target.clusterName(), action, true, changes, nodes, steps, true, true);
  }

  /** A raw difference: path, kind, before and after (absent on one side for CREATE/DELETE). */
  private record Difference(
      String path, ChangeKind kind, Optional<String> before, Optional<String> after) {}

  /**
   * Leaf differences, with every element that exists on one side only (a node, a host, a data disk,
   * a pool, a forward port) collapsed into one change on the element's path.
   */
  private static List<Difference> diff(Map<String, String> before, Map<String, String> after) {
    Set<String> beforeElements = elements(before.keySet());
    Set<String> afterElements = elements(after.keySet());
    Map<String, Difference> result = new LinkedHashMap<>();
    Set<String> paths = new TreeSet<>(before.keySet());
    paths.addAll(after.keySet());
    for (String path : paths) {
      Optional<String> b = Optional.ofNullable(before.get(path));
      Optional<String> a = Optional.ofNullable(after.get(path));
      if (b.equals(a)) {
        continue;
      }
      Optional<String> element = outermostOneSided(path, beforeElements, afterElements);
      if (element.isPresent()) {
        String e = element.get();
        boolean created = afterElements.contains(e);
        result.putIfAbsent(
            e,
            new Difference(
                e,
                created ? ChangeKind.CREATE : ChangeKind.DELETE,
                Optional.empty(),
                Optional.empty()));
        continue;
      }
      ChangeKind kind =
          b.isEmpty() ? ChangeKind.CREATE : a.isEmpty() ? ChangeKind.DELETE : ChangeKind.MODIFY;
      result.put(path, new Difference(path, kind, b, a));
    }
    return new ArrayList<>(result.values());
  }

  /** Every identified element prefix ({@code ...instances[id=1]}) of the given paths. */
  private static Set<String> elements(Set<String> paths) {
    Set<String> elements = new HashSet<>();
    for (String path : paths) {
      Matcher m = ELEMENT.matcher(path);
      while (m.find()) {
        elements.add(path.substring(0, m.end()));
      }
    }
    return elements;
  }

  private static Optional<String> outermostOneSided(
      String path, Set<String> beforeElements, Set<String> afterElements) {
    Matcher m = ELEMENT.matcher(path);
    while (m.find()) {
      String prefix = path.substring(0, m.end());
      if (beforeElements.contains(prefix) != afterElements.contains(prefix)) {
        return Optional.of(prefix);
      }
    }
    return Optional.empty();
  }

  private static List<PlannedChange> judge(
      List<Difference> differences, Topology current, Topology target, ApplyAction action) {
    List<PlannedChange> changes = new ArrayList<>();
    for (Difference d : differences) {
      Optional<String> node = nodeOf(d.path(), target.clusterName());
      Judgement j =
          switch (action) {
            case CREATE -> converge(d);
            case SCALE -> scale(d, current, target);
            case UPGRADE -> upgrade(d);
          };
      changes.add(
          new PlannedChange(d.path(), d.kind(), d.before(), d.after(), node, j.verdict, j.reason));
    }
    return changes;
  }

  private record Judgement(Verdict verdict, String reason) {
    static final Judgement ALLOW = new Judgement(Verdict.ALLOWED, "");

    static Judgement warn(String reason) {
      return new Judgement(Verdict.DANGEROUS, reason);
    }

    static Judgement refuse(String reason) {
      return new Judgement(Verdict.REFUSED, reason);
    }
  }

  /** Rules of a create (converge) on an existing cluster. */
  private static Judgement converge(Difference d) {
    String p = d.path();
    if (p.startsWith("hosts[")) {
      return hostChange(d);
    }
    if (p.startsWith("cluster.network")) {
      return Judgement.refuse(
          "the network of an existing cluster cannot change: the nodes would lose their addresses");
    }
    if (p.equals("cluster.nodeTemplate.ssh.addToKnownHosts")) {
      return Judgement.ALLOW; // only the user's known_hosts changes, no node
    }
    if (p.startsWith("cluster.nodeTemplate")) {
      return Judgement.refuse(
          "the node template of an existing cluster cannot change: every node would be rebuilt");
    }
    Matcher instance = INSTANCE.matcher(p);
    if (instance.find()) {
      String rest = p.substring(instance.end());
      if (rest.isEmpty()) {
        return Judgement.refuse(
            d.kind() == ChangeKind.CREATE
                ? "adding a node is a scale: apply with action scale"
                : "removing a node is a scale: apply with action scale");
      }
      return instanceChange(d, rest);
    }
    if (p.startsWith("cluster.nodes.loadBalancer.forwardPorts")) {
      return Judgement.ALLOW;
    }
    if (p.equals("cluster.nodes.loadBalancer.vip")) {
      return Judgement.refuse(
          "the virtual IP of an existing cluster cannot change: it is the API server's address"
              + " in every kubeconfig and certificate");
    }
    if (p.equals("cluster.nodes.loadBalancer.virtualRouterId")) {
      return Judgement.refuse(
          "the VRRP router id of a running load-balancer pair cannot change safely");
    }
    if (p.equals("kubernetes.version")) {
      return Judgement.refuse(
          "changing the Kubernetes version is an upgrade: apply with action upgrade");
    }
    if (p.startsWith("kubernetes.kubespray")) {
      return Judgement.refuse("the Kubespray release changes only with action upgrade");
    }
    if (p.startsWith("kubernetes.other") || p.startsWith("addons")) {
      return Judgement.ALLOW;
    }
    if (p.startsWith("kubernetes")) {
      return Judgement.refuse(
          "the Kubernetes installer, network plugin and DNS of an existing cluster cannot change");
    }
    return Judgement.refuse("this change is not allowed on an existing cluster");
  }

  private static Judgement hostChange(Difference d) {
    String p = d.path();
    if (p.endsWith(".mainResourcePoolPath")) {
      return Judgement.warn(
          "moving the main pool recreates every VM and disk of the cluster on this host");
    }
    if (p.contains(".dataResourcePools[")) {
      if (d.kind() == ChangeKind.DELETE) {
        return Judgement.warn(
            "removing a data pool destroys every data disk of the cluster in it; the pool is"
                + " undefined and its directory removed when nothing else is left in it");
      }
      if (p.endsWith(".path") && d.kind() == ChangeKind.MODIFY) {
        return Judgement.warn(
            "moving a data pool recreates every data disk in it (their data is lost)");
      }
    }
    if (d.kind() == ChangeKind.DELETE && p.matches("^hosts\\[name=[^\\]]*\\]$")) {
      return removedHost(p);
    }
    // New hosts, connection details and the default flag change how hosts are reached, not what
    // runs on them; nodes that move show up as node changes.
    return Judgement.ALLOW;
  }

  /**
   * A host no node is placed on any more (the validator sees to that): what the cluster made there
   * goes with it, reached through the connection the applied specification gives.
   */
  private static Judgement removedHost(String path) {
    String host = path.substring("hosts[name=".length(), path.length() - 1);
    return new Judgement(
        Verdict.ALLOWED,
        "everything the cluster made on host "
            + host
            + " (domains, volumes, base image, cloud-init seeds, pools, network) is removed,"
            + " reached with its applied connection");
  }

  private static Judgement instanceChange(Difference d, String rest) {
    if (rest.equals(".cpu") || rest.equals(".ram") || rest.equals(".mainDiskSize")) {
      return Judgement.refuse(
          "cpu, ram and mainDiskSize of an existing node cannot change: the node would be rebuilt");
    }
    if (rest.equals(".ip") || rest.equals(".mac")) {
      return Judgement.refuse("the IP and MAC address of an existing node cannot change");
    }
    if (rest.equals(".host")) {
      return Judgement.refuse(
          "moving a node to another host rebuilds it: add a new node there and remove this one"
              + " with action scale");
    }
    if (rest.startsWith(".dataDisks[")) {
      if (d.kind() == ChangeKind.CREATE && !rest.contains("].")) {
        return Judgement.ALLOW;
      }
      return d.kind() == ChangeKind.DELETE && !rest.contains("].")
          ? Judgement.warn(
              "removing a data disk destroys its data, and a running node is restarted: its VM"
                  + " is stopped, the disk detached and deleted, then the VM started again")
          : Judgement.warn("changing a data disk recreates it: its data is lost");
    }
    // Labels, taints and load-balancer priority are applied in place.
    return Judgement.ALLOW;
  }

  /** Rules of a scale. */
  private static Judgement scale(Difference d, Topology current, Topology target) {
    String p = d.path();
    Matcher instance = INSTANCE.matcher(p);
    if (instance.find() && p.length() == instance.end()) {
      String group = instance.group(1);
      if (d.kind() == ChangeKind.DELETE && group.equals("master")) {
        return Judgement.warn(
            "removing a master removes its etcd member; the control plane keeps "
                + target.nodes(NodeRole.MASTER).size()
                + " of "
                + current.nodes(NodeRole.MASTER).size()
                + " masters");
      }
      return Judgement.ALLOW;
    }
    if (p.matches("^hosts\\[name=[^\\]]*\\]$")) {
      return d.kind() == ChangeKind.DELETE ? removedHost(p) : Judgement.ALLOW;
    }
    if (p.equals("cluster.nodes.loadBalancer.vip")) {
      return Judgement.refuse(
          "the virtual IP cannot be added or changed on an existing cluster: the API endpoint of"
              + " every kubeconfig and certificate would change (set vip when the cluster is"
              + " created to scale load balancers later)");
    }
    return Judgement.refuse(
        "a scale only adds and removes nodes and hosts; apply other changes with action create");
  }

  /** Rules of an upgrade. */
  private static Judgement upgrade(Difference d) {
    String p = d.path();
    if (p.equals("kubernetes.version") && d.kind() == ChangeKind.MODIFY) {
      Optional<SemanticVersion> from = d.before().flatMap(SemanticVersion::parse);
      Optional<SemanticVersion> to = d.after().flatMap(SemanticVersion::parse);
      if (from.isEmpty() || to.isEmpty()) {
        return Judgement.refuse("Kubernetes versions must look like vX.Y.Z");
      }
      if (to.get().compareTo(from.get()) < 0) {
        return Judgement.refuse(
            "Kubernetes cannot be downgraded (" + from.get() + " -> " + to.get() + ")");
      }
      if (to.get().major() != from.get().major() || to.get().minor() > from.get().minor() + 1) {
        return Judgement.refuse(
            "Kubernetes upgrades go one minor version at a time ("
                + from.get()
                + " -> "
                + to.get()
                + ")");
      }
      return Judgement.ALLOW;
    }
    if (p.startsWith("kubernetes.kubespray")) {
      return Judgement.ALLOW;
    }
    return Judgement.refuse(
        "an upgrade changes only kubernetes.version and the Kubespray release; apply other"
            + " changes separately");
  }

  private static boolean isRookPath(String path) {
    return path.equals("addons.rook") || path.startsWith("addons.rook.");
  }

  private static boolean rookEnabled(Topology topology) {
    return topology.spec().addons().rook().enabled().orElse(false);
  }

  private static Optional<String> nodeOf(String path, String cluster) {
    Matcher m = INSTANCE.matcher(path);
    if (!m.find()) {
      return Optional.empty();
    }
    String role =
        switch (m.group(1)) {
          case "loadBalancer" -> NodeRole.LOAD_BALANCER.toString();
          case "master" -> NodeRole.MASTER.toString();
          default -> NodeRole.WORKER.toString();
        };
    return Optional.of(cluster + "-" + role + "-" + m.group(2));
  }

  private static Plan assemble(
      Topology current, Topology target, ApplyAction action, List<PlannedChange> changes) {
    List<NodePlan> nodes = new ArrayList<>();
    List<String> added = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    // each node's changes, grouped once (not one scan of every change per node)
    Map<String, List<PlannedChange>> changesOf = new HashMap<>();
    for (PlannedChange change : changes) {
      change
          .node()
          .ifPresent(n -> changesOf.computeIfAbsent(n, k -> new ArrayList<>()).add(change));
    }
    for (Node node : target.nodes()) {
      List<PlannedChange> own = List.copyOf(changesOf.getOrDefault(node.name(), List.of()));
      NodePlan.Action what;
      if (current.node(node.name()).isEmpty()) {
        what = NodePlan.Action.CREATE;
        added.add(node.name());
      } else {
        what = own.isEmpty() ? NodePlan.Action.UNCHANGED : NodePlan.Action.UPDATE;
      }
      nodes.add(new NodePlan(node.name(), node.role(), node.host(), what, own));
    }
    for (Node node : current.nodes()) {
      if (target.node(node.name()).isEmpty()) {
        removed.add(node.name());
        List<PlannedChange> own = List.copyOf(changesOf.getOrDefault(node.name(), List.of()));
        nodes.add(new NodePlan(node.name(), node.role(), node.host(), NodePlan.Action.REMOVE, own));
      }
    }
    boolean provision =
        !added.isEmpty()
            || !removed.isEmpty()
            || changes.stream()
                .anyMatch(c -> c.path().contains(".dataDisks[") || c.path().startsWith("hosts["));
    boolean nodesChanged = !added.isEmpty() || !removed.isEmpty();
    boolean loadBalancers =
        nodesChanged
            || changes.stream().anyMatch(c -> c.path().startsWith("cluster.nodes.loadBalancer"));
    List<Plan.InstallerStep> steps = new ArrayList<>();
    List<String> removedKubernetesNodes =
        removed.stream()
            .filter(n -> current.node(n).map(x -> x.role() != NodeRole.LOAD_BALANCER).orElse(false))
            .toList();
    List<String> addedKubernetesNodes =
        added.stream()
            .filter(n -> target.node(n).map(x -> x.role() != NodeRole.LOAD_BALANCER).orElse(false))
            .toList();
    List<String> everyKubernetesNode =
        target.nodes().stream()
            .filter(n -> n.role() != NodeRole.LOAD_BALANCER)
            .map(Node::name)
            .toList();
    switch (action) {
      case SCALE -> {
        if (!removedKubernetesNodes.isEmpty()) {
          steps.add(
              new Plan.InstallerStep(
                  KubernetesInstaller.Action.REMOVE_NODES, removedKubernetesNodes));
        }
        if (!addedKubernetesNodes.isEmpty()) {
          steps.add(
              new Plan.InstallerStep(KubernetesInstaller.Action.SCALE_UP, addedKubernetesNodes));
        } else if (!removedKubernetesNodes.isEmpty() && rookEnabled(target)) {
          // A scale-up reruns the addons itself; after a removal alone, Rook's counts follow.
          steps.add(new Plan.InstallerStep(KubernetesInstaller.Action.ADDONS, everyKubernetesNode));
        }
      }
      case UPGRADE -> {
        if (!changes.isEmpty()) {
          steps.add(
              new Plan.InstallerStep(KubernetesInstaller.Action.UPGRADE, everyKubernetesNode));
        }
      }
      case CREATE -> {
        boolean kubernetesChanges =
            changes.stream()
                .anyMatch(
                    c ->
                        c.path().contains(".labels.")
                            || c.path().contains(".taints[")
                            || (c.path().startsWith("addons") && !isRookPath(c.path()))
                            || c.path().startsWith("kubernetes"));
        // Rook's settings, and with Rook enabled the data disks it counts, need only the addon
        // rerun; a Kubernetes rerun (which reruns the addons after it) covers them too.
        boolean addonChanges =
            changes.stream()
                .anyMatch(
                    c ->
                        isRookPath(c.path())
                            || (rookEnabled(target) && c.path().contains(".dataDisks[")));
        if (kubernetesChanges) {
          steps.add(new Plan.InstallerStep(KubernetesInstaller.Action.CREATE, everyKubernetesNode));
        } else if (addonChanges) {
          steps.add(new Plan.InstallerStep(KubernetesInstaller.Action.ADDONS, everyKubernetesNode));
        }
      }
    }
    return new Plan(
        target.clusterName(), action, false, changes, nodes, steps, provision, loadBalancers);
  }
}
