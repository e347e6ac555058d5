package io.kubitect.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import io.kubitect.core.Approval;
import io.kubitect.core.DrillOptions;
import io.kubitect.core.DrillReport;
import io.kubitect.core.Kubitect;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kubitect drill}: a failover drill ({@link Kubitect#drill}) after the user agreed. Exits
 * {@link ExitCode#OK} when the drill passed and {@link ExitCode#UNHEALTHY} when it ran and found a
 * problem; a drill refused before anything stopped (unhealthy cluster, one load balancer) exits
 * {@link ExitCode#FAILED} with the reason.
 */
@Command(
    name = "drill",
    mixinStandardHelpOptions = true,
    description =
        "Failover drill: stops keepalived and HAProxy on the load balancer holding the virtual IP,"
            + " measures how long the API is unreachable through it, then restores them. Exit"
            + " code 0: passed; 5: it found a problem.")
final class DrillCommand implements Callable<Integer> {
  @Spec CommandSpec spec = CommandSpec.create();

  @Option(
      names = "--cluster",
      required = true,
      paramLabel = "NAME",
      converter = ClusterNameConverter.class,
      description = "Cluster name.")
  String cluster = "";

  @Option(names = "--auto-approve", description = "Do not ask for confirmation.")
  boolean autoApprove;

  @Option(
      names = "--take-over-timeout",
      paramLabel = "SECONDS",
      description = "How long the backup may take to answer. Default: ${DEFAULT-VALUE}.")
  int takeOverSeconds = 60;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "text or json. Default: ${DEFAULT-VALUE}.")
  StatusCommand.Output output = StatusCommand.Output.text;

  @Mixin StateOptions state = new StateOptions();

  @Override
  public Integer call() throws JsonProcessingException {
    PrintWriter out = spec.commandLine().getOut();
    if (takeOverSeconds < 1 || takeOverSeconds > 3600) {
      spec.commandLine()
          .getErr()
          .println("error: --take-over-timeout must be 1 to 3600 seconds, was " + takeOverSeconds);
      return ExitCode.USAGE;
    }
    out.println(
        "The drill stops keepalived and HAProxy on the load balancer of cluster \""
            + cluster
            + "\" that holds the virtual IP, then starts them again.");
    if (!autoApprove
        && !Prompt.confirm(out, Terminal.isInteractive(), "Would you like to continue?")) {
      out.println("Nothing was stopped.");
      return ExitCode.ABORTED;
    }
    DrillReport report;
    try (Kubitect kubitect = Composition.of(state.directory(), false, event -> {}, Approval.AUTO)) {
      report =
          kubitect.drill(
              cluster,
              DrillOptions.defaults().withTakeOverTimeout(Duration.ofSeconds(takeOverSeconds)));
    }
    if (output == StatusCommand.Output.json) {
      ObjectMapper mapper =
          new ObjectMapper()
              .registerModule(new Jdk8Module())
              .enable(SerializationFeature.INDENT_OUTPUT);
      ObjectNode root = mapper.valueToTree(report);
      root.put("passed", report.passed());
      root.put("longestGapMillis", report.longestGap().toMillis());
      root.put("restoreGapMillis", report.restoreGap().toMillis());
      root.remove("longestGap");
      root.remove("restoreGap");
      out.println(mapper.writeValueAsString(root));
    } else {
      report.steps().forEach(s -> out.println("  " + s));
      out.println(
          "Drill "
              + (report.passed() ? "passed" : "found " + report.problems().size() + " problem(s)")
              + ": "
              + report.takenOverBy().map(b -> b + " took over").orElse("no take-over")
              + ", longest gap "
              + report.longestGap().toMillis()
              + " ms ("
              + report.unanswered()
              + " of "
              + report.requests()
              + " requests unanswered), at most "
              + report.mostHoldersAtOnce()
              + " holder(s) at once.");
      report.problems().forEach(p -> out.println("  problem: " + p));
    }
    return report.passed() ? ExitCode.OK : ExitCode.UNHEALTHY;
  }
}
