package io.kubitect.kubespray;

import io.kubitect.core.spi.KubernetesInstaller;
import io.kubitect.core.spi.StepListener;
import io.kubitect.core.spi.Topology;
import io.kubitect.model.KubernetesManager;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The default installer: Kubespray or k3s, as each request's {@code kubernetes.manager} says. */
final class ManagerDispatch implements KubernetesInstaller {
  private final KubernetesInstaller kubespray;
  private final KubernetesInstaller k3s;

  ManagerDispatch(KubernetesInstaller kubespray, KubernetesInstaller k3s) {
    this.kubespray = kubespray;
    this.k3s = k3s;
  }

  private KubernetesInstaller installer(Request request) {
    return installer(request.topology());
  }

  private KubernetesInstaller installer(Topology topology) {
    KubernetesManager manager =
        topology.spec().kubernetes().manager().orElse(KubernetesManager.KUBESPRAY);
    return switch (manager) {
      case KUBESPRAY -> kubespray;
      case K3S -> k3s;
    };
  }

  @Override
  public Optional<Path> install(Request request, StepListener listener) {
    return installer(request).install(request, listener);
  }

  @Override
  public List<String> missingTools(Topology topology) {
    return installer(topology).missingTools(topology);
  }

  @Override
  public String render(Request request) {
    return installer(request).render(request);
  }
}
