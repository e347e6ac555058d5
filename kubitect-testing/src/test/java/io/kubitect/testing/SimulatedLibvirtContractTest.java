package io.kubitect.testing;

import io.kubitect.core.spi.InfrastructureProvisioner;
import io.kubitect.libvirt.LibvirtProvisioner;
import io.kubitect.model.Connection;
import io.kubitect.model.ConnectionType;
import io.kubitect.model.Host;
import io.kubitect.model.HostSsh;
import java.time.Duration;
import java.util.List;

/**
 * The public contract run against the libvirt module's provisioner on simulated hosts (libvirt's
 * test driver), on two hosts: the local one and a remote one that is never reached. Every libvirt
 * call takes 1 ms more, so an interrupt lands between calls.
 */
class SimulatedLibvirtContractTest extends InfrastructureProvisionerContract {
  @Override
  protected InfrastructureProvisioner createProvisioner() {
    return LibvirtProvisioner.builder()
        .simulated()
        .home(workDirectory.resolve("home"))
        .knownHosts(workDirectory.resolve("known_hosts"))
        .imageCache(workDirectory.resolve("images"))
        .callDelay(Duration.ofMillis(1))
        .build();
  }

  @Override
  protected boolean simulated() {
    return true;
  }

  @Override
  protected List<Host> hosts() {
    return List.of(
        super.hosts().get(0),
        Host.builder()
            .name("h2")
            .connection(
                Connection.builder()
                    .type(ConnectionType.REMOTE)
                    .user("kubitect")
                    .ip("10.234.9.2")
                    .ssh(HostSsh.builder().keyfile("~/.ssh/id_ed25519").build())
                    .build())
            .mainResourcePoolPath(workDirectory.resolve("pools-h2").toString())
            .build());
  }
}
