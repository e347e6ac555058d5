package io.kubitect.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import io.kubitect.core.Approval;
import io.kubitect.core.ClusterHealth;
import io.kubitect.core.ClusterHealth.Check;
import io.kubitect.core.ClusterHealth.NodeHealth;
import io.kubitect.core.ClusterSummary;
import io.kubitect.core.Kubitect;
import io.kubitect.core.ProvisioningRecord;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kubitect status}: the cluster's live health ({@link Kubitect#status}), one line per host
 * and node, or JSON. Exits {@link ExitCode#OK} when no check failed and {@link ExitCode#UNHEALTHY}
 * otherwise. The cluster's recorded provisioning decides between simulated and real hosts, as for
 * destroy.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description =
        "Checks a cluster's hosts, VMs, SSH, load balancers and API server without changing"
            + " anything. Exit code 0: healthy; 5: a check failed.")
final class StatusCommand implements Callable<Integer> {
  /** How the status is printed. */
  enum Output {
    text,
    json
  }

  @Spec CommandSpec spec = CommandSpec.create();

  @Option(
      names = "--cluster",
      required = true,
      paramLabel = "NAME",
      converter = ClusterNameConverter.class,
      description = "Cluster name.")
  String cluster = "";

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "text (one line per host and node) or json. Default: ${DEFAULT-VALUE}.")
  Output output = Output.text;

  @Mixin StateOptions state = new StateOptions();

  @Override
  public Integer call() throws JsonProcessingException {
    PrintWriter out = spec.commandLine().getOut();
    ClusterSummary summary = Composition.reader(state.directory()).summary(cluster);
    boolean simulated = summary.provisioning().map(ProvisioningRecord::simulated).orElse(false);
    ClusterHealth health;
    try (Kubitect kubitect =
        Composition.of(state.directory(), simulated, event -> {}, Approval.AUTO)) {
      health = kubitect.status(cluster);
    }
    if (output == Output.json) {
      out.println(json(health));
    } else {
      text(health).forEach(out::println);
    }
    return health.healthy() ? ExitCode.OK : ExitCode.UNHEALTHY;
  }

  static String json(ClusterHealth health) throws JsonProcessingException {
    ObjectMapper mapper =
        new ObjectMapper()
            .registerModule(new Jdk8Module())
            .registerModule(
                new SimpleModule().addSerializer(Instant.class, ToStringSerializer.instance))
            .enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = mapper.createObjectNode();
    root.put("cluster", health.cluster());
    root.put("healthy", health.healthy());
    root.set("problems", mapper.valueToTree(health.problems()));
    ObjectNode all = mapper.valueToTree(health);
    all.remove("cluster");
    root.setAll(all);
    return mapper.writeValueAsString(root);
  }

  static List<String> text(ClusterHealth health) {
    List<String> lines = new ArrayList<>();
    lines.add(
        "Cluster "
            + health.cluster()
            + (health.simulated() ? " (simulated hosts)" : "")
            + ": "
            + (health.healthy() ? "healthy" : health.problems().size() + " problem(s)"));
    int width = 4;
    for (NodeHealth node : health.nodes()) {
      width = Math.max(width, node.name().length());
    }
    for (ClusterHealth.HostHealth host : health.hosts()) {
      lines.add(
          String.format(
              "  host  %-" + width + "s  hypervisor %s", host.name(), show(host.hypervisor())));
    }
    for (NodeHealth node : health.nodes()) {
      StringBuilder line =
          new StringBuilder(
              String.format(
                  "  node  %-" + width + "s  %-6s %-8s %-15s domain %s, ssh %s",
                  node.name(),
                  node.role(),
                  node.host(),
                  node.ip().orElse("-"),
                  show(node.domain()),
                  show(node.ssh())));
      node.loadBalancer().ifPresent(lb -> line.append(", load balancer ").append(show(lb.check())));
      node.apiServer().ifPresent(api -> line.append(", API ").append(show(api)));
      lines.add(line.toString());
    }
    lines.add("  virtual IP: " + show(health.virtualIp()));
    lines.add("  API through " + health.apiEndpoint().orElse("-") + ": " + show(health.api()));
    for (String problem : health.problems()) {
      lines.add("  problem: " + problem);
    }
    return lines;
  }

  private static String show(Check check) {
    return switch (check.state()) {
      case OK -> "ok (" + check.detail() + ")";
      case FAILED -> "FAILED (" + check.detail() + ")";
      case SKIPPED -> "skipped (" + check.detail() + ")";
    };
  }
}
