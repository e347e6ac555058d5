package io.kubitect.cli;

import io.kubitect.core.AppliedCluster;
import io.kubitect.core.ApplyAction;
import io.kubitect.core.Approval;
import io.kubitect.core.Kubitect;
import io.kubitect.core.NodeStatus;
import io.kubitect.core.Plan;
import io.kubitect.model.ClusterSpec;
import io.kubitect.model.KubitectYaml;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kubitect apply}: validate, plan, confirm, then provision and install. */
@Command(
    name = "apply",
    mixinStandardHelpOptions = true,
    description = "Creates, scales or upgrades a cluster to match a configuration.")
final class ApplyCommand implements Callable<Integer> {
  @Spec CommandSpec spec = CommandSpec.create();

  @Mixin ConfigOptions options = new ConfigOptions();

  @Option(
      names = "--auto-approve",
      description = "Apply dangerous changes without asking (needed when stdin is not a terminal).")
  boolean autoApprove;

  @Option(
      names = "--simulate",
      description = "Simulated hosts: every host is an in-memory libvirt, nothing boots.")
  boolean simulate;

  @Mixin StateOptions state = new StateOptions();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    ApplyAction applyAction = options.action();
    ClusterSpec cluster = KubitectYaml.read(options.config);
    boolean terminal = Terminal.isInteractive();
    Approval approval = autoApprove ? Approval.AUTO : plan -> ask(plan, out, terminal);
    try (Kubitect kubitect =
        Composition.of(state.directory(), simulate, new ProgressPrinter(out, terminal), approval)) {
      return apply(kubitect, cluster, applyAction, out);
    }
  }

  private static int apply(
      Kubitect kubitect, ClusterSpec cluster, ApplyAction applyAction, PrintWriter out) {
    Plan plan = kubitect.plan(cluster, applyAction);
    ValidateCommand.printWarnings(out, plan);
    out.print(plan.render());
    out.flush();
    // Exactly what was shown: refused if another apply changed the cluster in between.
    AppliedCluster result = kubitect.apply(plan);
    out.println();
    out.println("Cluster " + result.name() + (result.simulated() ? " (simulated hosts)" : ""));
    out.println("  state:       " + result.stateDirectory());
    out.println("  API:         " + result.apiEndpoint().map(ip -> ip + ":6443").orElse("-"));
    out.println(
        "  kubeconfig:  " + result.kubeconfig().map(Path::toString).orElse("(not installed)"));
    for (NodeStatus node : result.nodes()) {
      out.printf(
          "  %-28s %-10s %-16s %s%n",
          node.name(),
          node.host(),
          node.ip().orElse("-"),
          node.ready() ? "ready" : result.simulated() ? "defined (simulated)" : "not ready");
    }
    return ExitCode.OK;
  }

  /** Kubitect's "Would you like to continue?" after the plan showed the dangerous changes. */
  static boolean ask(Plan plan, PrintWriter out, boolean terminal) {
    return Prompt.confirm(
        out,
        terminal,
        plan.dangerous().size() + " dangerous change(s) above. Would you like to continue?");
  }
}
