package io.kubitect.libvirt;

import io.kubitect.core.spi.ExecutorProvider;
import io.kubitect.core.spi.InfrastructureProvisioner;
import io.kubitect.core.ssh.SshReadinessProbe;
import java.util.Optional;

/**
 * Makes libvirt the default provisioner of {@code Kubitect.builder()}: on real hosts it waits until
 * every node answers SSH as the specification's user with the host key the SDK gave it and
 * cloud-init has finished; with simulated hosts nothing boots. Known hosts, for hosts reached over
 * {@code qemu+ssh}, are {@code ~/.ssh/known_hosts}; base images are cached in {@code
 * ~/.cache/kubitect/images}.
 */
public final class LibvirtExecutors implements ExecutorProvider {
  @Override
  public Optional<InfrastructureProvisioner> provisioner(Context context) {
    LibvirtProvisioner.Builder builder =
        LibvirtProvisioner.builder()
            .home(context.home())
            .knownHosts(context.home().resolve(".ssh").resolve("known_hosts"))
            .imageCache(context.home().resolve(".cache").resolve("kubitect").resolve("images"));
    if (context.simulatedHosts()) {
      builder.simulated();
    } else {
      builder.readinessProbe(new SshReadinessProbe());
    }
    return Optional.of(builder.build());
  }
}
