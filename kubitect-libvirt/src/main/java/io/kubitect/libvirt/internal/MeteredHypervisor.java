package io.kubitect.libvirt.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Wraps a host's {@link Hypervisor}: bounds the calls in flight on the connection (libvirtd serves
 * 5 per client by default), counts calls, mutating calls and calls in flight, and optionally delays
 * every call (a stand-in for a remote link, for benchmarks and tests). A view for one apply or
 * destroy ({@link #cancelledBy}) starts no call once that run is cancelled, and stops an upload in
 * flight at its next chunk.
 */
final class MeteredHypervisor implements Hypervisor {
  private final Hypervisor delegate;
  private final Semaphore permits;
  private final Duration delay;
  private final Meter meter;
  private final Cancellation cancellation;

  /** Counters shared by a connection and its views. */
  private static final class Meter {
    final AtomicLong calls = new AtomicLong();
    final AtomicLong mutations = new AtomicLong();
    final AtomicInteger inFlight = new AtomicInteger();
  }

  MeteredHypervisor(Hypervisor delegate, Semaphore permits, Duration delay) {
    this(delegate, permits, delay, new Meter(), new Cancellation());
  }

  private MeteredHypervisor(
      Hypervisor delegate,
      Semaphore permits,
      Duration delay,
      Meter meter,
      Cancellation cancellation) {
    this.delegate = delegate;
    this.permits = permits;
    this.delay = delay;
    this.meter = meter;
    this.cancellation = cancellation;
  }

  /** The same connection, bounds and counters, for one run: no call starts once it is cancelled. */
  MeteredHypervisor cancelledBy(Cancellation run) {
    return new MeteredHypervisor(delegate, permits, delay, meter, run);
  }

  Hypervisor delegate() {
    return delegate;
  }

  long calls() {
    return meter.calls.get();
  }

  long mutations() {
    return meter.mutations.get();
  }

  /** Calls holding a permit now (waiting out the delay or in libvirt). */
  int inFlight() {
    return meter.inFlight.get();
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
    cancellation.check();
    permits.acquireUninterruptibly();
    meter.inFlight.incrementAndGet();
    try {
      // the delay stands for the way to the host: a cancel during it still stops the call
      if (!delay.isZero() && cancellation.sleep(delay)) {
        cancellation.check();
        throw new HypervisorException("interrupted while calling " + delegate.uri());
      }
      cancellation.check();
      meter.calls.incrementAndGet();
      if (mutating) {
        meter.mutations.incrementAndGet();
      }
      return call.get();
    } finally {
      meter.inFlight.decrementAndGet();
      permits.release();
    }
  }

  /** The source, read so that the upload fails at its next chunk once the run is cancelled. */
  private Source stoppable(Source source) {
    return new Source() {
      @Override
      public long length() {
        return source.length();
      }

      @Override
      public InputStream open() throws IOException {
        return new FilterInputStream(source.open()) {
          @Override
          public int read() throws IOException {
            stopIfCancelled();
            return super.read();
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            stopIfCancelled();
            return super.read(b, off, len);
          }
        };
      }
    };
  }

  private void stopIfCancelled() throws InterruptedIOException {
    if (cancellation.isCancelled()) {
      throw new InterruptedIOException("cancelled");
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
  public List<String> runningDomainNames() {
    return read(delegate::runningDomainNames);
  }

  @Override
  public Optional<RunState> runState(String name) {
    return read(() -> delegate.runState(name));
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
    mutate(() -> delegate.upload(pool, volume, stoppable(source)));
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

  /** Not a libvirt call: neither counted nor delayed. */
  @Override
  public void keepSeedFiles(String pool, String volume, Map<String, byte[]> files) {
    delegate.keepSeedFiles(pool, volume, files);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
