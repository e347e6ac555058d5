package io.kubitect.examples.cli;

import io.kubitect.core.ChangeRefusedException;
import io.kubitect.core.ValidationException;
import io.kubitect.model.KubitectException;
import io.kubitect.model.SpecFormatException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code kubitect} command. */
@Command(
    name = "kubitect",
    mixinStandardHelpOptions = true,
    versionProvider = KubitectCli.Version.class,
    description = "Provision highly available Kubernetes clusters on libvirt hosts.",
    subcommands = {
      ApplyCommand.class,
      PlanCommand.class,
      ValidateCommand.class,
      DestroyCommand.class,
      ExportCommand.class,
      ListCommand.class,
      CommandLine.HelpCommand.class
    })
public final class KubitectCli {

  /** Runs the command line and exits with its {@link ExitCode}. */
  public static void main(String[] args) {
    System.exit(
        run(
            args,
            new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true),
            new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true)));
  }

  /** Runs the command line with the given streams and returns the exit code (for tests). */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new KubitectCli());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExitCodeExceptionMapper(KubitectCli::exitCode);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          if (e instanceof KubitectException) {
            commandLine.getErr().println("error: " + e.getMessage());
            return exitCode(e);
          }
          // A bug of ours or an environment nobody foresaw: still one line, the trace on demand.
          commandLine
              .getErr()
              .println(
                  "error: unexpected "
                      + e.getClass().getSimpleName()
                      + ": "
                      + e.getMessage()
                      + (debug() ? "" : " (set KUBITECT_DEBUG=1 for the stack trace)"));
          if (debug()) {
            e.printStackTrace(commandLine.getErr());
          }
          return ExitCode.FAILED;
        });
    cli.getCommandSpec().exitCodeOnUsageHelp(ExitCode.OK);
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  private static boolean debug() {
    return "1".equals(System.getenv("KUBITECT_DEBUG"));
  }

  private static int exitCode(Throwable e) {
    if (e instanceof ChangeRefusedException refused && refused.declined()) {
      return ExitCode.ABORTED;
    }
    if (e instanceof SpecFormatException
        || e instanceof ValidationException
        || e instanceof ChangeRefusedException) {
      return ExitCode.INVALID;
    }
    if (e instanceof CommandLine.ParameterException) {
      return ExitCode.USAGE;
    }
    return ExitCode.FAILED;
  }

  /** Prints the SDK version from the jar manifest, or the development marker. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = KubitectCli.class.getPackage().getImplementationVersion();
      return new String[] {
        "kubitect for Java " + (version == null ? "(development build)" : version)
      };
    }
  }
}
