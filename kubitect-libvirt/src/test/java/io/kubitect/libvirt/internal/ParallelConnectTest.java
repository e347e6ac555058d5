package io.kubitect.libvirt.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubitect.core.SpecValidator;
import io.kubitect.core.Step;
import io.kubitect.core.StepOutcome;
import io.kubitect.core.spi.ClusterCredentials;
import io.kubitect.core.spi.ProvisioningException;
import io.kubitect.core.spi.StepListener;
import io.kubitect.core.spi.Topology;
import io.kubitect.model.ClusterSpec;
import io.kubitect.model.KubitectYaml;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connections open in parallel, at most {@code hostsInParallel} at once (only each host's own
 * connect is serialised), and a cancel stops every connect in progress: the injected connect delay
 * of simulated hosts, and the ssh of a verified {@code qemu+ssh} connect (a stand-in ssh run
 * through the provisioner's own wrapper, as libvirt runs it).
 */
class ParallelConnectTest {
  @TempDir Path tmp;

  @Test
  void hostsConnectInParallelUpToTheBound() throws Exception {
    Topology topology = topology(10, "remote");
    AtomicInteger connecting = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    // Every connect waits until 5 connects are in progress together: connects made one at a time
    // (as when the engine was locked around them) never get past it. 10 hosts, 5 at a time: two
    // rounds.
    CyclicBarrier together = new CyclicBarrier(5);
    List<String> problems = new CopyOnWriteArrayList<>();
    Engine.Connector connector =
        (uri, display) -> {
          most.accumulateAndGet(connecting.incrementAndGet(), Math::max);
          try {
            together.await(20, TimeUnit.SECONDS);
          } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
            problems.add(display + ": " + e);
          } finally {
            connecting.decrementAndGet();
          }
          return LibvirtSession.open(uri, display);
        };
    try (Engine engine =
        new Engine(settings(true, 5, Duration.ZERO), UnaryOperator.identity(), connector)) {
      ClusterCredentials credentials = Fixtures.fixedCredentials(topology);
      assertThat(engine.apply(topology, credentials, StepListener.NONE).nodes()).hasSize(11);
      // connections are kept: a re-apply connects to nobody
      engine.apply(topology, credentials, StepListener.NONE);
    }
    assertThat(problems).as("connects waiting for each other").isEmpty();
    assertThat(most.get()).as("connects in progress at once").isEqualTo(5);
    assertThat(together.getNumberWaiting()).isZero();
  }

  @Test
  void noMoreHostsThanTheBoundConnectAtOnce() {
    Topology topology = topology(9, "remote");
    AtomicInteger connecting = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    Engine.Connector slow =
        (uri, display) -> {
          most.accumulateAndGet(connecting.incrementAndGet(), Math::max);
          try {
            Thread.sleep(50);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } finally {
            connecting.decrementAndGet();
          }
          return LibvirtSession.open(uri, display);
        };
    try (Engine engine =
        new Engine(settings(true, 3, Duration.ZERO), UnaryOperator.identity(), slow)) {
      engine.apply(topology, Fixtures.fixedCredentials(topology), StepListener.NONE);
    }
    assertThat(most.get()).isBetween(1, 3);
  }

  @Test
  void anInterruptStopsEveryConnectInProgress() throws Exception {
    Topology topology = topology(6, "remote");
    Recorder events = new Recorder();
    try (Engine engine = new Engine(settings(true, 3, Duration.ofSeconds(30)))) {
      Cancelled run =
          cancelWhen(
              () -> engine.apply(topology, Fixtures.fixedCredentials(topology), events),
              () -> events.started("connect") == 3);
      assertThat(run.tookMillis).as("the cancelled apply returned at once").isLessThan(10_000);
      assertThat(run.interruptKept).isTrue();
      assertThat(run.error)
          .isInstanceOf(ProvisioningException.class)
          .hasMessageStartingWith("apply cancelled")
          .hasMessageContaining("not finished");
      ProvisioningException cancelled = (ProvisioningException) Objects.requireNonNull(run.error);
      assertThat(cancelled.nodes()).hasSize(7);
      assertThat(engine.calls()).as("libvirt calls made").isZero();
      assertThat(events.failed("connect")).as("connects stopped").isEqualTo(3);
      assertThat(events.started("connect")).as("connects started").isEqualTo(3);
      for (int h = 1; h <= 6; h++) {
        assertThat(engine.hypervisor("h" + h)).as("connection to h" + h).isEmpty();
      }
    }
  }

  @Test
  void aCancelStopsTheSshOfAConnectInProgress() throws Exception {
    Path marker = tmp.resolve("ssh-started");
    Path fakeSsh = fakeSsh(marker);
    Topology topology = topology(1, "remote");
    Recorder events = new Recorder();
    AtomicReference<@Nullable String> exit = new AtomicReference<>();
    AtomicReference<@Nullable Path> wrapper = new AtomicReference<>();
    Engine.Connector throughTheWrapper =
        (uri, display) -> {
          wrapper.set(wrapper(uri));
          exit.set(runWrapper(uri, fakeSsh, Optional.empty()));
          throw new HypervisorException("cannot connect to " + display + ": " + exit.get());
        };
    try (Engine engine =
        new Engine(
            settings(false, 4, Duration.ZERO), UnaryOperator.identity(), throughTheWrapper)) {
      Cancelled run =
          cancelWhen(
              () -> engine.apply(topology, Fixtures.fixedCredentials(topology), events),
              () -> Files.exists(marker));
      assertThat(run.tookMillis).as("the cancelled apply returned at once").isLessThan(20_000);
      assertThat(run.error).hasMessageStartingWith("apply cancelled");
      assertThat(run.interruptKept).isTrue();
      assertThat(exit.get()).as("how ssh ended").isEqualTo("exit 143");
      long pid = Long.parseLong(Files.readString(marker).trim());
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("ssh").isNotEqualTo(true);
      assertThat(events.failed("connect")).isEqualTo(1);
    }
    Path used = Objects.requireNonNull(wrapper.get(), "the wrapper libvirt was given");
    assertThat(used.getParent()).as("the wrapper's directory").doesNotExist();
  }

  @Test
  void aCancelBeforeSshStartsKeepsItFromStarting() throws Exception {
    Path marker = tmp.resolve("ssh-started");
    Path fakeSsh = fakeSsh(marker);
    Topology topology = topology(1, "remote");
    Recorder events = new Recorder();
    AtomicReference<@Nullable String> exit = new AtomicReference<>();
    AtomicReference<@Nullable Path> wrapper = new AtomicReference<>();
    AtomicBoolean connecting = new AtomicBoolean();
    Engine.Connector lateWrapper =
        (uri, display) -> {
          wrapper.set(wrapper(uri));
          connecting.set(true);
          // libvirt is slow to start the wrapper: the cancel comes first
          exit.set(runWrapper(uri, fakeSsh, Optional.of(Duration.ofSeconds(20))));
          throw new HypervisorException("cannot connect to " + display + ": " + exit.get());
        };
    try (Engine engine =
        new Engine(settings(false, 4, Duration.ZERO), UnaryOperator.identity(), lateWrapper)) {
      Cancelled run =
          cancelWhen(
              () -> engine.apply(topology, Fixtures.fixedCredentials(topology), events),
              connecting::get);
      assertThat(run.error).hasMessageStartingWith("apply cancelled");
      assertThat(exit.get()).as("how the wrapper ended").isEqualTo("exit 1");
      assertThat(marker).as("ssh never started").doesNotExist();
    }
    Path used = Objects.requireNonNull(wrapper.get(), "the wrapper libvirt was given");
    assertThat(used.getParent()).as("the wrapper's directory").doesNotExist();
  }

  /**
   * libvirt's own {@code qemu+ssh} connect through the wrapper, to a server that accepts the TCP
   * connection and never says a word: ssh waits for the server's banner with no timeout, and so
   * does libvirt's connect. The cancel stops that ssh, and the connect fails at once.
   */
  @Test
  void aCancelStopsLibvirtsSshConnectInTheHandshake() throws Exception {
    Tools.requireTool("ssh");
    List<java.net.Socket> accepted = new CopyOnWriteArrayList<>();
    try (java.net.ServerSocket silent =
        new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      Thread acceptor =
          new Thread(
              () -> {
                while (!silent.isClosed()) {
                  try {
                    accepted.add(silent.accept());
                  } catch (IOException e) {
                    return;
                  }
                }
              },
              "silent-sshd");
      acceptor.setDaemon(true);
      acceptor.start();
      Topology topology = silentHost(silent.getLocalPort());
      Recorder events = new Recorder();
      try (Engine engine = new Engine(settings(false, 4, Duration.ZERO))) {
        Cancelled run =
            cancelWhen(
                () -> engine.apply(topology, Fixtures.fixedCredentials(topology), events),
                () -> !accepted.isEmpty() && sshProcesses(silent.getLocalPort()) > 0);
        assertThat(run.tookMillis).as("the cancelled apply returned at once").isLessThan(20_000);
        assertThat(run.error).hasMessageStartingWith("apply cancelled");
        assertThat(run.interruptKept).isTrue();
        assertThat(events.failed("connect")).isEqualTo(1);
        assertThat(engine.calls()).isZero();
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (sshProcesses(silent.getLocalPort()) > 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(sshProcesses(silent.getLocalPort())).as("ssh processes left").isZero();
    } finally {
      for (java.net.Socket socket : accepted) {
        socket.close();
      }
    }
  }

  /** ssh processes of this JVM connecting to {@code port}. */
  private static long sshProcesses(int port) {
    return ProcessHandle.current()
        .descendants()
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().commandLine().orElse("").contains(String.valueOf(port)))
        .count();
  }

  private Topology silentHost(int port) {
    String yaml =
        """
        hosts:
          - name: h1
            connection:
              type: remote
              user: root
              ip: 127.0.0.1
              ssh: {keyfile: "%s", port: %d}
        cluster:
          name: silent
          network: {mode: bridge, cidr: 10.48.0.0/24, bridge: br0}
          nodes:
            master:
              instances:
                - {id: 1, host: h1, ip: 10.48.0.5}
        kubernetes:
          version: v1.33.4
        """
            .formatted(tmp.resolve("no_such_key"), port);
    ClusterSpec spec = KubitectYaml.read(yaml, "silent.yaml");
    assertThat(SpecValidator.validate(spec).errors()).isEmpty();
    return Topology.of(spec);
  }

  // ------------------------------------------------------------------ helpers

  /** A stand-in ssh: notes its process id, then hangs as a handshake with a dead host would. */
  private Path fakeSsh(Path marker) throws IOException {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path ssh = bin.resolve("ssh");
    Files.writeString(ssh, "#!/bin/sh\necho $$ > '" + marker + "'\nexec sleep 60\n");
    Files.setPosixFilePermissions(ssh, PosixFilePermissions.fromString("rwx------"));
    return bin;
  }

  /** The wrapper named in the URI's {@code command=}. */
  private static Path wrapper(String uri) {
    String query = uri.substring(uri.indexOf('?') + 1);
    for (String parameter : query.split("&", -1)) {
      if (parameter.startsWith("command=")) {
        return Path.of(URLDecoder.decode(parameter.substring(8), StandardCharsets.UTF_8));
      }
    }
    throw new AssertionError("no command= in " + uri);
  }

  /**
   * Runs the wrapper named in the URI's {@code command=} as libvirt would, with {@code bin} first
   * on the PATH; {@code late}: first waits (up to that long) until the run is cancelled. Returns
   * how the wrapper ended.
   */
  private static String runWrapper(String uri, Path bin, Optional<Duration> late) {
    Path wrapper = wrapper(uri);
    try {
      if (late.isPresent()) {
        long deadline = System.nanoTime() + late.get().toNanos();
        Path cancelled = wrapper.resolveSibling(HostUris.WRAPPER_CANCELLED);
        while (!Files.exists(cancelled) && System.nanoTime() < deadline) {
          Thread.sleep(10);
        }
      }
      ProcessBuilder builder =
          new ProcessBuilder(wrapper.toString(), "-p", "22", "k@10.0.0.1", "true")
              .redirectErrorStream(true);
      builder.environment().put("PATH", bin + ":/usr/bin:/bin");
      Process process = builder.start();
      int code = process.waitFor();
      return "exit " + code;
    } catch (IOException e) {
      return "failed to start: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  /** What a cancelled apply did, seen from its thread. */
  private static final class Cancelled {
    @Nullable Throwable error;
    boolean interruptKept;
    long tookMillis;
  }

  @FunctionalInterface
  private interface Condition {
    boolean holds() throws Exception;
  }

  /** Runs {@code work} on a thread of its own and interrupts it once {@code when} holds. */
  private static Cancelled cancelWhen(Runnable work, Condition when) throws Exception {
    Cancelled outcome = new Cancelled();
    AtomicLong interruptedAt = new AtomicLong();
    Thread thread =
        new Thread(
            () -> {
              try {
                work.run();
              } catch (Throwable e) {
                outcome.error = e;
              }
              outcome.tookMillis = (System.nanoTime() - interruptedAt.get()) / 1_000_000;
              outcome.interruptKept = Thread.currentThread().isInterrupted();
            },
            "cancelled-apply");
    thread.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!when.holds()) {
      assertThat(System.nanoTime()).as("the moment to cancel came").isLessThan(deadline);
      assertThat(thread.isAlive()).as("the apply still runs").isTrue();
      Thread.sleep(5);
    }
    interruptedAt.set(System.nanoTime());
    thread.interrupt();
    thread.join(TimeUnit.SECONDS.toMillis(60));
    assertThat(thread.isAlive()).as("the cancelled apply returned").isFalse();
    return outcome;
  }

  /** Counts the engine's events per action. */
  private static final class Recorder implements StepListener {
    private final Map<String, AtomicInteger> started = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failed = new ConcurrentHashMap<>();

    @Override
    public void started(Step step) {
      started.computeIfAbsent(step.action(), a -> new AtomicInteger()).incrementAndGet();
    }

    @Override
    public void finished(Step step, StepOutcome outcome, String detail) {}

    @Override
    public void failed(Step step, Throwable error) {
      failed.computeIfAbsent(step.action(), a -> new AtomicInteger()).incrementAndGet();
    }

    @Override
    public void progress(Step step, int done, int total, String detail) {}

    int started(String action) {
      AtomicInteger count = started.get(action);
      return count == null ? 0 : count.get();
    }

    int failed(String action) {
      AtomicInteger count = failed.get(action);
      return count == null ? 0 : count.get();
    }
  }

  private Settings settings(boolean simulated, int hostsInParallel, Duration connectDelay) {
    return new Settings(
        Map.of(),
        simulated,
        Optional.empty(),
        tmp.resolve("known_hosts"),
        4,
        hostsInParallel,
        Optional.empty(),
        Duration.ofSeconds(5),
        Duration.ofMillis(100),
        Optional.of("qemu"),
        tmp.resolve("cache"),
        Duration.ZERO,
        connectDelay,
        tmp);
  }

  /** {@code hosts} hosts of the given connection type, one worker on each (bridge mode). */
  private static Topology topology(int hosts, String type) {
    StringBuilder yaml = new StringBuilder("hosts:\n");
    StringBuilder workers = new StringBuilder();
    for (int h = 1; h <= hosts; h++) {
      yaml.append("  - {name: h")
          .append(h)
          .append(", connection: {type: ")
          .append(type)
          .append(type.equals("remote") ? ", user: k, ip: 10.0.0." + h + ", ssh: {keyfile: k}" : "")
          .append("}}\n");
      workers
          .append("        - {id: ")
          .append(h)
          .append(", host: h")
          .append(h)
          .append(", ip: 10.47.0.")
          .append(10 + h)
          .append("}\n");
    }
    yaml.append(
            """
            cluster:
              name: par
              network: {mode: bridge, cidr: 10.47.0.0/24, bridge: br0}
              nodes:
                master:
                  instances:
                    - {id: 1, host: h1, ip: 10.47.0.5}
                worker:
                  instances:
            """)
        .append(workers)
        .append("kubernetes:\n  version: v1.33.4\n");
    ClusterSpec spec = KubitectYaml.read(yaml.toString(), "par.yaml");
    assertThat(SpecValidator.validate(spec).errors()).isEmpty();
    return Topology.of(spec);
  }
}
