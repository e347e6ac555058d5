package io.kubitect.examples.cli;

import io.kubitect.core.ApplyListener;
import io.kubitect.core.Approval;
import io.kubitect.core.Kubitect;
import io.kubitect.core.loadbalancer.KeepalivedHaproxyConfigurator;
import io.kubitect.core.ssh.SshReadinessProbe;
import io.kubitect.kubespray.KubesprayInstaller;
import io.kubitect.libvirt.LibvirtProvisioner;
import io.kubitect.model.SpecDefaults;
import java.nio.file.Path;

/**
 * How the command line composes the SDK: which executors run, where state lives, who listens and
 * who approves. The one place that knows the concrete executor classes.
 *
 * <p>With {@code simulate}, every host is a simulated libvirt hypervisor (libvirt's test driver):
 * VMs, disks, networks and cloud-init are defined for real there, nothing boots, and the load
 * balancer and Kubespray steps write what they would use into the cluster directory instead of
 * reaching nodes.
 */
final class Composition {
  private Composition() {}

  static Kubitect kubitect(
      Path stateDirectory, boolean simulate, ApplyListener listener, Approval approval) {
    return kubitect(stateDirectory, simulate, listener, approval, SpecDefaults.USER);
  }

  /**
   * The SDK for an apply: on real hosts, the provisioner waits until each node answers SSH as
   * {@code nodeUser} with the host key the SDK gave it and cloud-init has finished.
   */
  static Kubitect kubitect(
      Path stateDirectory,
      boolean simulate,
      ApplyListener listener,
      Approval approval,
      String nodeUser) {
    LibvirtProvisioner.Builder provisioner = LibvirtProvisioner.builder();
    if (simulate) {
      provisioner.simulated();
    } else {
      provisioner.readinessProbe(new SshReadinessProbe(nodeUser));
    }
    return Kubitect.builder()
        .provisioner(provisioner.build())
        .loadBalancers(new KeepalivedHaproxyConfigurator())
        .installer(KubesprayInstaller.builder().build())
        .stateDirectory(stateDirectory)
        .listener(listener)
        .approval(approval)
        .build();
  }
}
