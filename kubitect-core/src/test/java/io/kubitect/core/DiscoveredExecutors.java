package io.kubitect.core;

import io.kubitect.core.spi.ExecutorProvider;
import io.kubitect.core.spi.InfrastructureProvisioner;
import java.util.Optional;

/** Registered in META-INF/services: core's tests discover {@link DiscoveredProvisioner}. */
public final class DiscoveredExecutors implements ExecutorProvider {
  @Override
  public Optional<InfrastructureProvisioner> provisioner(Context context) {
    return Optional.of(new DiscoveredProvisioner());
  }
}
