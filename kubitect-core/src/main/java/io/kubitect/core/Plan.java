package io.kubitect.core;

import io.kubitect.core.spi.KubernetesInstaller;
import io.kubitect.core.spi.Topology;
import io.kubitect.model.ClusterSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What an apply will do, computed by {@link Planner} before anything is touched: every change
 * judged, what happens to every node, whether hosts and load balancers are worked on, and which
 * Kubernetes installer runs on which nodes.
 */
public final class Plan {
  private final String cluster;
  private final ApplyAction action;
  private final boolean newCluster;
  private final List<PlannedChange> changes;
  private final List<NodePlan> nodes;
  private final List<InstallerStep> installerSteps;
  private final boolean provision;
  private final boolean configureLoadBalancers;
  private final List<Violation> warnings;
  private final @Nullable ClusterSpec spec;
  private final @Nullable Topology topology;
  private final @Nullable Path clusterDirectory;
  private final String stateFingerprint;

  /**
   * One run of the Kubernetes installer.
   *
   * @param nodes the nodes it concerns (every node for CREATE and UPGRADE)
   */
  public record InstallerStep(KubernetesInstaller.Action action, List<String> nodes) {
    /** Copies the list so the record stays immutable. */
    public InstallerStep {
      nodes = List.copyOf(nodes);
    }
  }

  Plan(
      String cluster,
      ApplyAction action,
      boolean newCluster,
      List<PlannedChange> changes,
      List<NodePlan> nodes,
      List<InstallerStep> installerSteps,
      boolean provision,
      boolean configureLoadBalancers) {
    this(
        cluster,
        action,
        newCluster,
        changes,
        nodes,
        installerSteps,
        provision,
        configureLoadBalancers,
        List.of(),
        null,
        null,
        null,
        "");
  }

  private Plan(
      String cluster,
      ApplyAction action,
      boolean newCluster,
      List<PlannedChange> changes,
      List<NodePlan> nodes,
      List<InstallerStep> installerSteps,
      boolean provision,
      boolean configureLoadBalancers,
      List<Violation> warnings,
      @Nullable ClusterSpec spec,
      @Nullable Topology topology,
      @Nullable Path clusterDirectory,
      String stateFingerprint) {
    this.cluster = cluster;
    this.action = action;
    this.newCluster = newCluster;
    this.changes = List.copyOf(changes);
    this.nodes = List.copyOf(nodes);
    this.installerSteps = List.copyOf(installerSteps);
    this.provision = provision;
    this.configureLoadBalancers = configureLoadBalancers;
    this.warnings = List.copyOf(warnings);
    this.spec = spec;
    this.topology = topology;
    this.clusterDirectory = clusterDirectory;
    this.stateFingerprint = stateFingerprint;
  }

  /**
   * This plan as the facade hands it out: with the specification it was made for, the validator's
   * warnings, and the cluster directory and recorded state it was made against.
   */
  Plan withContext(
      ClusterSpec spec,
      Topology topology,
      List<Violation> specWarnings,
      Path clusterDirectory,
      String fingerprint) {
    return new Plan(
        cluster,
        action,
        newCluster,
        changes,
        nodes,
        installerSteps,
        provision,
        configureLoadBalancers,
        specWarnings,
        spec,
        topology,
        clusterDirectory,
        fingerprint);
  }

  /** The specification this plan applies, as the caller wrote it. */
  public ClusterSpec spec() {
    if (spec == null) {
      throw new IllegalStateException("a plan made outside Kubitect.plan has no specification");
    }
    return spec;
  }

  /** The specification's topology, resolved once when the plan was made. */
  Topology topology() {
    return Objects.requireNonNull(topology, "plan made outside Kubitect.plan");
  }

  /** The cluster directory the plan was made against. */
  Path clusterDirectory() {
    return Objects.requireNonNull(clusterDirectory, "plan made outside Kubitect.plan");
  }

  /** A digest of the recorded state the plan was made against. */
  String stateFingerprint() {
    return stateFingerprint;
  }

  /**
   * The validator's warnings about the specification (errors stop the plan): values accepted but
   * worth a look, such as an addon value that looks like a template and will not be expanded.
   */
  public List<Violation> warnings() {
    return warnings;
  }

  /** The cluster name. */
  public String cluster() {
    return cluster;
  }

  /** The action the plan was made for. */
  public ApplyAction action() {
    return action;
  }

  /** Whether nothing was applied before. */
  public boolean isNewCluster() {
    return newCluster;
  }

  /** Every judged change, in path order. */
  public List<PlannedChange> changes() {
    return changes;
  }

  /** Every node of the applied and the desired specification. */
  public List<NodePlan> nodes() {
    return nodes;
  }

  /** The Kubernetes installer runs, in order. */
  public List<InstallerStep> installerSteps() {
    return installerSteps;
  }

  /** Whether the provisioner has work (nodes, disks or pools change). */
  public boolean provisions() {
    return provision;
  }

  /** Whether the load balancers are (re)configured. */
  public boolean configuresLoadBalancers() {
    return configureLoadBalancers;
  }

  /** Whether there is anything to do. */
  public boolean hasChanges() {
    return newCluster || !changes.isEmpty();
  }

  /** Whether a change is refused: then nothing may be applied. */
  public boolean isRefused() {
    return !refused().isEmpty();
  }

  /** The refused changes. */
  public List<PlannedChange> refused() {
    return changes.stream().filter(c -> c.verdict() == Verdict.REFUSED).toList();
  }

  /** The dangerous changes, which need confirmation. */
  public List<PlannedChange> dangerous() {
    return changes.stream().filter(c -> c.verdict() == Verdict.DANGEROUS).toList();
  }

  /** A readable account of the plan, one line per item. */
  public String render() {
    List<String> lines = new ArrayList<>();
    lines.add(
        "Plan for cluster "
            + cluster
            + " (action "
            + action.toString().toLowerCase(Locale.ROOT)
            + (newCluster ? ", new cluster" : "")
            + ")");
    if (!hasChanges()) {
      lines.add("  No changes.");
      return String.join("\n", lines) + "\n";
    }
    lines.add("Nodes:");
    for (NodePlan node : nodes) {
      String mark =
          switch (node.action()) {
            case CREATE -> "+";
            case REMOVE -> "-";
            case UPDATE -> "~";
            case UNCHANGED -> " ";
          };
      lines.add(
          "  "
              + mark
              + " "
              + node.name()
              + " ("
              + node.role()
              + " on "
              + node.host()
              + "): "
              + node.action().toString().toLowerCase(Locale.ROOT));
      if (node.action() == NodePlan.Action.UPDATE) {
        node.changes().forEach(c -> lines.add("      " + c));
      }
    }
    List<PlannedChange> other = changes.stream().filter(c -> c.node().isEmpty()).toList();
    if (!other.isEmpty()) {
      lines.add("Cluster and hosts:");
      other.forEach(c -> lines.add("  " + c));
    }
    lines.add("Hosts: " + (provision ? "provision" : "no change"));
    lines.add("Load balancers: " + (configureLoadBalancers ? "configure" : "no change"));
    if (installerSteps.isEmpty()) {
      lines.add("Kubernetes: no change");
    }
    for (InstallerStep step : installerSteps) {
      lines.add(
          "Kubernetes: "
              + step.action().toString().toLowerCase(Locale.ROOT).replace('_', ' ')
              + " on "
              + String.join(", ", step.nodes()));
    }
    if (isRefused()) {
      lines.add("Refused (nothing will be applied):");
      refused().forEach(c -> lines.add("  " + c.path() + ": " + c.reason()));
    }
    if (!dangerous().isEmpty()) {
      lines.add("Dangerous (confirm to continue):");
      dangerous().forEach(c -> lines.add("  " + c.path() + ": " + c.reason()));
    }
    return String.join("\n", lines) + "\n";
  }

  @Override
  public String toString() {
    return render();
  }
}
