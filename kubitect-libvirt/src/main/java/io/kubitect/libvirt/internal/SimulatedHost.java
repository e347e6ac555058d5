package io.kubitect.libvirt.internal;

import io.kubitect.model.Ipv4Network;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A simulated host: libvirt's test driver, and what the test driver lacks. Its VMs get addresses as
 * on a real host ({@link #addresses}: the DHCP lease of a NIC on a libvirt network, or what the
 * guest agent of a bridged VM would report, from {@link SimulatedDhcp}), and it keeps the files of
 * every cloud-init seed it was given ({@link #keepSeedFiles}), which the test driver cannot store
 * in a volume, until the volume is deleted. Every other operation is the test driver's.
 */
final class SimulatedHost implements Hypervisor {
  private final String host;
  private final Hypervisor driver;
  private final SimulatedDhcp dhcp;
  private final Map<String, Map<String, byte[]>> seeds = new ConcurrentHashMap<>();

  /** Host {@code host} of the specification, on the test driver's connection {@code driver}. */
  SimulatedHost(String host, Hypervisor driver, SimulatedDhcp dhcp) {
    this.host = host;
    this.driver = driver;
    this.dhcp = dhcp;
  }

  /** The test driver's connection, for reading what it holds without counting calls. */
  Hypervisor driver() {
    return driver;
  }

  /**
   * The IPv4 addresses of a running domain's NICs: for a NIC on a libvirt network, its {@code
   * <host>} reservation or its lease (from leases or from the guest agent alike); for a NIC on a
   * bridge, none from leases (libvirt serves no DHCP there) and, from the guest agent, the address
   * the LAN's DHCP server leased or the node's static one. A stopped domain fails as in libvirt.
   */
  @Override
  public List<String> addresses(String domain, boolean fromAgent) {
    DomainState state =
        driver
            .domain(domain)
            .orElseThrow(
                () ->
                    new HypervisorException(
                        "reading addresses of " + domain + " on " + uri() + " failed: no domain"));
    if (!state.active()) {
      throw new HypervisorException(
          "reading addresses of " + domain + " on " + uri() + " failed: domain is not running");
    }
    List<String> found = new ArrayList<>();
    for (DomainXml.Nic nic : DomainXml.nics(state.xml())) {
      if (nic.type().equals("network")) {
        Optional<NetworkState> network = driver.network(nic.source());
        if (network.isEmpty() || !network.get().active()) {
          continue;
        }
        Integer reserved = NetworkXml.dhcp(network.get().xml()).reservations().get(nic.mac());
        if (reserved != null) {
          found.add(Ipv4Network.format(reserved));
        } else {
          dhcp.address(SimulatedDhcp.networkSegment(host, nic.source()), nic.mac())
              .ifPresent(found::add);
        }
      } else if (nic.type().equals("bridge") && fromAgent) {
        dhcp.address(SimulatedDhcp.bridgeSegment(nic.source()), nic.mac()).ifPresent(found::add);
      }
    }
    return found;
  }

  /** Keeps the files of a seed volume (the test driver stores no content). */
  @Override
  public void keepSeedFiles(String pool, String volume, Map<String, byte[]> files) {
    Map<String, byte[]> copy = new LinkedHashMap<>();
    files.forEach((name, bytes) -> copy.put(name, bytes.clone()));
    seeds.put(pool + "/" + volume, copy);
  }

  /** The files of a seed volume, as they went into its ISO; empty when none were kept. */
  Optional<Map<String, byte[]>> seedFiles(String pool, String volume) {
    return Optional.ofNullable(seeds.get(pool + "/" + volume));
  }

  @Override
  public void deleteVolume(String pool, String volume) {
    driver.deleteVolume(pool, volume);
    seeds.remove(pool + "/" + volume);
  }

  @Override
  public String uri() {
    return driver.uri();
  }

  @Override
  public boolean canUpload() {
    return driver.canUpload();
  }

  @Override
  public boolean isAlive() {
    return driver.isAlive();
  }

  @Override
  public String capabilities() {
    return driver.capabilities();
  }

  @Override
  public Optional<Boolean> hasInterface(String name) {
    return driver.hasInterface(name);
  }

  @Override
  public Optional<NetworkState> network(String name) {
    return driver.network(name);
  }

  @Override
  public Optional<PoolState> pool(String name) {
    return driver.pool(name);
  }

  @Override
  public List<String> volumeNames(String pool) {
    return driver.volumeNames(pool);
  }

  @Override
  public VolumeSizes volumeSizes(String pool, String volume) {
    return driver.volumeSizes(pool, volume);
  }

  @Override
  public List<String> domainNames() {
    return driver.domainNames();
  }

  @Override
  public Optional<DomainState> domain(String name) {
    return driver.domain(name);
  }

  @Override
  public List<String> runningDomainNames() {
    return driver.runningDomainNames();
  }

  @Override
  public Optional<RunState> runState(String name) {
    return driver.runState(name);
  }

  @Override
  public void defineNetwork(String xml) {
    driver.defineNetwork(xml);
  }

  @Override
  public void startNetwork(String name) {
    driver.startNetwork(name);
  }

  @Override
  public void autostartNetwork(String name) {
    driver.autostartNetwork(name);
  }

  @Override
  public void stopNetwork(String name) {
    driver.stopNetwork(name);
  }

  @Override
  public void undefineNetwork(String name) {
    driver.undefineNetwork(name);
  }

  @Override
  public void definePool(String xml) {
    driver.definePool(xml);
  }

  @Override
  public void buildPool(String name) {
    driver.buildPool(name);
  }

  @Override
  public void startPool(String name) {
    driver.startPool(name);
  }

  @Override
  public void autostartPool(String name) {
    driver.autostartPool(name);
  }

  @Override
  public void stopPool(String name) {
    driver.stopPool(name);
  }

  @Override
  public void deletePool(String name) {
    driver.deletePool(name);
  }

  @Override
  public void undefinePool(String name) {
    driver.undefinePool(name);
  }

  @Override
  public void createVolume(String pool, String xml) {
    driver.createVolume(pool, xml);
  }

  @Override
  public void upload(String pool, String volume, Source source) {
    driver.upload(pool, volume, source);
  }

  @Override
  public void resizeVolume(String pool, String volume, long bytes) {
    driver.resizeVolume(pool, volume, bytes);
  }

  @Override
  public void defineDomain(String xml) {
    driver.defineDomain(xml);
  }

  @Override
  public void startDomain(String name) {
    driver.startDomain(name);
  }

  @Override
  public void autostartDomain(String name) {
    driver.autostartDomain(name);
  }

  @Override
  public void stopDomain(String name) {
    driver.stopDomain(name);
  }

  @Override
  public void undefineDomain(String name) {
    driver.undefineDomain(name);
  }

  @Override
  public void close() {
    driver.close();
  }
}
