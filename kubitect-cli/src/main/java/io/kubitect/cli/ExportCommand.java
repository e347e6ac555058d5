package io.kubitect.cli;

import io.kubitect.core.picture.TopologyPicture;
import io.kubitect.model.ConfigFormat;
import io.kubitect.model.KubitectException;
import io.kubitect.model.KubitectYaml;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kubitect export config|kubeconfig|preset|topology}: prints a file to stdout. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = "Prints a cluster's configuration, kubeconfig or topology picture, or a preset.",
    subcommands = {
      ExportCommand.Config.class,
      ExportCommand.Kubeconfig.class,
      ExportCommand.Preset.class,
      ExportCommand.Topology.class
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

    @Option(
        names = "--format",
        paramLabel = "kubitect|sdk",
        converter = FormatConverter.class,
        completionCandidates = FormatConverter.Names.class,
        description =
            "kubitect (default): Kubitect's current schema, which Kubitect reads; what only the"
                + " SDK has is named in a comment at the top. sdk: the SDK's own form, everything"
                + " kept (the pinned Kubespray release too).")
    ConfigFormat format = ConfigFormat.KUBITECT;

    @Mixin StateOptions state = new StateOptions();

    @Override
    public void run() {
      spec.commandLine()
          .getOut()
          .print(Composition.reader(state.directory()).exportConfig(cluster, format));
    }
  }

  /** {@code kubitect} or {@code sdk}; anything else is a wrong command line (exit 2). */
  static final class FormatConverter implements CommandLine.ITypeConverter<ConfigFormat> {
    @Override
    public ConfigFormat convert(String value) {
      return switch (value) {
        case "kubitect" -> ConfigFormat.KUBITECT;
        case "sdk" -> ConfigFormat.SDK;
        default ->
            throw new CommandLine.TypeConversionException(
                "unknown format " + Presets.shown(value) + "; formats: kubitect, sdk");
      };
    }

    /** The values shell completion offers. */
    static final class Names implements Iterable<String> {
      @Override
      public java.util.Iterator<String> iterator() {
        return java.util.List.of("kubitect", "sdk").iterator();
      }
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
  static final class Preset implements Callable<Integer> {
    @Spec CommandSpec spec = CommandSpec.create();

    @Option(
        names = "--name",
        required = true,
        paramLabel = "NAME",
        completionCandidates = PresetNames.class)
    String name = "";

    /** The values shell completion offers. */
    static final class PresetNames implements Iterable<String> {
      @Override
      public java.util.Iterator<String> iterator() {
        return Presets.NAMES.iterator();
      }
    }

    /** The preset and a newline, as Kubitect prints it; an unknown name is a wrong command line. */
    @Override
    public Integer call() {
      String text;
      try {
        text = Presets.text(name);
      } catch (KubitectException e) {
        spec.commandLine().getErr().println("error: " + e.getMessage());
        return ExitCode.USAGE;
      }
      spec.commandLine().getOut().print(text + "\n");
      return ExitCode.OK;
    }
  }

  @Command(
      name = "topology",
      mixinStandardHelpOptions = true,
      description =
          "An SVG picture of the hosts, their VMs, the virtual IP, the network and the failure"
              + " domains, of a configuration file or of an applied cluster.")
  static final class Topology implements Runnable {
    @Spec CommandSpec spec = CommandSpec.create();

    @ArgGroup(multiplicity = "1")
    Source source = new Source();

    static final class Source {
      @Option(
          names = {"-c", "--config"},
          paramLabel = "FILE",
          description = "Kubitect configuration (YAML).")
      @Nullable Path config;

      @Option(
          names = "--cluster",
          paramLabel = "NAME",
          converter = ClusterNameConverter.class,
          description = "An applied cluster.")
      @Nullable String cluster;
    }

    @Mixin StateOptions state = new StateOptions();

    @Override
    public void run() {
      Path config = source.config;
      String svg =
          config != null
              ? TopologyPicture.svg(KubitectYaml.read(config))
              : Composition.reader(state.directory())
                  .topologyPicture(Objects.requireNonNull(source.cluster));
      spec.commandLine().getOut().print(svg);
    }
  }
}
