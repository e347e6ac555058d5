package io.kubitect.cli;

import io.kubitect.core.Plan;
import io.kubitect.core.Preflight;
import io.kubitect.core.SpecValidator;
import io.kubitect.core.ValidationReport;
import io.kubitect.core.Violation;
import io.kubitect.model.ClusterSpec;
import io.kubitect.model.KubitectYaml;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kubitect validate}: every violation of a configuration, with its path. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Checks a configuration and prints every violation with its path.",
      "Exits 1 when there is an error, 0 when there are only warnings."
    })
final class ValidateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-c", "--config"},
      required = true,
      paramLabel = "FILE",
      description = "Kubitect configuration (YAML).")
  Path config;

  @Option(
      names = "--preflight",
      description = "Also check the environment: key files, local image sources.")
  boolean preflight;

  ValidateCommand() {
    this.spec = CommandSpec.create();
    this.config = Path.of("");
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    ClusterSpec cluster = KubitectYaml.read(config);
    ValidationReport report = SpecValidator.validate(cluster);
    print(out, report);
    if (preflight && !report.hasErrors()) {
      ValidationReport environment = Preflight.check(cluster, Composition.home());
      print(out, environment);
      report = environment.hasErrors() ? environment : report;
    }
    long errors = report.errors().size();
    long warnings = report.warnings().size();
    if (report.hasErrors()) {
      out.printf("%s is invalid: %d error(s), %d warning(s)%n", config, errors, warnings);
      return ExitCode.INVALID;
    }
    out.printf("%s is valid (%d warning(s))%n", config, warnings);
    return ExitCode.OK;
  }

  /**
   * Prints a plan's specification warnings (apply and plan), so nothing the validator noticed is
   * silent; errors stop the plan itself.
   */
  static void printWarnings(PrintWriter out, Plan plan) {
    for (Violation v : plan.warnings()) {
      out.printf("%-7s %s: %s%n", v.severity(), v.path(), v.message());
    }
  }

  private static void print(PrintWriter out, ValidationReport report) {
    for (Violation v : report.violations()) {
      out.printf("%-7s %s: %s%n", v.severity(), v.path(), v.message());
    }
  }
}
