package io.kubitect.cli;

import io.kubitect.core.Approval;
import io.kubitect.core.ClusterSummary;
import io.kubitect.core.Kubitect;
import io.kubitect.core.ProvisioningRecord;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kubitect destroy}: removes a cluster's VMs on every host, then its state. The cluster's
 * recorded provisioning decides between simulated and real hosts; {@code --simulate} on a cluster
 * provisioned on real hosts is refused (it would forget the keys of VMs that keep running).
 */
@Command(
    name = "destroy",
    mixinStandardHelpOptions = true,
    description = "Removes everything a cluster owns on its hosts, then its state directory.")
final class DestroyCommand implements Callable<Integer> {
  @Spec CommandSpec spec = CommandSpec.create();

  @Option(
      names = "--cluster",
      required = true,
      paramLabel = "NAME",
      converter = ClusterNameConverter.class,
      description = "Cluster name.")
  String cluster = "";

  @Option(names = "--auto-approve", description = "Do not ask for confirmation.")
  boolean autoApprove;

  @Option(
      names = "--simulate",
      description =
          "Expect a cluster applied with --simulate (optional: the recorded mode is used anyway).")
  boolean simulate;

  @Option(
      names = "--force",
      description =
          "When no configuration of the damaged state can be read, remove the state anyway (its"
              + " VMs may remain on the hosts it names).")
  boolean force;

  @Mixin StateOptions state = new StateOptions();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    boolean terminal = Terminal.isInteractive();
    ClusterSummary summary = Composition.reader(state.directory()).summary(cluster);
    Optional<ProvisioningRecord> record = summary.provisioning();
    if (simulate && record.isPresent() && !record.get().simulated()) {
      spec.commandLine()
          .getErr()
          .println(
              "error: cluster "
                  + cluster
                  + " was provisioned on "
                  + record.get().describe()
                  + ": --simulate would leave its VMs running and forget their keys; nothing was"
                  + " destroyed");
      return ExitCode.INVALID;
    }
    boolean simulated = record.map(ProvisioningRecord::simulated).orElse(simulate);
    out.println(
        "Cluster \""
            + cluster
            + "\" will be destroyed"
            + record.map(r -> " (provisioned on " + r.describe() + ")").orElse("")
            + ".");
    summary.problem().ifPresent(p -> out.println("Warning: " + p));
    if (!autoApprove && !Prompt.confirm(out, terminal, "Would you like to continue?")) {
      out.println("Nothing was destroyed.");
      return ExitCode.ABORTED;
    }
    try (Kubitect kubitect =
        Composition.of(
            state.directory(), simulated, new ProgressPrinter(out, terminal), Approval.AUTO)) {
      kubitect.destroy(cluster, force);
    }
    out.println("Cluster \"" + cluster + "\" has been destroyed.");
    return ExitCode.OK;
  }
}
