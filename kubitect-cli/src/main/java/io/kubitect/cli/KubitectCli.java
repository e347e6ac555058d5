package io.kubitect.cli;

import io.kubitect.core.ChangeRefusedException;
import io.kubitect.core.ValidationException;
import io.kubitect.model.KubitectException;
import io.kubitect.model.SpecFormatException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

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
      StatusCommand.class,
      DrillCommand.class,
      ExportCommand.class,
      ListCommand.class,
      CompletionCommand.class,
      CommandLine.HelpCommand.class
    })
public final class KubitectCli {
  @Option(
      names = "--debug",
      scope = ScopeType.INHERIT,
      description =
          "Full logs (DEBUG, with times) on stderr, and the stack trace of an unexpected error.")
  boolean debug;

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
    int code = commandLine(new KubitectCli(), out, err).execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /** The command line of {@code app}, with its streams, exit codes and error handling. */
  static CommandLine commandLine(KubitectCli app, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(app);
    cli.setOut(out);
    cli.setErr(err);
    cli.setExitCodeExceptionMapper(KubitectCli::exitCode);
    // --debug is known once the whole line is parsed, before any command (and any logger) runs.
    cli.setExecutionStrategy(
        parseResult -> {
          if (app.debug) {
            Logging.debug();
          }
          return new CommandLine.RunLast().execute(parseResult);
        });
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) ->
            failed(e, commandLine.getErr(), app.debug || debugEnvironment()));
    cli.getCommandSpec().exitCodeOnUsageHelp(ExitCode.OK);
    return cli;
  }

  /**
   * One line for an exception a command ended with; for an unexpected one (a bug of ours or an
   * environment nobody foresaw) the stack trace too when {@code trace}.
   */
  static int failed(Exception e, PrintWriter err, boolean trace) {
    if (e instanceof KubitectException) {
      err.println("error: " + e.getMessage());
      return exitCode(e);
    }
    err.println(
        "error: unexpected "
            + e.getClass().getSimpleName()
            + ": "
            + e.getMessage()
            + (trace ? "" : " (rerun with --debug for the stack trace and full logs)"));
    if (trace) {
      e.printStackTrace(err);
    }
    return ExitCode.FAILED;
  }

  /** {@code KUBITECT_DEBUG=1}: the stack trace of an unexpected error, without the logs. */
  private static boolean debugEnvironment() {
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
