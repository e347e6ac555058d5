package io.kubitect.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubitect.core.spi.ClusterCredentials;
import io.kubitect.core.spi.InfrastructureProvisioner;
import io.kubitect.core.spi.InfrastructureStatus;
import io.kubitect.core.spi.StepListener;
import io.kubitect.core.spi.Topology;
import io.kubitect.model.KubitectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code kill -9} of a child JVM in the middle of an apply: while it runs, a second apply
 * fails fast on the lock naming the child's pid; after the kill, the lock is gone with the process
 * and the next apply converges.
 */
class KubitectCrashIT {
  @TempDir Path state;
  @TempDir Path home;

  @Test
  void anApplyKilledMidwayIsFollowedByOneThatConverges() throws Exception {
    Path marker = state.resolve("marker");
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                CrashingApplyMain.class.getName(),
                state.toString(),
                home.toString(),
                marker.toString())
            .inheritIO()
            .start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!Files.exists(marker) && System.nanoTime() < deadline && child.isAlive()) {
        Thread.sleep(50);
      }
      assertThat(marker).as("the child reached provisioning").exists();

      List<String> provisioned = new ArrayList<>();
      Kubitect second =
          Kubitect.builder()
              .provisioner(recording(provisioned))
              .installer((request, listener) -> Optional.empty())
              .withoutLoadBalancers()
              .stateDirectory(state)
              .home(home)
              .build();
      assertThatThrownBy(() -> second.apply(Specs.valid(), ApplyAction.CREATE))
          .isInstanceOf(KubitectException.class)
          .hasMessageContaining("is busy: apply by pid " + child.pid());

      child.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

      AppliedCluster cluster = second.apply(Specs.valid(), ApplyAction.CREATE);
      assertThat(provisioned).containsExactly("k8s");
      assertThat(cluster.nodes()).hasSize(7);
      assertThat(second.plan(Specs.valid(), ApplyAction.CREATE).hasChanges()).isFalse();
    } finally {
      child.destroyForcibly();
    }
  }

  private static InfrastructureProvisioner recording(List<String> provisioned) {
    return new InfrastructureProvisioner() {
      @Override
      public InfrastructureStatus apply(
          Topology topology, ClusterCredentials credentials, StepListener listener) {
        provisioned.add(topology.clusterName());
        return new InfrastructureStatus(
            topology.nodes().stream()
                .map(
                    n ->
                        new NodeStatus(
                            n.name(),
                            n.host(),
                            n.ip(),
                            Optional.empty(),
                            ResourceChange.CREATED,
                            true,
                            Optional.empty()))
                .toList(),
            false,
            topology.nodes().size());
      }

      @Override
      public void destroy(Topology topology, StepListener listener) {}

      @Override
      public void close() {}
    };
  }
}
