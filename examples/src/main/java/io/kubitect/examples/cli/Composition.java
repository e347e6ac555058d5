package io.kubitect.examples.cli;

import io.kubitect.core.Approval;
import io.kubitect.core.Kubitect;
import io.kubitect.core.loadbalancer.KeepalivedHaproxyConfigurator;
import io.kubitect.core.spi.StepListener;
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
 *
 * <p>{@code ~} is {@code $HOME} when it is set (as for every Unix tool), so a script that sets
 * {@code HOME} to isolate a run keeps the state, keys and caches there; the JVM's {@code user.home}
 * comes from the password database and ignores it.
 */
final class Composition implements AutoCloseable {
  private final Kubitect kubitect;
  private final LibvirtProvisioner provisioner;

  private Composition(Kubitect kubitect, LibvirtProvisioner provisioner) {
    this.kubitect = kubitect;
    this.provisioner = provisioner;
  }

  Kubitect kubitect() {
    return kubitect;
  }

  /** Closes the provisioner and with it every hypervisor connection. */
  @Override
  public void close() {
    provisioner.close();
  }

  /** The user's home directory: {@code $HOME} when set to an absolute path, else user.home. */
  static Path home() {
    String env = System.getenv("HOME");
    if (env != null && !env.isEmpty() && env.startsWith("/")) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"));
  }

  static Composition of(
      Path stateDirectory, boolean simulate, StepListener listener, Approval approval) {
    return of(stateDirectory, simulate, listener, approval, SpecDefaults.USER);
  }

  /**
   * The SDK for an apply: on real hosts, the provisioner waits until each node answers SSH as
   * {@code nodeUser} with the host key the SDK gave it and cloud-init has finished.
   */
  static Composition of(
      Path stateDirectory,
      boolean simulate,
      StepListener listener,
      Approval approval,
      String nodeUser) {
    Path home = home();
    LibvirtProvisioner.Builder builder =
        LibvirtProvisioner.builder()
            .home(home)
            .knownHosts(home.resolve(".ssh").resolve("known_hosts"))
            .imageCache(home.resolve(".cache").resolve("kubitect").resolve("images"));
    if (simulate) {
      builder.simulated();
    } else {
      builder.readinessProbe(new SshReadinessProbe(nodeUser));
    }
    LibvirtProvisioner provisioner = builder.build();
    Kubitect kubitect =
        Kubitect.builder()
            .provisioner(provisioner)
            .loadBalancers(new KeepalivedHaproxyConfigurator())
            .installer(KubesprayInstaller.builder().build())
            .stateDirectory(stateDirectory)
            .home(home)
            .listener(listener)
            .approval(approval)
            .build();
    return new Composition(kubitect, provisioner);
  }

  /** The SDK for reading state only (list, export): no executor is ever called. */
  static Kubitect reader(Path stateDirectory) {
    return Kubitect.builder().stateDirectory(stateDirectory).home(home()).build();
  }
}
