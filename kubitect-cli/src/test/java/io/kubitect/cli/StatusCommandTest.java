package io.kubitect.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubitect.core.ClusterHealth;
import io.kubitect.core.ClusterHealth.Check;
import io.kubitect.core.ClusterHealth.HostHealth;
import io.kubitect.core.ClusterHealth.LoadBalancerHealth;
import io.kubitect.core.ClusterHealth.NodeHealth;
import io.kubitect.core.ClusterHealth.Vrrp;
import io.kubitect.core.NodeRole;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How {@code kubitect status} prints a cluster with a dead host: every failure on its line. */
class StatusCommandTest {
  private static final ClusterHealth UNHEALTHY =
      new ClusterHealth(
          "k8s",
          Instant.parse("2026-11-30T12:00:00Z"),
          false,
          Optional.of("10.0.0.100"),
          List.of(
              new HostHealth("h1", Check.ok("answers")),
              new HostHealth("h2", Check.failed("cannot connect to qemu+ssh://h2/system"))),
          List.of(
              new NodeHealth(
                  "k8s-lb-1",
                  NodeRole.LOAD_BALANCER,
                  "h1",
                  Optional.of("10.0.0.5"),
                  Check.ok("running"),
                  Check.ok("answers"),
                  Optional.of(
                      new LoadBalancerHealth(
                          Vrrp.MASTER,
                          true,
                          Map.of("k8s-master-1", "UP", "k8s-master-2", "DOWN"),
                          Check.failed("HAProxy sees k8s-master-2 DOWN"))),
                  Optional.empty()),
              new NodeHealth(
                  "k8s-master-2",
                  NodeRole.MASTER,
                  "h2",
                  Optional.of("10.0.0.11"),
                  Check.failed("host h2 does not answer"),
                  Check.failed("cannot connect to k8s@10.0.0.11:22"),
                  Optional.empty(),
                  Optional.of(Check.failed("https://10.0.0.11:6443/readyz: connect timed out")))),
          Check.ok("10.0.0.100 held by k8s-lb-1"),
          Check.ok("https://10.0.0.100:6443/readyz answers 200"));

  @Test
  void textHasOneLinePerHostAndNodeAndListsEveryProblem() {
    List<String> lines = StatusCommand.text(UNHEALTHY);
    assertThat(lines.get(0)).isEqualTo("Cluster k8s: 5 problem(s)");
    assertThat(lines)
        .anySatisfy(l -> assertThat(l).startsWith("  host  h2").contains("hypervisor FAILED ("))
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith("  node  k8s-master-2")
                    .contains("domain FAILED (host h2 does not answer)")
                    .contains("API FAILED ("))
        .anySatisfy(
            l -> assertThat(l).contains("load balancer FAILED (HAProxy sees k8s-master-2 DOWN)"))
        .contains("  problem: k8s-lb-1: load balancer: HAProxy sees k8s-master-2 DOWN");
    assertThat(lines).filteredOn(l -> l.startsWith("  node ")).hasSize(2);
  }

  @Test
  void jsonCarriesTheVerdictTheProblemsAndTypedValues() throws Exception {
    JsonNode tree = new ObjectMapper().readTree(StatusCommand.json(UNHEALTHY));
    assertThat(tree.get("cluster").asText()).isEqualTo("k8s");
    assertThat(tree.get("healthy").asBoolean()).isFalse();
    assertThat(tree.get("problems")).hasSize(5);
    assertThat(tree.get("checkedAt").asText()).isEqualTo("2026-11-30T12:00:00Z");
    assertThat(tree.get("apiEndpoint").asText()).isEqualTo("10.0.0.100");
    JsonNode lb = tree.get("nodes").get(0).get("loadBalancer");
    assertThat(lb.get("vrrp").asText()).isEqualTo("MASTER");
    assertThat(lb.get("backends").get("k8s-master-2").asText()).isEqualTo("DOWN");
    assertThat(tree.get("nodes").get(0).get("apiServer").isNull()).isTrue();
    assertThat(tree.get("nodes").get(1).get("ssh").get("state").asText()).isEqualTo("FAILED");
  }
}
