package io.kubitect.core;

import io.kubitect.core.spi.KubernetesInstaller;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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
        List.of());
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
      List<Violation> warnings) {
    this.cluster = cluster;
    this.action = action;
    this.newCluster = newCluster;
    this.changes = List.copyOf(changes);
    this.nodes = List.copyOf(nodes);
    this.installerSteps = List.copyOf(installerSteps);
    this.provision = provision;
    this.configureLoadBalancers = configureLoadBalancers;
    this.warnings = List.copyOf(warnings);
  }

  /** This plan with the validator's warnings about the specification it was made for. */
  Plan withWarnings(List<Violation> specWarnings) {
    return new Plan(
        cluster,
        action,
        newCluster,
        changes,
        nodes,
        installerSteps,
        provision,
        configureLoadBalancers,
        specWarnings);
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
