package io.kubitect.libvirt.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The operations the reconciler needs from one host's libvirt, each one libvirt API call (lookups
 * by name folded into the call that needs them). Reads return what exists; mutations change it.
 * Failures are {@link HypervisorException}s. Implementations are safe for concurrent use.
 */
interface Hypervisor extends AutoCloseable {

  /** The libvirt URI, for messages. */
  String uri();

  /** Whether volumes can be uploaded (libvirt's test driver cannot). Makes no call. */
  boolean canUpload();

  /** Whether the connection still works. Makes no call to the host. */
  boolean isAlive();

  // ---- reads

  String capabilities();

  /** Whether libvirt knows a host interface (a bridge) by this name; empty if it cannot tell. */
  Optional<Boolean> hasInterface(String name);

  Optional<NetworkState> network(String name);

  Optional<PoolState> pool(String name);

  List<String> volumeNames(String pool);

  /** Capacity (what the guest sees) and physical size (bytes on disk, -1 if unknown). */
  VolumeSizes volumeSizes(String pool, String volume);

  List<String> domainNames();

  Optional<DomainState> domain(String name);

  /** The names of the domains that run now (not paused, not shut off): one call for all. */
  List<String> runningDomainNames();

  /** A domain's state and libvirt's reason for it; empty when there is no such domain. */
  Optional<RunState> runState(String name);

  /** IPv4 addresses of a running domain's NICs, from DHCP leases or from the guest agent. */
  List<String> addresses(String domain, boolean fromAgent);

  // ---- mutations

  void defineNetwork(String xml);

  void startNetwork(String name);

  void autostartNetwork(String name);

  void stopNetwork(String name);

  void undefineNetwork(String name);

  void definePool(String xml);

  void buildPool(String name);

  void startPool(String name);

  void autostartPool(String name);

  void stopPool(String name);

  /** Deletes the pool's directory (the pool must be stopped and empty). */
  void deletePool(String name);

  void undefinePool(String name);

  void createVolume(String pool, String xml);

  /** Streams {@code source} into an existing volume. */
  void upload(String pool, String volume, Source source);

  void resizeVolume(String pool, String volume, long bytes);

  void deleteVolume(String pool, String volume);

  void defineDomain(String xml);

  void startDomain(String name);

  void autostartDomain(String name);

  /** Stops a running domain at once (libvirt's "destroy"). */
  void stopDomain(String name);

  void undefineDomain(String name);

  /**
   * Hands a host that cannot upload ({@link #canUpload} false: the test driver) the files of a
   * cloud-init seed volume it created empty, so that they can be shown as they went into the ISO.
   * Makes no libvirt call; hosts that upload ignore it.
   */
  default void keepSeedFiles(String pool, String volume, Map<String, byte[]> files) {}

  @Override
  void close();

  /** Bytes to upload: a length and a way to read them. */
  interface Source {
    long length();

    InputStream open() throws IOException;
  }

  /** A network as libvirt defines it. */
  record NetworkState(String name, String uuid, String xml, boolean active, boolean autostart) {}

  /** A storage pool as libvirt defines it. */
  record PoolState(String name, String xml, boolean active, boolean autostart) {}

  /** Sizes of a volume. */
  record VolumeSizes(long capacity, long physical) {}

  /** A domain as libvirt defines it. */
  record DomainState(String name, String xml, boolean active, boolean autostart) {}
}
