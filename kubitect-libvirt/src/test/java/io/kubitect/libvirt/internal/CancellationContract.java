package io.kubitect.libvirt.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubitect.core.SpecValidator;
import io.kubitect.core.Step;
import io.kubitect.core.StepOutcome;
import io.kubitect.core.spi.ClusterCredentials;
import io.kubitect.core.spi.InfrastructureStatus;
import io.kubitect.core.spi.ProvisioningException;
import io.kubitect.core.spi.StepListener;
import io.kubitect.core.spi.Topology;
import io.kubitect.model.ClusterSpec;
import io.kubitect.model.KubitectYaml;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cancellation at random points: an apply (or destroy) runs on its own thread, which is interrupted
 * once it has made a random number of libvirt calls (from none to all an uncancelled one makes).
 * The cancelled call must return only once no libvirt call is in flight (and none starts later),
 * keep the interrupt, say it was cancelled, and leave a state the next apply on the same
 * provisioner converges from: the same domains, volumes, networks and pools as an apply that was
 * never cancelled. Seeds are printed with every failure ({@code -Dkubitect.cancel.seed=N} replays
 * one). Run on simulated hosts ({@link CancellationTest}) and on the machine's libvirtd ({@link
 * LocalLibvirtdCancellationIT}).
 */
abstract class CancellationContract {
  @TempDir Path tmp;

  private Topology topology;
  private Topology scaledIn;
  private ClusterCredentials credentials;

  /** How many times each scenario is cancelled. */
  abstract int runs();

  /** The cluster's specification; without {@code allWorkers}, some workers are gone. */
  abstract String yaml(boolean allWorkers) throws IOException;

  abstract Settings settings();

  /** How long to watch for calls made after a cancelled call returned. */
  Duration quiet() {
    return Duration.ofMillis(Math.max(30, settings().callDelay().toMillis() * 10));
  }

  Topology topology() {
    return topology;
  }

  ClusterCredentials credentials() {
    return credentials;
  }

  @BeforeEach
  void spec() throws IOException {
    topology = topology(yaml(true));
    scaledIn = topology(yaml(false));
    credentials = Fixtures.generatedCredentials(topology, tmp);
  }

  @Test
  void applyAndDestroyCancelledAtRandomPointsConverge() throws Exception {
    Report report = runs(getClass().getSimpleName(), UnaryOperator.identity());
    assertThat(report.failures).as(report.summary()).isEmpty();
  }

  /**
   * Removing two workers (one with data disks in both pools), cancelled at random points: the next
   * apply removes what is left of them, down to the last volume.
   */
  @Test
  void scaleInCancelledAtRandomPointsConverges() throws Exception {
    Report report = new Report(getClass().getSimpleName() + ", scale-in", runs());
    Map<String, List<String>> expected;
    int steady;
    try (Engine engine = new Engine(settings())) {
      engine.apply(topology, credentials, StepListener.NONE);
      long before = engine.calls();
      long start = System.nanoTime();
      engine.apply(scaledIn, credentials, StepListener.NONE);
      report.applyNanos = System.nanoTime() - start;
      report.applyCalls = engine.calls() - before;
      expected = state(engine, scaledIn);
      // The test driver shows a running network's live definition only, so the redefinition
      // without the removed nodes' reservations is made again on every apply (1 call); a real
      // libvirtd shows the persistent one and makes none.
      steady = engine.apply(scaledIn, credentials, StepListener.NONE).mutatingCalls();
    }
    long seed = Long.getLong("kubitect.cancel.seed", System.nanoTime());
    for (int run = 0; run < runs(); run++) {
      long runSeed = seed + run;
      Random random = new Random(runSeed);
      try (Engine engine = new Engine(settings())) {
        engine.apply(topology, credentials, StepListener.NONE);
        Pairing events = new Pairing();
        Outcome apply =
            interrupted(
                engine,
                () -> engine.apply(scaledIn, credentials, events),
                random.nextInt((int) report.applyCalls + 1));
        report.record(apply);
        apply.check("apply", engine, quiet());
        assertThat(events.problems()).as("apply events").isEmpty();
        engine.apply(scaledIn, credentials, StepListener.NONE);
        assertThat(state(engine, scaledIn)).as("state after the re-apply").isEqualTo(expected);
        assertThat(engine.apply(scaledIn, credentials, StepListener.NONE).mutatingCalls())
            .as("mutations of a third apply")
            .isEqualTo(steady);
      } catch (AssertionError | RuntimeException e) {
        report.failures.add("seed " + runSeed + ": " + e);
      }
    }
    System.out.println(report.summary());
    assertThat(report.failures).as(report.summary()).isEmpty();
  }

  // ------------------------------------------------------------------ the runs

  Report runs(String kind, UnaryOperator<Hypervisor> hosts) throws Exception {
    Report report = new Report(kind, runs());
    Map<String, List<String>> expected = Map.of();
    // the second round is timed: the first warms up the JIT, JNA and the test driver
    for (int round = 0; round < 2; round++) {
      try (Engine engine = new Engine(settings(), hosts)) {
        long start = System.nanoTime();
        engine.apply(topology, credentials, StepListener.NONE);
        report.applyNanos = System.nanoTime() - start;
        report.applyCalls = engine.calls();
        expected = state(engine, topology);
        long before = engine.calls();
        engine.destroy(topology, StepListener.NONE);
        report.destroyCalls = engine.calls() - before;
      }
    }
    long seed = Long.getLong("kubitect.cancel.seed", System.nanoTime());
    for (int run = 0; run < runs(); run++) {
      long runSeed = seed + run;
      try {
        oneRun(runSeed, expected, hosts, report);
      } catch (AssertionError | RuntimeException e) {
        report.failures.add("seed " + runSeed + ": " + e);
      }
    }
    System.out.println(report.summary());
    return report;
  }

  private void oneRun(
      long seed, Map<String, List<String>> expected, UnaryOperator<Hypervisor> hosts, Report report)
      throws Exception {
    Random random = new Random(seed);
    try (Engine engine = new Engine(settings(), hosts)) {
      Pairing applyEvents = new Pairing();
      Outcome apply =
          interrupted(
              engine,
              () -> engine.apply(topology, credentials, applyEvents),
              random.nextInt((int) report.applyCalls + 1));
      report.record(apply);
      apply.check("apply", engine, quiet());
      assertThat(applyEvents.problems()).as("apply events").isEmpty();

      InfrastructureStatus again = engine.apply(topology, credentials, StepListener.NONE);
      assertThat(again.nodes()).hasSize(topology.nodes().size());
      assertThat(state(engine, topology)).as("state after the re-apply").isEqualTo(expected);
      assertThat(engine.apply(topology, credentials, StepListener.NONE).mutatingCalls())
          .as("mutations of a third apply")
          .isZero();

      Pairing destroyEvents = new Pairing();
      Outcome destroy =
          interrupted(
              engine,
              () -> engine.destroy(topology, destroyEvents),
              random.nextInt((int) report.destroyCalls + 1));
      report.record(destroy);
      destroy.check("destroy", engine, quiet());
      assertThat(destroyEvents.problems()).as("destroy events").isEmpty();
      engine.destroy(topology, StepListener.NONE);
      assertThat(state(engine, topology).values())
          .as("state after the second destroy")
          .allMatch(List::isEmpty);
    }
  }

  /** What a cancelled call left behind, seen from the thread that ran it. */
  static final class Outcome {
    @Nullable Throwable error;
    boolean interruptKept;
    long inFlightAtReturn = -1;
    long callsAtReturn = -1;
    long interruptedAt;
    long returnedAt;
    boolean finishedFirst;

    void check(String what, Engine engine, Duration quiet) throws InterruptedException {
      assertThat(inFlightAtReturn).as(what + ": libvirt calls in flight at return").isZero();
      // nothing runs on behind the caller's back: no call starts after the return
      Thread.sleep(quiet.toMillis());
      assertThat(engine.calls())
          .as(what + ": libvirt calls after the return")
          .isEqualTo(callsAtReturn);
      if (!finishedFirst) {
        assertThat(interruptKept).as(what + ": the interrupt is kept for the caller").isTrue();
      }
      if (error != null) {
        assertThat(error)
            .as(what + " failed otherwise than by its cancellation")
            .isInstanceOf(ProvisioningException.class)
            .hasMessageContaining(what + " cancelled");
      }
    }
  }

  /** Runs {@code work} and interrupts it once it has made {@code calls} libvirt calls. */
  private static Outcome interrupted(Engine engine, Runnable work, int calls)
      throws InterruptedException {
    Outcome outcome = new Outcome();
    Thread thread =
        new Thread(
            () -> {
              try {
                work.run();
              } catch (Throwable e) {
                outcome.error = e;
              }
              outcome.returnedAt = System.nanoTime();
              outcome.inFlightAtReturn = engine.callsInFlight();
              outcome.callsAtReturn = engine.calls();
              outcome.interruptKept = Thread.currentThread().isInterrupted();
            },
            "cancelled-apply");
    thread.start();
    long start = engine.calls();
    while (thread.isAlive() && engine.calls() - start < calls) {
      LockSupport.parkNanos(50_000);
    }
    outcome.finishedFirst = !thread.isAlive();
    outcome.interruptedAt = System.nanoTime();
    thread.interrupt();
    thread.join(TimeUnit.SECONDS.toMillis(60));
    assertThat(thread.isAlive()).as("the cancelled call returned").isFalse();
    return outcome;
  }

  // ------------------------------------------------------------------ the hypervisors' state

  /**
   * Per host, everything the cluster can have there, one line per object: networks, pools, volumes
   * (with capacity), domains (state and spec hash), sorted.
   */
  private Map<String, List<String>> state(Engine engine, Topology of) {
    Map<String, List<String>> hosts = new TreeMap<>();
    for (HostPlan plan : Layout.of(of, tmp)) {
      List<String> lines = new ArrayList<>();
      Optional<Hypervisor> found = engine.hypervisor(plan.name());
      if (found.isPresent()) {
        Hypervisor hv = found.get();
        plan.network()
            .flatMap(n -> hv.network(n.name()))
            .ifPresent(
                n ->
                    lines.add(
                        "network "
                            + n.name()
                            + " active="
                            + n.active()
                            + " autostart="
                            + n.autostart()
                            + " "
                            + NetworkXml.summary(n.xml())));
        for (PoolPlan pool : plan.pools()) {
          Optional<Hypervisor.PoolState> state = hv.pool(pool.name());
          if (state.isEmpty()) {
            continue;
          }
          lines.add(
              "pool "
                  + pool.name()
                  + " active="
                  + state.get().active()
                  + " autostart="
                  + state.get().autostart());
          if (state.get().active()) {
            for (String volume : hv.volumeNames(pool.name())) {
              lines.add(
                  "volume "
                      + pool.name()
                      + "/"
                      + volume
                      + " capacity="
                      + hv.volumeSizes(pool.name(), volume).capacity()
                      + Uploading.content(hv, pool.name(), volume));
            }
          }
        }
        for (String name : hv.domainNames()) {
          if (!name.startsWith(of.clusterName() + "-")) {
            continue; // a shared host's other domains
          }
          Hypervisor.DomainState d = hv.domain(name).orElseThrow();
          lines.add(
              "domain "
                  + name
                  + " active="
                  + d.active()
                  + " autostart="
                  + d.autostart()
                  + " spec="
                  + DomainXml.ownership(d.xml()).map(DomainXml.Ownership::spec).orElse("-"));
        }
      }
      lines.sort(null);
      hosts.put(plan.name(), lines);
    }
    return hosts;
  }

  // ------------------------------------------------------------------ fixtures

  private static Topology topology(String yaml) {
    ClusterSpec spec = KubitectYaml.read(yaml, "cancel.yaml");
    assertThat(SpecValidator.validate(spec).errors()).isEmpty();
    return Topology.of(spec);
  }

  /** Every step heard to start must be heard to end, once. */
  private static final class Pairing implements StepListener {
    private final Map<Step, Integer> open = new HashMap<>();
    private final List<String> problems = new ArrayList<>();

    @Override
    public synchronized void started(Step step) {
      if (open.merge(step, 1, Integer::sum) > 1) {
        problems.add("started twice: " + step);
      }
    }

    @Override
    public synchronized void finished(Step step, StepOutcome outcome, String detail) {
      end(step);
    }

    @Override
    public synchronized void failed(Step step, Throwable error) {
      end(step);
    }

    private void end(Step step) {
      if (open.remove(step) == null) {
        problems.add("ended without start: " + step);
      }
    }

    synchronized List<String> problems() {
      List<String> all = new ArrayList<>(problems);
      open.keySet().forEach(s -> all.add("never ended: " + s));
      return all;
    }
  }

  /** Figures of one kind of run. */
  static final class Report {
    final String kind;
    final List<String> failures = new ArrayList<>();
    long applyNanos;
    long applyCalls;
    long destroyCalls;
    int cancels;
    int finishedFirst;
    final List<Long> returnNanos = new ArrayList<>();
    final int runs;
    final long started = System.nanoTime();

    Report(String kind, int runs) {
      this.kind = kind;
      this.runs = runs;
    }

    synchronized void record(Outcome outcome) {
      if (outcome.finishedFirst || outcome.error == null) {
        finishedFirst++;
        return;
      }
      cancels++;
      returnNanos.add(Math.max(0, outcome.returnedAt - outcome.interruptedAt));
    }

    synchronized String summary() {
      List<Long> sorted = new ArrayList<>(returnNanos);
      sorted.sort(null);
      double median = sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2) / 1e6;
      double max = sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1) / 1e6;
      return String.format(
          Locale.ROOT,
          "cancellation (%s): runs=%d failures=%d cancelled=%d finished_before_interrupt=%d"
              + " uncancelled_apply_ms=%d calls=%d destroy_calls=%d"
              + " return_after_interrupt_ms_median=%.1f max=%.1f wall_s=%.1f%s",
          kind,
          runs,
          failures.size(),
          cancels,
          finishedFirst,
          TimeUnit.NANOSECONDS.toMillis(applyNanos),
          applyCalls,
          destroyCalls,
          median,
          max,
          (System.nanoTime() - started) / 1e9,
          failures.isEmpty() ? "" : "\n  " + String.join("\n  ", failures));
    }
  }

  /**
   * Hosts that upload like a real libvirtd, over the test driver (which cannot): the upload reads
   * the source in 64 KiB chunks, a millisecond each, and records how many bytes reached each
   * volume; a cut-off upload keeps what it wrote, as a file on a real host would. Sizes read back
   * as a raw file's: the capacity, whatever was written, so only the provisioner's own bookkeeping
   * can tell a complete volume from a cut-off one.
   */
  static final class Uploading {
    private static final Pattern NAME = Pattern.compile("<name>([^<]+)</name>");
    private static final Map<Hypervisor, Map<String, Long>> WRITTEN = new ConcurrentHashMap<>();

    private Uploading() {}

    static Hypervisor wrap(Hypervisor delegate) {
      Map<String, Long> written = new ConcurrentHashMap<>();
      InvocationHandler handler =
          (proxy, method, args) -> {
            return switch (method.getName()) {
              case "canUpload" -> true;
              case "createVolume" -> {
                Matcher name = NAME.matcher((String) args[1]);
                Object result = invoke(method, delegate, args);
                if (name.find()) {
                  written.put(args[0] + "/" + name.group(1), 0L);
                }
                yield result;
              }
              case "deleteVolume" -> {
                Object result = invoke(method, delegate, args);
                written.remove(args[0] + "/" + args[1]);
                yield result;
              }
              case "upload" -> {
                upload((String) args[0], (String) args[1], (Hypervisor.Source) args[2], written);
                yield null;
              }
              case "volumeSizes" -> {
                Hypervisor.VolumeSizes sizes =
                    (Hypervisor.VolumeSizes)
                        java.util.Objects.requireNonNull(invoke(method, delegate, args));
                yield new Hypervisor.VolumeSizes(sizes.capacity(), sizes.capacity());
              }
              default -> invoke(method, delegate, args);
            };
          };
      Hypervisor proxy =
          (Hypervisor)
              Proxy.newProxyInstance(
                  Hypervisor.class.getClassLoader(), new Class<?>[] {Hypervisor.class}, handler);
      WRITTEN.put(proxy, written);
      return proxy;
    }

    private static @Nullable Object invoke(
        java.lang.reflect.Method method, Hypervisor delegate, Object @Nullable [] args)
        throws Throwable {
      try {
        return method.invoke(delegate, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }

    private static void upload(
        String pool, String volume, Hypervisor.Source source, Map<String, Long> written) {
      String key = pool + "/" + volume;
      if (!written.containsKey(key)) {
        throw new HypervisorException("uploading into volume " + volume + ": no such volume");
      }
      byte[] chunk = new byte[64 * 1024];
      try (InputStream in = source.open()) {
        int n;
        while ((n = in.read(chunk)) > 0) {
          Thread.sleep(1);
          written.merge(key, (long) n, Long::sum);
        }
      } catch (IOException e) {
        throw new HypervisorException("uploading into volume " + volume + " failed: " + e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new HypervisorException("uploading into volume " + volume + ": interrupted");
      }
    }

    /** For a volume of an uploading host that was uploaded into: whether all bytes arrived. */
    static String content(Hypervisor hv, String pool, String volume) {
      Map<String, Long> written = WRITTEN.get(hv);
      if (written == null || !(volume.equals(Layout.BASE_VOLUME) || volume.endsWith(".iso"))) {
        return "";
      }
      long bytes = written.getOrDefault(pool + "/" + volume, -1L);
      return bytes == hv.volumeSizes(pool, volume).capacity() ? " complete" : " written=" + bytes;
    }
  }
}
