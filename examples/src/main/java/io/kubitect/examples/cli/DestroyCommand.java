package io.kubitect.examples.cli;

import io.kubitect.core.Approval;
import io.kubitect.core.Kubitect;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kubitect destroy}: removes a cluster's VMs on every host, then its state. */
@Command(
    name = "destroy",
    mixinStandardHelpOptions = true,
    description = "Removes everything a cluster owns on its hosts, then its state directory.")
final class DestroyCommand implements Callable<Integer> {
  @Spec CommandSpec spec = CommandSpec.create();

  @Option(names = "--cluster", required = true, paramLabel = "NAME", description = "Cluster name.")
  String cluster = "";

  @Option(names = "--auto-approve", description = "Do not ask for confirmation.")
  boolean autoApprove;

  @Option(
      names = "--simulate",
      description = "The cluster was applied with --simulate (simulated hosts).")
  boolean simulate;

  @Mixin StateOptions state = new StateOptions();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    boolean terminal = Terminal.isInteractive();
    Kubitect kubitect =
        Composition.kubitect(
            state.directory(), simulate, new ProgressPrinter(out, terminal), Approval.AUTO);
    out.println("Cluster \"" + cluster + "\" will be destroyed.");
    if (!autoApprove && !Prompt.confirm(out, terminal, "Would you like to continue?")) {
      out.println("Nothing was destroyed.");
      return ExitCode.ABORTED;
    }
    kubitect.destroy(cluster);
    out.println("Cluster \"" + cluster + "\" has been destroyed.");
    return ExitCode.OK;
  }
}
