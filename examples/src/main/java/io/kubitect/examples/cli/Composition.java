package io.kubitect.examples.cli;

import io.kubitect.core.ApplyListener;
import io.kubitect.core.Approval;
import io.kubitect.core.Kubitect;
import io.kubitect.kubespray.KubesprayInstaller;
import io.kubitect.libvirt.LibvirtProvisioner;
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
    LibvirtProvisioner.Builder provisioner = LibvirtProvisioner.builder();
    if (simulate) {
      provisioner.simulated();
    }
    return Kubitect.builder()
        .provisioner(provisioner.build())
        .installer(KubesprayInstaller.builder().build())
        .stateDirectory(stateDirectory)
        .listener(listener)
        .approval(approval)
        .build();
  }
}
