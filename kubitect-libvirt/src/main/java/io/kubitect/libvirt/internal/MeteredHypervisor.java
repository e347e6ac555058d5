package io.kubitect.libvirt.internal;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Wraps a host's {@link Hypervisor}: bounds the calls in flight on the connection (libvirtd serves
 * 5 per client by default), counts calls and mutating calls, and optionally delays every call (a
 * stand-in for a remote link, for benchmarks and tests).
 */
final class MeteredHypervisor implements Hypervisor {
  private final Hypervisor delegate;
  private final Semaphore inFlight;
  private final Duration delay;
  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong mutations = new AtomicLong();

  MeteredHypervisor(Hypervisor delegate, Semaphore inFlight, Duration delay) {
    this.delegate = delegate;
    this.inFlight = inFlight;
    this.delay = delay;
  }

  Hypervisor delegate() {
    return delegate;
  }

  long calls() {
    return calls.get();
  }

  long mutations() {
    return mutations.get();
  }

  private <T> T read(Supplier<T> call) {
    return metered(call, false);
  }

  private void mutate(Runnable call) {
    metered(
        () -> {
          call.run();
          return Boolean.TRUE;
        },
        true);
  }

  private <T> T metered(Supplier<T> call, boolean mutating) {
    inFlight.acquireUninterruptibly();
    try {
      calls.incrementAndGet();
      if (mutating) {
        mutations.incrementAndGet();
      }
      if (!delay.isZero()) {
        try {
          Thread.sleep(delay.toMillis(), delay.toNanosPart() % 1_000_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new HypervisorException("interrupted while calling " + delegate.uri());
        }
      }
      return call.get();
    } finally {
      inFlight.release();
    }
  }

  @Override
  public String uri() {
    return delegate.uri();
  }

  @Override
  public boolean canUpload() {
    return delegate.canUpload();
  }

  @Override
  public boolean isAlive() {
    return delegate.isAlive();
  }

  @Override
  public String capabilities() {
    return read(delegate::capabilities);
  }

  @Override
  public Optional<Boolean> hasInterface(String name) {
    return read(() -> delegate.hasInterface(name));
  }

  @Override
  public Optional<NetworkState> network(String name) {
    return read(() -> delegate.network(name));
  }

  @Override
  public Optional<PoolState> pool(String name) {
    return read(() -> delegate.pool(name));
  }

  @Override
  public List<String> volumeNames(String pool) {
    return read(() -> delegate.volumeNames(pool));
  }

  @Override
  public VolumeSizes volumeSizes(String pool, String volume) {
    return read(() -> delegate.volumeSizes(pool, volume));
  }

  @Override
  public List<String> domainNames() {
    return read(delegate::domainNames);
  }

  @Override
  public Optional<DomainState> domain(String name) {
    return read(() -> delegate.domain(name));
  }

  @Override
  public List<String> addresses(String domain, boolean fromAgent) {
    return read(() -> delegate.addresses(domain, fromAgent));
  }

  @Override
  public void defineNetwork(String xml) {
    mutate(() -> delegate.defineNetwork(xml));
  }

  @Override
  public void startNetwork(String name) {
    mutate(() -> delegate.startNetwork(name));
  }

  @Override
  public void autostartNetwork(String name) {
    mutate(() -> delegate.autostartNetwork(name));
  }

  @Override
  public void stopNetwork(String name) {
    mutate(() -> delegate.stopNetwork(name));
  }

  @Override
  public void undefineNetwork(String name) {
    mutate(() -> delegate.undefineNetwork(name));
  }

  @Override
  public void definePool(String xml) {
    mutate(() -> delegate.definePool(xml));
  }

  @Override
  public void buildPool(String name) {
    mutate(() -> delegate.buildPool(name));
  }

  @Override
  public void startPool(String name) {
    mutate(() -> delegate.startPool(name));
  }

  @Override
  public void autostartPool(String name) {
    mutate(() -> delegate.autostartPool(name));
  }

  @Override
  public void stopPool(String name) {
    mutate(() -> delegate.stopPool(name));
  }

  @Override
  public void deletePool(String name) {
    mutate(() -> delegate.deletePool(name));
  }

  @Override
  public void undefinePool(String name) {
    mutate(() -> delegate.undefinePool(name));
  }

  @Override
  public void createVolume(String pool, String xml) {
    mutate(() -> delegate.createVolume(pool, xml));
  }

  @Override
  public void upload(String pool, String volume, Source source) {
    mutate(() -> delegate.upload(pool, volume, source));
  }

  @Override
  public void resizeVolume(String pool, String volume, long bytes) {
    mutate(() -> delegate.resizeVolume(pool, volume, bytes));
  }

  @Override
  public void deleteVolume(String pool, String volume) {
    mutate(() -> delegate.deleteVolume(pool, volume));
  }

  @Override
  public void defineDomain(String xml) {
    mutate(() -> delegate.defineDomain(xml));
  }

  @Override
  public void startDomain(String name) {
    mutate(() -> delegate.startDomain(name));
  }

  @Override
  public void autostartDomain(String name) {
    mutate(() -> delegate.autostartDomain(name));
  }

  @Override
  public void stopDomain(String name) {
    mutate(() -> delegate.stopDomain(name));
  }

  @Override
  public void undefineDomain(String name) {
    mutate(() -> delegate.undefineDomain(name));
  }

  @Override
  public void close() {
    delegate.close();
  }
}
