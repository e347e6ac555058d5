package io.kubitect.core.spi;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Supplies default executors to {@code Kubitect.builder().build()} through {@link
 * java.util.ServiceLoader}: a module registers one in {@code
 * META-INF/services/io.kubitect.core.spi.ExecutorProvider}, so putting the libvirt and Kubespray
 * jars on the class path is all the composition an application needs. Each method returns empty
 * when the module has no executor of that kind.
 */
public interface ExecutorProvider {

  /**
   * What a default executor is built for.
   *
   * @param home the directory {@code ~} stands for (known_hosts, image and tool caches)
   * @param simulatedHosts whether hosts are simulated (nothing boots, nothing is reached over SSH)
   * @param checkRenderedArtifacts on simulated hosts, have the real tools check what the executors
   *     render instead of sending ({@code haproxy -c}, {@code ansible-inventory}); a missing tool
   *     is then an error
   */
  record Context(Path home, boolean simulatedHosts, boolean checkRenderedArtifacts) {}

  /** A provisioner, configured for {@code context}. */
  default Optional<InfrastructureProvisioner> provisioner(Context context) {
    return Optional.empty();
  }

  /** A load-balancer configurator. */
  default Optional<LoadBalancerConfigurator> loadBalancers(Context context) {
    return Optional.empty();
  }

  /** A Kubernetes installer. */
  default Optional<KubernetesInstaller> installer(Context context) {
    return Optional.empty();
  }
}
