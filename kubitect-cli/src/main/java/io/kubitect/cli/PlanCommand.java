package io.kubitect.cli;

import io.kubitect.core.Plan;
import io.kubitect.model.ClusterSpec;
import io.kubitect.model.KubitectYaml;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code kubitect plan}: what an apply would do, touching nothing. */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description = {
      "Shows what apply would do, per node, and which changes are refused or dangerous.",
      "Exits 1 when a change is refused."
    })
final class PlanCommand implements Callable<Integer> {
  @Spec CommandSpec spec = CommandSpec.create();

  @Mixin ConfigOptions options = new ConfigOptions();

  @Mixin StateOptions state = new StateOptions();

  @Override
  public Integer call() {
    ClusterSpec cluster = KubitectYaml.read(options.config);
    Plan plan = Composition.reader(state.directory()).plan(cluster, options.action());
    ValidateCommand.printWarnings(spec.commandLine().getOut(), plan);
    spec.commandLine().getOut().print(plan.render());
    return plan.isRefused() ? ExitCode.INVALID : ExitCode.OK;
  }
}
