package io.kubitect.cli;

import io.kubitect.core.ApplyAction;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The configuration file and action shared by {@code apply} and {@code plan}. */
final class ConfigOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec command = CommandSpec.create();

  @Option(
      names = {"-c", "--config"},
      required = true,
      paramLabel = "FILE",
      description = "Kubitect configuration (YAML).")
  Path config = Path.of("");

  @Option(
      names = {"-a", "--action"},
      paramLabel = "ACTION",
      description = "create (default), scale or upgrade.")
  String action = "create";

  ApplyAction action() {
    return switch (action.toLowerCase(Locale.ROOT)) {
      case "create", "" -> ApplyAction.CREATE;
      case "scale" -> ApplyAction.SCALE;
      case "upgrade" -> ApplyAction.UPGRADE;
      default ->
          throw new CommandLine.ParameterException(
              command.commandLine(),
              "unknown action '" + action + "': use create, scale or upgrade");
    };
  }
}
