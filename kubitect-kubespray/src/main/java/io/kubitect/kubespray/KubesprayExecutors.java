package io.kubitect.kubespray;

import io.kubitect.core.spi.ExecutorProvider;
import io.kubitect.core.spi.KubernetesInstaller;
import java.util.Optional;

/**
 * Makes Kubespray the default Kubernetes installer of {@code Kubitect.builder()}, with its
 * checkouts and virtualenvs cached in {@code ~/.kubitect/cache}.
 */
public final class KubesprayExecutors implements ExecutorProvider {
  @Override
  public Optional<KubernetesInstaller> installer(Context context) {
    return Optional.of(
        KubesprayInstaller.builder()
            .cacheDirectory(context.home().resolve(".kubitect").resolve("cache"))
            .checkRenderedInventory(context.checkRenderedArtifacts())
            .build());
  }
}
