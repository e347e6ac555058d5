package io.kubitect.cli;

import io.kubitect.core.ClusterSummary;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code kubitect list clusters|presets}. */
@Command(
    name = "list",
    aliases = "ls",
    mixinStandardHelpOptions = true,
    description = "Lists clusters or presets.",
    subcommands = {ListCommand.Clusters.class, ListCommand.PresetNames.class})
final class ListCommand {

  @Command(name = "clusters", aliases = "cluster", mixinStandardHelpOptions = true)
  static final class Clusters implements Runnable {
    @Spec CommandSpec spec = CommandSpec.create();

    @Mixin StateOptions state = new StateOptions();

    @Override
    public void run() {
      PrintWriter out = spec.commandLine().getOut();
      List<ClusterSummary> clusters = Composition.reader(state.directory()).summaries();
      if (clusters.isEmpty()) {
        out.println("No clusters initialized yet. Run 'kubitect apply' to create the cluster.");
        return;
      }
      out.println("Clusters:");
      for (ClusterSummary cluster : clusters) {
        String status =
            switch (cluster.status()) {
              case APPLIED ->
                  cluster.provisioning().map(p -> p.simulated()).orElse(false)
                      ? "applied, simulated"
                      : "applied";
              case NOT_APPLIED -> "not applied";
              case DAMAGED -> "damaged: " + cluster.problem().orElse("?");
            };
        out.println("  - " + cluster.name() + " (" + status + ")");
      }
    }
  }

  @Command(name = "presets", aliases = "preset", mixinStandardHelpOptions = true)
  static final class PresetNames implements Runnable {
    @Spec CommandSpec spec = CommandSpec.create();

    @Override
    public void run() {
      PrintWriter out = spec.commandLine().getOut();
      out.println("Available presets:");
      Presets.NAMES.forEach(n -> out.println("- " + n));
    }
  }
}
