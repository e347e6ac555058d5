package io.kubitect.core.loadbalancer;

import io.kubitect.core.spi.ExecutorProvider;
import io.kubitect.core.spi.LoadBalancerConfigurator;
import java.util.Optional;

/** Makes keepalived and HAProxy the default load balancers of {@code Kubitect.builder()}. */
public final class KeepalivedHaproxyProvider implements ExecutorProvider {
  @Override
  public Optional<LoadBalancerConfigurator> loadBalancers(Context context) {
    KeepalivedHaproxyConfigurator configurator = new KeepalivedHaproxyConfigurator();
    return Optional.of(
        context.checkRenderedArtifacts() ? configurator.checkingRenderedFiles() : configurator);
  }
}
