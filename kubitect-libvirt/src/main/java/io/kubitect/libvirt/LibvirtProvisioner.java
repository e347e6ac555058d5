package io.kubitect.libvirt;

import io.kubitect.core.spi.ClusterCredentials;
import io.kubitect.core.spi.HostInspection;
import io.kubitect.core.spi.InfrastructureProvisioner;
import io.kubitect.core.spi.InfrastructureStatus;
import io.kubitect.core.spi.NodeReadinessProbe;
import io.kubitect.core.spi.StepListener;
import io.kubitect.core.spi.Topology;
import io.kubitect.libvirt.internal.Engine;
import io.kubitect.libvirt.internal.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Provisions a cluster's VMs with libvirt: one connection per host ({@code qemu:///system} for a
 * local host, {@code qemu+ssh://} with the host key verified for a remote one, or any URI given),
 * hosts worked on in parallel with a bounded number of calls in flight per connection, everything
 * reconciled (read, compare, change only what differs). See {@code docs/libvirt.md}.
 *
 * <pre>{@code
 * try (LibvirtProvisioner provisioner =
 *     LibvirtProvisioner.builder().readinessProbe(probe).build()) {
 *   InfrastructureStatus status = provisioner.apply(topology, credentials, listener);
 * }
 * }</pre>
 *
 * <p>{@link Builder#simulated()} runs the same provisioner on libvirt's test driver: one private
 * in-memory hypervisor per host, no image transfer, nothing booted, no readiness wait; the state
 * lives as long as the provisioner. Instances are safe for use by one apply or destroy at a time.
 */
public final class LibvirtProvisioner implements InfrastructureProvisioner {
  /**
   * How many hosts an apply or destroy works on at once unless {@link Builder#hostsInParallel} says
   * otherwise.
   */
  public static final int DEFAULT_HOSTS_IN_PARALLEL = 64;

  /**
   * How many libvirt calls are in flight per host connection unless {@link
   * Builder#callsInFlightPerHost} says otherwise.
   */
  public static final int DEFAULT_CALLS_IN_FLIGHT_PER_HOST = 4;

  private final Engine engine;

  private LibvirtProvisioner(Engine engine) {
    this.engine = engine;
  }

  /** A builder with the defaults described on its methods. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@inheritDoc}
   *
   * <p>An interrupt of the calling thread (or {@code Future.cancel(true)}) cancels the apply: no
   * libvirt call starts after it, the apply returns once every call it started has returned, keeps
   * the interrupt and throws a {@link io.kubitect.core.spi.ProvisioningException} saying it was
   * cancelled. The next apply continues from what was done.
   */
  @Override
  public InfrastructureStatus apply(
      Topology topology, ClusterCredentials credentials, StepListener listener) {
    return engine.apply(topology, credentials, listener);
  }

  /**
   * {@inheritDoc}
   *
   * <p>A removed host is cleared as {@link #destroy} clears a host: the cluster's domains, the
   * volumes of the cluster in its pools, the pools and the network; a removed data pool loses the
   * cluster's volumes and is undefined, its directory removed only when nothing else is left in it.
   * Cancelled by an interrupt like {@link #apply(Topology, ClusterCredentials, StepListener)}.
   *
   * @throws IllegalArgumentException when {@code applied} is of another cluster
   */
  @Override
  public InfrastructureStatus apply(
      Topology topology,
      Optional<Topology> applied,
      ClusterCredentials credentials,
      StepListener listener) {
    return engine.apply(topology, applied, credentials, listener);
  }

  /** {@inheritDoc} Cancelled by an interrupt like {@link #apply}. */
  @Override
  public void destroy(Topology topology, StepListener listener) {
    engine.destroy(topology, listener);
  }

  /**
   * {@inheritDoc}
   *
   * <p>A domain the cluster does not own (no ownership metadata for it) is reported as such, not as
   * running. Simulated hosts exist only in the provisioner that applied the cluster: another one
   * reports them as not inspected.
   */
  @Override
  public List<HostInspection> inspect(Topology topology) {
    return engine.inspect(topology);
  }

  /** Whether this provisioner works on simulated hosts (libvirt's test driver). */
  @Override
  public boolean simulated() {
    return engine.settings().simulated();
  }

  /**
   * {@inheritDoc}
   *
   * <p>On simulated hosts: for every host, {@code <host>/network.xml}, {@code
   * <host>/pools/<pool>.xml} and {@code <host>/domains/<node>.xml} as the host holds them after the
   * last apply, and {@code <host>/cloud-init/<node>/{user-data,meta-data,network-config}} as they
   * went into the node's seed ISO (see {@code docs/libvirt.md}). Real hosts: none (empty).
   */
  @Override
  public Optional<String> writeArtifacts(Topology topology, Path directory) {
    return engine.writeArtifacts(topology, directory);
  }

  /** libvirt calls made by this provisioner so far (reads and mutations). */
  public long libvirtCalls() {
    return engine.calls();
  }

  /** Mutating libvirt calls made by this provisioner so far. */
  public long mutatingLibvirtCalls() {
    return engine.mutatingCalls();
  }

  /** Closes every connection; a simulated host's state goes with its connection. */
  @Override
  public void close() {
    engine.close();
  }

  /** How libvirt's domains are virtualised. */
  public enum DomainType {
    /** {@code kvm} when the host's libvirt offers it, {@code qemu} otherwise. */
    AUTO,
    /** Hardware virtualisation. */
    KVM,
    /** Software emulation (TCG): slow, but works without {@code /dev/kvm}. */
    QEMU
  }

  /** Builds {@link LibvirtProvisioner}s. */
  public static final class Builder {
    private final Map<String, String> hostUris = new LinkedHashMap<>();
    private @Nullable Path simulatedDir;
    private boolean simulated;
    private Path knownHosts = Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
    private int callsInFlightPerHost = DEFAULT_CALLS_IN_FLIGHT_PER_HOST;
    private int hostsInParallel = DEFAULT_HOSTS_IN_PARALLEL;
    private @Nullable NodeReadinessProbe probe;
    private Duration readinessTimeout = Duration.ofMinutes(15);
    private Duration readinessInterval = Duration.ofSeconds(2);
    private DomainType domainType = DomainType.AUTO;
    private Path imageCache =
        Path.of(System.getProperty("user.home"), ".cache", "kubitect", "images");
    private Duration callDelay = Duration.ZERO;
    private Duration connectDelay = Duration.ZERO;
    private Path home = Path.of(System.getProperty("user.home"));

    private Builder() {}

    /**
     * Connects to {@code host} (a host name of the specification) with this libvirt URI instead of
     * the one its connection settings imply: for tests and advanced set-ups.
     */
    public Builder hostUri(String host, String uri) {
      hostUris.put(host, uri);
      return this;
    }

    /**
     * The known_hosts file that remote hosts' SSH keys are verified against (default {@code
     * ~/.ssh/known_hosts}); a host's {@code verify: false} turns verification off for it, with a
     * warning.
     */
    public Builder knownHosts(Path file) {
      knownHosts = file;
      return this;
    }

    /**
     * At most this many libvirt calls in flight per host connection (default 4; libvirtd serves 5
     * per client unless {@code max_client_requests} says otherwise).
     */
    public Builder callsInFlightPerHost(int calls) {
      callsInFlightPerHost = calls;
      return this;
    }

    /**
     * At most this many hosts worked on at once (default {@value #DEFAULT_HOSTS_IN_PARALLEL}). Each
     * host is connected to (for a remote host: the SSH handshake) and reconciled by one of at most
     * this many host workers, each with its own {@link #callsInFlightPerHost} libvirt calls in
     * flight: an apply or destroy runs at most {@code hosts × (1 + calls)} threads whatever the
     * size of the fleet, and a fleet larger than the bound takes one more round per {@code hosts}
     * hosts. Connections open in parallel; only each host's own connect is serialised. See {@code
     * docs/performance.md} for what to set for a large fleet.
     */
    public Builder hostsInParallel(int hosts) {
      hostsInParallel = hosts;
      return this;
    }

    /**
     * Checks booted nodes (SSH with the expected host key, cloud-init finished). Without one, an
     * apply on real hosts does not wait for readiness and says so in its events.
     */
    public Builder readinessProbe(NodeReadinessProbe readinessProbe) {
      probe = readinessProbe;
      return this;
    }

    /** How long a node may take to become ready (default 15 minutes). */
    public Builder readinessTimeout(Duration timeout) {
      readinessTimeout = timeout;
      return this;
    }

    /** Pause between readiness attempts (default 2 s). */
    public Builder readinessInterval(Duration interval) {
      readinessInterval = interval;
      return this;
    }

    /** {@code kvm}, {@code qemu} or (default) whichever the host offers, kvm first. */
    public Builder domainType(DomainType type) {
      domainType = type;
      return this;
    }

    /**
     * Where OS images given as URLs are downloaded to (default {@code ~/.cache/kubitect/images}).
     */
    public Builder imageCache(Path dir) {
      imageCache = dir;
      return this;
    }

    /** The directory that replaces {@code ~} in the specification's paths (default user.home). */
    public Builder home(Path dir) {
      home = dir;
      return this;
    }

    /**
     * Simulated hosts on libvirt's test driver. Each host's file is written to the temporary
     * directory while its connection opens and deleted right after, so nothing stays on disk, even
     * when the provisioner is never closed.
     */
    public Builder simulated() {
      simulated = true;
      simulatedDir = null;
      return this;
    }

    /** Simulated hosts, their files ({@code <host>.xml}) written into {@code dir}. */
    public Builder simulated(Path dir) {
      simulated = true;
      simulatedDir = dir;
      return this;
    }

    /**
     * Adds this delay to every libvirt call: a stand-in for a slow link to remote hosts, for
     * benchmarks and tests of concurrency.
     */
    public Builder callDelay(Duration delay) {
      callDelay = delay;
      return this;
    }

    /**
     * Adds this delay to every connection opened, before it opens: a stand-in for the SSH handshake
     * of a remote host, for benchmarks and tests. An interrupt ends the wait, as it ends the {@link
     * #callDelay}.
     */
    public Builder connectDelay(Duration delay) {
      connectDelay = delay;
      return this;
    }

    /** A provisioner; connects lazily, on the first apply or destroy. */
    public LibvirtProvisioner build() {
      Settings settings =
          new Settings(
              hostUris,
              simulated,
              Optional.ofNullable(simulatedDir),
              knownHosts,
              callsInFlightPerHost,
              hostsInParallel,
              Optional.ofNullable(probe),
              readinessTimeout,
              readinessInterval,
              switch (domainType) {
                case AUTO -> Optional.empty();
                case KVM -> Optional.of("kvm");
                case QEMU -> Optional.of("qemu");
              },
              imageCache,
              callDelay,
              connectDelay,
              home);
      return new LibvirtProvisioner(new Engine(settings));
    }
  }
}
