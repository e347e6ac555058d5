package io.kubitect.examples.cli;

import io.kubitect.core.ApplyListener;
import io.kubitect.core.Approval;
import io.kubitect.core.Kubitect;
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
      Kubitect kubitect =
          Composition.kubitect(state.directory(), false, ApplyListener.NONE, Approval.SAFE_ONLY);
      List<String> names = kubitect.clusters();
      if (names.isEmpty()) {
        out.println("No clusters initialized yet. Run 'kubitect apply' to create the cluster.");
        return;
      }
      out.println("Clusters:");
      for (String name : names) {
        String status =
            kubitect
                .cluster(name)
                .map(c -> c.simulated() ? "applied, simulated" : "applied")
                .orElse("not applied");
        out.println("  - " + name + " (" + status + ")");
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
