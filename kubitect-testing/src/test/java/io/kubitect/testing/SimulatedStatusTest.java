package io.kubitect.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubitect.core.AppliedCluster;
import io.kubitect.core.ClusterHealth;
import io.kubitect.core.ClusterHealth.State;
import io.kubitect.core.Kubitect;
import io.kubitect.core.NodeRole;
import io.kubitect.model.KubitectException;
import java.nio.file.Path;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Kubitect#status} of a cluster on simulated hosts: the provisioner that applied it answers
 * for its (simulated) hypervisors and domains; nothing else is reached, and a Kubitect that cannot
 * know the cluster's domains says so instead of guessing.
 */
@KubitectTest(spec = SpecFixtures.HA)
class SimulatedStatusTest {

  @Test
  void everyDomainRunsAndNodeChecksAreSkippedWithTheReason(
      Kubitect kubitect, AppliedCluster cluster) {
    ClusterHealth health = kubitect.status(cluster.name());

    assertThat(health.cluster()).isEqualTo(cluster.name());
    assertThat(health.simulated()).isTrue();
    assertThat(health.healthy()).as("problems: %s", health.problems()).isTrue();
    assertThat(health.hosts())
        .isNotEmpty()
        .allSatisfy(h -> assertThat(h.hypervisor().state()).isEqualTo(State.OK));
    assertThat(health.nodes()).hasSize(cluster.nodes().size());
    assertThat(health.nodes())
        .allSatisfy(
            n -> {
              assertThat(n.domain()).isEqualTo(ClusterHealth.Check.ok("running"));
              assertThat(n.ssh())
                  .isEqualTo(ClusterHealth.Check.skipped("simulated hosts boot nothing"));
              assertThat(n.ip()).isPresent();
            });
    assertThat(health.nodes())
        .filteredOn(n -> n.role() == NodeRole.LOAD_BALANCER)
        .hasSize(2)
        .allSatisfy(
            n ->
                assertThat(n.loadBalancer().orElseThrow().check().state())
                    .isEqualTo(State.SKIPPED));
    assertThat(health.nodes())
        .filteredOn(n -> n.role() == NodeRole.MASTER)
        .allSatisfy(n -> assertThat(n.apiServer().orElseThrow().state()).isEqualTo(State.SKIPPED));
    assertThat(health.virtualIp().state()).isEqualTo(State.SKIPPED);
    assertThat(health.api().state()).isEqualTo(State.SKIPPED);
  }

  @Test
  void anotherSimulatedKubitectSaysItCannotKnowTheDomains(
      AppliedCluster cluster, @TempDir Path home) {
    try (Kubitect other =
        Kubitect.builder().simulatedHosts().home(home).stateDirectory(stateOf(cluster)).build()) {
      ClusterHealth health = other.status(cluster.name());
      assertThat(health.hosts())
          .allSatisfy(
              h -> {
                assertThat(h.hypervisor().state()).isEqualTo(State.SKIPPED);
                assertThat(h.hypervisor().detail())
                    .isEqualTo(
                        "simulated hosts live only in the provisioner that applied the cluster");
              });
      assertThat(health.nodes())
          .allSatisfy(n -> assertThat(n.domain().state()).isEqualTo(State.SKIPPED));
    }
  }

  /**
   * Network safety: the HA fixture's hosts have addresses outside this machine; a real provisioner
   * must not try to reach them for a cluster that lives on simulated hosts.
   */
  @Test
  void aRealProvisionerNeverReachesTheHostsOfASimulatedCluster(
      AppliedCluster cluster, @TempDir Path home) {
    try (Kubitect real = Kubitect.builder().home(home).stateDirectory(stateOf(cluster)).build()) {
      ClusterHealth health = real.status(cluster.name());
      assertThat(health.hosts())
          .allSatisfy(
              h ->
                  assertThat(h.hypervisor())
                      .isEqualTo(
                          ClusterHealth.Check.skipped(
                              "the cluster was provisioned on simulated hosts and this Kubitect"
                                  + " uses real ones")));
      assertThat(health.nodes())
          .allSatisfy(n -> assertThat(n.checks()).allMatch(c -> c.state() == State.SKIPPED));
    }
  }

  @Test
  void hostileNamesAreRefusedInOneLine(Kubitect kubitect) {
    for (String name : new String[] {"../x", "", "/etc", "a/../../b", "x".repeat(10_000)}) {
      assertThatThrownBy(() -> kubitect.status(name))
          .isInstanceOf(KubitectException.class)
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
    assertThatThrownBy(() -> kubitect.status("no-such-cluster"))
        .isInstanceOf(KubitectException.class)
        .hasMessageContaining("cluster no-such-cluster has no applied configuration");
  }

  private static Path stateOf(AppliedCluster cluster) {
    return Objects.requireNonNull(cluster.stateDirectory().getParent());
  }
}
