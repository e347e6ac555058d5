package io.kubitect.kubespray;

import io.kubitect.core.spi.ExecutorProvider;
import io.kubitect.core.spi.KubernetesInstaller;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Makes this module the default Kubernetes installer of {@code Kubitect.builder()}: Kubespray, or
 * k3s when {@code kubernetes.manager} is {@code k3s}, with checkouts and virtualenvs cached in
 * {@code ~/.kubitect/cache}.
 */
public final class KubesprayExecutors implements ExecutorProvider {
  @Override
  public Optional<KubernetesInstaller> installer(Context context) {
    Path cache = context.home().resolve(".kubitect").resolve("cache");
    return Optional.of(
        new ManagerDispatch(
            KubesprayInstaller.builder()
                .cacheDirectory(cache)
                .checkRenderedInventory(context.checkRenderedArtifacts())
                .build(),
            K3sInstaller.builder()
                .cacheDirectory(cache)
                .checkRenderedInventory(context.checkRenderedArtifacts())
                .build()));
  }
}
