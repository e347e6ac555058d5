package io.kubitect.cli;

import io.kubitect.model.KubitectException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kubitect export config|kubeconfig|preset}: prints a file to stdout. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = "Prints a cluster's configuration or kubeconfig, or a preset.",
    subcommands = {
      ExportCommand.Config.class,
      ExportCommand.Kubeconfig.class,
      ExportCommand.Preset.class
    })
final class ExportCommand {

  @Command(
      name = "config",
      aliases = "cfg",
      mixinStandardHelpOptions = true,
      description = "The last applied configuration, every default written out.")
  static final class Config implements Runnable {
    @Spec CommandSpec spec = CommandSpec.create();

    @Option(
        names = "--cluster",
        required = true,
        paramLabel = "NAME",
        converter = ClusterNameConverter.class)
    String cluster = "";

    @Mixin StateOptions state = new StateOptions();

    @Override
    public void run() {
      spec.commandLine()
          .getOut()
          .print(Composition.reader(state.directory()).exportConfig(cluster));
    }
  }

  @Command(
      name = "kubeconfig",
      aliases = {"kubecfg", "kc"},
      mixinStandardHelpOptions = true,
      description = "The cluster's kubeconfig.")
  static final class Kubeconfig implements Runnable {
    @Spec CommandSpec spec = CommandSpec.create();

    @Option(
        names = "--cluster",
        required = true,
        paramLabel = "NAME",
        converter = ClusterNameConverter.class)
    String cluster = "";

    @Mixin StateOptions state = new StateOptions();

    @Override
    public void run() {
      try {
        spec.commandLine()
            .getOut()
            .print(
                Files.readString(
                    Composition.reader(state.directory()).kubeconfig(cluster),
                    StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new KubitectException(
            "cannot read the kubeconfig of cluster " + cluster + ": " + e.getMessage(), e);
      }
    }
  }

  @Command(
      name = "preset",
      mixinStandardHelpOptions = true,
      description = "A shipped example configuration.")
  static final class Preset implements Runnable {
    @Spec CommandSpec spec = CommandSpec.create();

    @Option(names = "--name", required = true, paramLabel = "NAME")
    String name = "";

    @Override
    public void run() {
      spec.commandLine().getOut().print(Presets.text(name));
    }
  }
}
