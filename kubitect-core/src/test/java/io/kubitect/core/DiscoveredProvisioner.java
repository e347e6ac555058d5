package io.kubitect.core;

import io.kubitect.core.spi.ClusterCredentials;
import io.kubitect.core.spi.InfrastructureProvisioner;
import io.kubitect.core.spi.InfrastructureStatus;
import io.kubitect.core.spi.StepListener;
import io.kubitect.core.spi.Topology;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Supplied by {@link DiscoveredExecutors} for {@code KubitectTest}'s discovery test. */
public final class DiscoveredProvisioner implements InfrastructureProvisioner {
  /** Counts applies across instances, so the test can see this class was used. */
  static final AtomicInteger APPLIES = new AtomicInteger();

  @Override
  public InfrastructureStatus apply(
      Topology topology, ClusterCredentials credentials, StepListener listener) {
    APPLIES.incrementAndGet();
    return new InfrastructureStatus(List.of(), true, 0);
  }

  @Override
  public void destroy(Topology topology, StepListener listener) {}

  @Override
  public void close() {}
}
