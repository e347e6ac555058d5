package io.kubitect.libvirt.internal;

import io.kubitect.core.spi.NodeReadinessProbe;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * How the provisioner works; built by {@code LibvirtProvisioner.Builder}. Not API.
 *
 * @param hostUris explicit libvirt URIs by host name, overriding what the specification implies
 * @param simulated hosts are libvirt's test driver, one private hypervisor per host
 * @param simulatedDir where the test driver's host files are kept; empty: each is written to the
 *     temporary directory for its connect only
 * @param knownHosts known_hosts file that {@code qemu+ssh} host keys are verified against
 * @param callsInFlightPerHost bound on concurrent libvirt calls per connection
 * @param hostsInParallel how many hosts are worked on (connected to, reconciled) at once; also the
 *     bound on the host worker threads of a run
 * @param probe readiness check of booted nodes; without one, readiness is not waited for
 * @param domainType {@code kvm} or {@code qemu}; empty: kvm when the host offers it
 * @param imageCache where downloaded OS images are kept
 * @param callDelay added to every libvirt call (benchmarks, tests)
 * @param connectDelay added to every new connection, before it opens (benchmarks, tests: the SSH
 *     handshake of a remote host)
 * @param home replaces {@code ~} in paths of the specification
 */
public record Settings(
    Map<String, String> hostUris,
    boolean simulated,
    Optional<Path> simulatedDir,
    Path knownHosts,
    int callsInFlightPerHost,
    int hostsInParallel,
    Optional<NodeReadinessProbe> probe,
    Duration readinessTimeout,
    Duration readinessInterval,
    Optional<String> domainType,
    Path imageCache,
    Duration callDelay,
    Duration connectDelay,
    Path home) {

  /** Copies the map and checks the bounds. */
  public Settings {
    hostUris = Map.copyOf(hostUris);
    if (callsInFlightPerHost < 1 || hostsInParallel < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1");
    }
    if (callDelay.isNegative() || connectDelay.isNegative()) {
      throw new IllegalArgumentException("a delay cannot be negative");
    }
    if (simulatedDir.isPresent() && !simulated) {
      throw new IllegalArgumentException("a directory for simulated hosts, but not simulated");
    }
  }

  /** The same without an injected connect delay. */
  public Settings(
      Map<String, String> hostUris,
      boolean simulated,
      Optional<Path> simulatedDir,
      Path knownHosts,
      int callsInFlightPerHost,
      int hostsInParallel,
      Optional<NodeReadinessProbe> probe,
      Duration readinessTimeout,
      Duration readinessInterval,
      Optional<String> domainType,
      Path imageCache,
      Duration callDelay,
      Path home) {
    this(
        hostUris,
        simulated,
        simulatedDir,
        knownHosts,
        callsInFlightPerHost,
        hostsInParallel,
        probe,
        readinessTimeout,
        readinessInterval,
        domainType,
        imageCache,
        callDelay,
        Duration.ZERO,
        home);
  }
}
