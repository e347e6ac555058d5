package io.kubitect.libvirt.internal;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The contract on simulated hosts: libvirt's test driver, one private hypervisor per host. */
class SimulatedHostsContractIT extends ProvisionerContract {
  @Override
  String cluster() {
    return "ct-sim";
  }

  @Override
  String subnet() {
    return "10.233.0";
  }

  @Override
  String hostYaml() {
    return "    connection:\n      type: local\n";
  }

  @Override
  String imageSource() {
    return "https://example.invalid/never-downloaded.qcow2";
  }

  @Override
  boolean simulated() {
    return true;
  }

  @Override
  Settings settings() {
    return new Settings(
        Map.of(),
        true,
        Optional.of(tmp.resolve("hosts")),
        tmp.resolve("known_hosts"),
        4,
        8,
        Optional.empty(),
        Duration.ofSeconds(5),
        Duration.ofMillis(100),
        Optional.empty(),
        tmp.resolve("cache"),
        Duration.ZERO,
        tmp);
  }
}
