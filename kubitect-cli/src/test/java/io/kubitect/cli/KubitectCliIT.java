package io.kubitect.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user runs it: a child JVM, its exit code and its output. */
class KubitectCliIT {
  @TempDir Path work;

  private CliProcess.Result run(String... args) throws IOException, InterruptedException {
    return new CliProcess(work).kubitect(Map.of(), args);
  }

  @Test
  void validateOfTheSeedExampleSucceedsWithItsWarning() throws Exception {
    CliProcess.Result r = run("validate", "--config", CliProcess.HA);
    assertThat(r.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(r.out())
        .contains("WARNING cluster.nodeTemplate.os.distro")
        .contains("ha.yaml is valid (1 warning(s))");
  }

  @Test
  void validateOfABrokenSpecListsEveryErrorAndExitsOne() throws Exception {
    Path config = work.resolve("broken.yaml");
    Files.writeString(
        config,
        """
        hosts:
          - name: h1
            connection:
              type: local
        cluster:
          name: Bad_Name
          network:
            cidr: 10.0.0.0/24
          nodes:
            master:
              instances:
                - id: 1
                  ip: 10.0.1.5
        """);
    CliProcess.Result r = run("validate", "--config", config.toString());
    assertThat(r.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(r.out())
        .contains("ERROR   cluster.name:")
        .contains("ERROR   cluster.nodes.master.instances[0].ip:")
        .contains("is invalid: 2 error(s)");
  }

  @Test
  void malformedYamlNamesLineAndColumn() throws Exception {
    Path config = work.resolve("typo.yaml");
    Files.writeString(config, "cluster:\n  name: x\n  netwrk: {}\n");
    CliProcess.Result r = run("validate", "--config", config.toString());
    assertThat(r.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(r.err()).contains("typo.yaml:3:3: cluster.netwrk: unknown key 'netwrk'");
    assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void wrongCommandLinesExitTwo() throws Exception {
    assertThat(run("validate").exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(run("frobnicate").exitCode()).isEqualTo(ExitCode.USAGE);
    CliProcess.Result r =
        run("apply", "--config", CliProcess.HA, "--action", "sideways", "--state", work.toString());
    assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(r.err()).contains("unknown action 'sideways'");
  }

  @Test
  void planOfANewClusterCreatesEveryNode() throws Exception {
    CliProcess.Result r =
        run("plan", "--config", CliProcess.HA, "--state", work.resolve("state").toString());
    assertThat(r.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(r.out())
        .contains("WARNING cluster.nodeTemplate.os.distro")
        .contains("Plan for cluster kubitect-ha (action create, new cluster)")
        .contains("+ kubitect-ha-worker-3 (worker on host5): create");
  }

  @Test
  void presetsAndEmptyClusterList() throws Exception {
    CliProcess.Result presets = run("list", "presets");
    assertThat(presets.out()).contains("- ha").contains("- single-node");
    CliProcess.Result preset = run("export", "preset", "--name", "ha");
    assertThat(preset.out()).isEqualTo(Files.readString(Path.of(CliProcess.HA)) + "\n");
    CliProcess.Result clusters =
        run("list", "clusters", "--state", work.resolve("none").toString());
    assertThat(clusters.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(clusters.out()).contains("No clusters initialized yet.");
    CliProcess.Result missing =
        run("export", "config", "--cluster", "nope", "--state", work.toString());
    assertThat(missing.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(missing.err()).contains("cluster nope has no applied configuration");
  }

  @Test
  void theMainJobAppliesTheSeedOnSimulatedHostsThenListsExportsAndDestroys() throws Exception {
    String state = work.resolve("state").toString();
    CliProcess.Result apply =
        run("apply", "--config", CliProcess.HA, "--simulate", "--auto-approve", "--state", state);
    assertThat(apply.exitCode()).as(apply.out() + apply.err()).isEqualTo(ExitCode.OK);
    assertThat(apply.err()).doesNotContain("DEBUG");
    assertThat(apply.out())
        .contains("Cluster kubitect-ha (simulated hosts)")
        .contains("API:         10.10.13.200:6443")
        .contains("haproxy.cfg and keepalived.conf for 2 load balancer(s)")
        .contains("kubitect-ha-worker-3");

    CliProcess.Result again =
        run("apply", "--config", CliProcess.HA, "--simulate", "--auto-approve", "--state", state);
    assertThat(again.out()).contains("No changes.").contains("-> no changes");

    assertThat(run("list", "clusters", "--state", state).out())
        .contains("  - kubitect-ha (applied, simulated)");

    // a new process cannot know simulated domains: skipped with the reason, nothing failed
    CliProcess.Result status = run("status", "--cluster", "kubitect-ha", "--state", state);
    assertThat(status.exitCode()).as(status.out() + status.err()).isEqualTo(ExitCode.OK);
    assertThat(status.out())
        .contains("Cluster kubitect-ha (simulated hosts): healthy")
        .contains("hypervisor skipped (simulated hosts live only in the provisioner")
        .contains("kubitect-ha-lb-1")
        .contains("ssh skipped (simulated hosts boot nothing)");
    CliProcess.Result json =
        run("status", "--cluster", "kubitect-ha", "--state", state, "--output", "json");
    assertThat(json.exitCode()).isEqualTo(ExitCode.OK);
    com.fasterxml.jackson.databind.JsonNode tree =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out());
    assertThat(tree.get("healthy").asBoolean()).isTrue();
    assertThat(tree.get("simulated").asBoolean()).isTrue();
    assertThat(tree.get("nodes")).hasSize(8);
    assertThat(tree.get("nodes").get(0).get("ssh").get("state").asText()).isEqualTo("SKIPPED");
    assertThat(run("status", "--cluster", "../x", "--state", state).exitCode())
        .isEqualTo(ExitCode.USAGE);
    assertThat(run("status", "--cluster", "kubitect-ha", "-o", "yaml", "--state", state).exitCode())
        .isEqualTo(ExitCode.USAGE);
    CliProcess.Result drill =
        run("drill", "--cluster", "kubitect-ha", "--auto-approve", "--state", state);
    assertThat(drill.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(drill.err())
        .contains(
            "error: cluster kubitect-ha lives on simulated hosts, where nothing runs; nothing was"
                + " stopped");
    assertThat(run("drill", "--cluster", "kubitect-ha", "--state", state).exitCode())
        .as("no terminal, no --auto-approve")
        .isEqualTo(ExitCode.ABORTED);
    assertThat(
            run(
                    "drill",
                    "--cluster",
                    "kubitect-ha",
                    "--take-over-timeout",
                    "-5",
                    "--auto-approve",
                    "--state",
                    state)
                .exitCode())
        .isEqualTo(ExitCode.USAGE);
    CliProcess.Result missing = run("status", "--cluster", "nothing-here", "--state", state);
    assertThat(missing.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(missing.err())
        .contains("cluster nothing-here has no applied configuration")
        .doesNotContain("\tat ");
    assertThat(run("export", "config", "--cluster", "kubitect-ha", "--state", state).out())
        .contains("virtualRouterId: 51");

    CliProcess.Result refused = run("destroy", "--cluster", "kubitect-ha", "--state", state);
    assertThat(refused.exitCode()).isEqualTo(ExitCode.ABORTED);
    assertThat(refused.out()).contains("rerun with --auto-approve");

    CliProcess.Result destroy =
        run(
            "destroy",
            "--cluster",
            "kubitect-ha",
            "--simulate",
            "--auto-approve",
            "--state",
            state);
    assertThat(destroy.exitCode()).as(destroy.out() + destroy.err()).isEqualTo(ExitCode.OK);
    assertThat(run("list", "clusters", "--state", state).out()).contains("No clusters");
  }

  @Test
  void debugLogsEverythingWithTimesOnStderrAndLeavesStdoutAlone() throws Exception {
    String state = work.resolve("state").toString();
    CliProcess.Result apply =
        run(
            "apply",
            "--config",
            CliProcess.HA,
            "--simulate",
            "--auto-approve",
            "--debug",
            "--state",
            state);
    assertThat(apply.exitCode()).as(apply.out() + apply.err()).isEqualTo(ExitCode.OK);
    assertThat(apply.err())
        .containsPattern("(?m)^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\[.+\\] DEBUG io\\.kubitect\\.");
    assertThat(apply.out())
        .doesNotContain("DEBUG")
        .contains("Cluster kubitect-ha (simulated hosts)");

    CliProcess.Result destroy =
        run("--debug", "destroy", "--cluster", "kubitect-ha", "--auto-approve", "--state", state);
    assertThat(destroy.exitCode()).as(destroy.out() + destroy.err()).isEqualTo(ExitCode.OK);
    assertThat(destroy.err()).contains(" DEBUG ");
  }
}
