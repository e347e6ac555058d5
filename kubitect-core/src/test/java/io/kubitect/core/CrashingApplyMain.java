package io.kubitect.core;

import io.kubitect.core.spi.ClusterCredentials;
import io.kubitect.core.spi.InfrastructureProvisioner;
import io.kubitect.core.spi.InfrastructureStatus;
import io.kubitect.core.spi.StepListener;
import io.kubitect.core.spi.Topology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Run in a child JVM by {@link KubitectCrashIT}: applies the test cluster with a provisioner that,
 * once it has reported progress, writes a marker and hangs until the parent kills the JVM.
 * Arguments: state directory, home directory, marker file.
 */
public final class CrashingApplyMain {
  private CrashingApplyMain() {}

  public static void main(String[] args) throws Exception {
    Path marker = Path.of(args[2]);
    InfrastructureProvisioner hanging =
        new InfrastructureProvisioner() {
          @Override
          public InfrastructureStatus apply(
              Topology topology, ClusterCredentials credentials, StepListener listener) {
            try {
              Files.writeString(marker, "provisioning");
              Thread.sleep(120_000);
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
            return new InfrastructureStatus(List.of(), false, 0);
          }

          @Override
          public void destroy(Topology topology, StepListener listener) {}

          @Override
          public void close() {}
        };
    Kubitect.builder()
        .provisioner(hanging)
        .installer((request, listener) -> Optional.empty())
        .withoutLoadBalancers()
        .stateDirectory(Path.of(args[0]))
        .home(Path.of(args[1]))
        .build()
        .apply(Specs.valid(), ApplyAction.CREATE);
  }
}
