package io.kubitect.core;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Registered in META-INF/services for {@code KubitectTest}'s discovery test. */
public final class DiscoveredProvisioner implements InfrastructureProvisioner {
  /** Counts applies across instances, so the test can see this class was used. */
  static final AtomicInteger APPLIES = new AtomicInteger();

  @Override
  public InfrastructureStatus apply(
      Topology topology, ClusterCredentials credentials, ApplyListener listener) {
    APPLIES.incrementAndGet();
    return new InfrastructureStatus(List.of(), true, 0);
  }

  @Override
  public void destroy(Topology topology, ApplyListener listener) {}

  @Override
  public void close() {}
}
