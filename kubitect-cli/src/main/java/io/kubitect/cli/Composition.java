package io.kubitect.cli;

import io.kubitect.core.Approval;
import io.kubitect.core.Kubitect;
import io.kubitect.core.KubitectListener;
import java.nio.file.Path;

/**
 * How the command line composes the SDK: which executors run, where state lives, who listens and
 * who approves. The one place that knows the concrete executor classes.
 *
 * <p>With {@code simulate}, every host is a simulated libvirt hypervisor (libvirt's test driver):
 * VMs, disks, networks and cloud-init are defined for real there, nothing boots, and the load
 * balancer and Kubespray steps write what they would use into the cluster directory instead of
 * reaching nodes.
 *
 * <p>{@code ~} is {@code $HOME} when it is set (as for every Unix tool), so a script that sets
 * {@code HOME} to isolate a run keeps the state, keys and caches there; the JVM's {@code user.home}
 * comes from the password database and ignores it.
 */
final class Composition {
  private Composition() {}

  /** The user's home directory: {@code $HOME} when set to an absolute path, else user.home. */
  static Path home() {
    String env = System.getenv("HOME");
    if (env != null && !env.isEmpty() && env.startsWith("/")) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"));
  }

  /**
   * The SDK for an apply or destroy: the default executors the class path provides (libvirt,
   * keepalived/HAProxy, Kubespray); on real hosts the provisioner waits until each node answers SSH
   * as the specification's user with the host key the SDK gave it and cloud-init has finished.
   */
  static Kubitect of(
      Path stateDirectory, boolean simulate, KubitectListener listener, Approval approval) {
    Kubitect.Builder builder =
        Kubitect.builder()
            .stateDirectory(stateDirectory)
            .home(home())
            .listener(listener)
            .approval(approval);
    if (simulate) {
      builder.simulatedHosts();
    }
    return builder.build();
  }

  /** The SDK for reading state only (list, export, plan): no executor is ever built. */
  static Kubitect reader(Path stateDirectory) {
    return Kubitect.builder()
        .withoutExecutors()
        .stateDirectory(stateDirectory)
        .home(home())
        .build();
  }
}
