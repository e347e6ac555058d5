package io.kubitect.libvirt.internal;

import io.kubitect.core.NodeStatus;
import io.kubitect.core.Phase;
import io.kubitect.core.ResourceChange;
import io.kubitect.core.Step;
import io.kubitect.core.StepOutcome;
import io.kubitect.core.spi.ClusterCredentials;
import io.kubitect.core.spi.HostInspection;
import io.kubitect.core.spi.HostKeyMismatchException;
import io.kubitect.core.spi.HostLayout;
import io.kubitect.core.spi.InfrastructureStatus;
import io.kubitect.core.spi.NodeAccess;
import io.kubitect.core.spi.NodeReadinessProbe;
import io.kubitect.core.spi.ProvisioningException;
import io.kubitect.core.spi.StepListener;
import io.kubitect.core.spi.Topology;
import io.kubitect.model.ConnectionType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs applies and destroys over all hosts: one connection per host, kept open between calls (a
 * simulated host's state lives in it) and replaced when it died; hosts in parallel, each with its
 * own bounded executor; readiness waits after the VMs run. The entry point of {@code
 * LibvirtProvisioner}; not API.
 *
 * <p>An interrupt of the calling thread cancels the run: no libvirt call starts after it, and the
 * apply or destroy returns only once every worker and every libvirt call it started has stopped,
 * with the interrupt kept and a {@link ProvisioningException} saying it was cancelled.
 */
public final class Engine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

  private final Settings settings;
  private final Map<String, Connected> connections = new ConcurrentHashMap<>();

  /**
   * One guard per host: a host's connect (reuse, drop, open) is serialised, different hosts connect
   * in parallel.
   */
  private final Map<String, Object> connectGuards = new ConcurrentHashMap<>();

  private final AtomicLong closedCalls = new AtomicLong();
  private final AtomicLong closedMutations = new AtomicLong();

  private record Connected(
      String uri, MeteredHypervisor hypervisor, Optional<SimulatedHost> simulated) {}

  /** Opens a connection to a libvirt URI ({@code displayUri}: without secrets, for messages). */
  @FunctionalInterface
  interface Connector {
    Hypervisor open(String uri, String displayUri);
  }

  private final UnaryOperator<Hypervisor> hosts;
  private final Connector connector;
  private final Function<HostLayout, QemuLog.Source> logs;

  /** The DHCP servers of simulated hosts; they live as long as the hosts, i.e. this engine. */
  private final SimulatedDhcp dhcp = new SimulatedDhcp();

  /** An engine with these settings; connects lazily. */
  public Engine(Settings settings) {
    this(settings, UnaryOperator.identity());
  }

  /** An engine that sees each connection through {@code hosts} (tests: hosts that upload). */
  Engine(Settings settings, UnaryOperator<Hypervisor> hosts) {
    this(settings, hosts, LibvirtSession::open);
  }

  /** An engine that connects with {@code connector} (tests: libvirt-java failing to load). */
  Engine(Settings settings, UnaryOperator<Hypervisor> hosts, Connector connector) {
    this(settings, hosts, connector, host -> QemuLog.forHost(host, settings));
  }

  /** An engine that reads dead domains' QEMU logs from {@code logs} (tests). */
  Engine(
      Settings settings,
      UnaryOperator<Hypervisor> hosts,
      Connector connector,
      Function<HostLayout, QemuLog.Source> logs) {
    this.settings = settings;
    this.hosts = hosts;
    this.connector = connector;
    this.logs = logs;
  }

  /** libvirt calls in flight now, over all connections. */
  long callsInFlight() {
    long open = 0;
    for (Connected c : connections.values()) {
      open += c.hypervisor().inFlight();
    }
    return open;
  }

  /** The settings this engine runs with. */
  public Settings settings() {
    return settings;
  }

  /** libvirt calls made so far, over all connections. */
  public long calls() {
    long open = 0;
    for (Connected c : connections.values()) {
      open += c.hypervisor().calls();
    }
    return closedCalls.get() + open;
  }

  /** Mutating libvirt calls made so far. */
  public long mutatingCalls() {
    long open = 0;
    for (Connected c : connections.values()) {
      open += c.hypervisor().mutations();
    }
    return closedMutations.get() + open;
  }

  /** The live connection to a host, unmetered, for tests that inspect what was made. */
  Optional<Hypervisor> hypervisor(String host) {
    Connected connected = connections.get(host);
    return connected == null ? Optional.empty() : Optional.of(connected.hypervisor().delegate());
  }

  /** See {@code InfrastructureProvisioner.apply}. */
  public InfrastructureStatus apply(
      Topology topology, ClusterCredentials credentials, StepListener reportTo) {
    return apply(topology, Optional.empty(), credentials, reportTo);
  }

  /**
   * See {@code InfrastructureProvisioner.apply} with the applied topology: hosts it has and {@code
   * topology} has not are cleared of everything the cluster made there (as a destroy would), and
   * data pools it has on a host and {@code topology} has not are removed after the VMs.
   */
  public InfrastructureStatus apply(
      Topology topology,
      Optional<Topology> applied,
      ClusterCredentials credentials,
      StepListener reportTo) {
    if (applied.isPresent() && !applied.get().clusterName().equals(topology.clusterName())) {
      throw new IllegalArgumentException(
          "the applied topology is of cluster "
              + applied.get().clusterName()
              + ", not "
              + topology.clusterName()
              + ": pass the topology this cluster applied last");
    }
    List<HostPlan> wanted = Layout.of(topology, settings.home());
    Map<String, HostLayout> layouts = layouts(topology);
    List<HostPlan> plans = new ArrayList<>();
    java.util.Set<String> removedHosts = new java.util.HashSet<>();
    if (applied.isEmpty()) {
      plans.addAll(wanted);
    } else {
      Map<String, HostPlan> before = new LinkedHashMap<>();
      Layout.of(applied.get(), settings.home()).forEach(p -> before.put(p.name(), p));
      for (HostPlan plan : wanted) {
        HostPlan old = before.remove(plan.name());
        plans.add(old == null ? plan : plan.retiring(old));
      }
      // what is left was removed from the specification: reached with its applied connection
      for (HostPlan gone : before.values()) {
        plans.add(gone);
        removedHosts.add(gone.name());
        layouts.put(gone.name(), applied.get().hostLayout(gone.name()).orElseThrow());
      }
    }
    long mutationsBefore = mutatingCalls();
    StepListener listener = NodeProgress.around(reportTo, topology.nodes().size());
    Cancellation cancellation = new Cancellation();
    Step simulatedStep = Step.of(Phase.PROVISION, "simulated hosts (libvirt test driver)");
    if (settings.simulated()) {
      // the leases of nodes without a static address, before any VM "boots"
      dhcp.prepare(topology, wanted);
      listener.started(simulatedStep);
    }
    List<NodeStatus> statuses;
    try {
      statuses =
          forEachHost(
              Phase.PROVISION,
              layouts,
              plans,
              listener,
              cancellation,
              (plan, host, hv, executor) -> {
                HostReconciler reconciler =
                    new HostReconciler(plan, hv, executor, listener, settings, cancellation);
                if (removedHosts.contains(plan.name())) {
                  return reconciler.destroy(Phase.PROVISION).join();
                }
                List<HostReconciler.Result> results = reconciler.apply(credentials).join();
                return awaitReadiness(
                    results,
                    plan,
                    hv,
                    logs.apply(host),
                    topology.nodeAccess(),
                    credentials,
                    listener,
                    cancellation);
              },
              plan ->
                  removedHosts.contains(plan.name())
                      ? List.of("(host " + plan.name() + ", removed from the specification)")
                      : plan.vms().stream().map(VmPlan::name).toList());
    } catch (RuntimeException e) {
      if (settings.simulated()) {
        listener.failed(simulatedStep, e);
      }
      throw e;
    }
    if (cancellation.isCancelled()) {
      ProvisioningException cancelled = cancelled("apply", statuses);
      if (settings.simulated()) {
        listener.failed(simulatedStep, cancelled);
      }
      throw cancelled;
    }
    if (settings.simulated()) {
      listener.finished(
          simulatedStep,
          "simulated: images not transferred, nothing booted, readiness not waited for");
    }
    int mutations = (int) (mutatingCalls() - mutationsBefore);
    List<NodeStatus> failures =
        statuses.stream().filter(s -> s.change() == ResourceChange.FAILED).toList();
    if (!failures.isEmpty()) {
      throw failure("apply", statuses, failures);
    }
    return new InfrastructureStatus(statuses, settings.simulated(), mutations);
  }

  /**
   * See {@code InfrastructureProvisioner.inspect}: each host's domains read (never changed), hosts
   * in parallel. Simulated hosts exist only inside the provisioner that applied the cluster, so a
   * simulated host this engine never connected to is reported as not inspected.
   */
  public List<HostInspection> inspect(Topology topology) {
    List<HostPlan> plans = Layout.of(topology, settings.home());
    Map<String, HostLayout> layouts = new java.util.HashMap<>();
    topology.hostLayouts().forEach(h -> layouts.put(h.name(), h));
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.max(1, Math.min(settings.hostsInParallel(), plans.size())),
            daemonThreads("kubitect-inspect"));
    Cancellation cancellation = new Cancellation();
    try {
      List<Future<HostInspection>> futures = new ArrayList<>();
      for (HostPlan plan : plans) {
        HostLayout host = Objects.requireNonNull(layouts.get(plan.name()), plan.name());
        futures.add(pool.submit(() -> inspectHost(plan, host, cancellation)));
      }
      List<HostInspection> found = new ArrayList<>();
      for (int i = 0; i < futures.size(); i++) {
        try {
          found.add(futures.get(i).get());
        } catch (InterruptedException e) {
          cancellation.cancel();
          Thread.currentThread().interrupt();
          throw new ProvisioningException("inspecting the hosts was interrupted", e);
        } catch (ExecutionException e) {
          found.add(
              new HostInspection(
                  plans.get(i).name(),
                  HostInspection.Reachability.UNREACHABLE,
                  HostReconciler.message(
                      HostReconciler.unwrap(Objects.requireNonNullElse(e.getCause(), e))),
                  Map.of()));
        }
      }
      return found;
    } finally {
      pool.shutdownNow();
    }
  }

  private HostInspection inspectHost(HostPlan plan, HostLayout host, Cancellation cancellation) {
    if (settings.simulated() && !connections.containsKey(plan.name())) {
      return new HostInspection(
          plan.name(),
          HostInspection.Reachability.NOT_INSPECTED,
          "simulated hosts live only in the provisioner that applied the cluster",
          Map.of());
    }
    MeteredHypervisor hv;
    try {
      hv = connect(plan, host, cancellation);
    } catch (RuntimeException e) {
      return new HostInspection(
          plan.name(),
          HostInspection.Reachability.UNREACHABLE,
          HostReconciler.message(e),
          Map.of());
    }
    Map<String, String> domains = new LinkedHashMap<>();
    for (VmPlan vm : plan.vms()) {
      Optional<Hypervisor.DomainState> domain = hv.domain(vm.name());
      String state;
      if (domain.isEmpty()) {
        state = HostInspection.MISSING;
      } else if (!DomainXml.ownership(domain.get().xml())
          .map(owner -> owner.cluster().equals(plan.cluster()))
          .orElse(false)) {
        state = "not owned by cluster " + plan.cluster();
      } else {
        // libvirt's state and reason, e.g. "shut off (crashed)" or "paused (unknown)"
        Optional<RunState> run = hv.runState(vm.name());
        state =
            run.map(r -> r.state() == RunState.RUNNING ? HostInspection.RUNNING : r.toString())
                .orElse(domain.get().active() ? HostInspection.RUNNING : "shut off");
      }
      domains.put(vm.name(), state);
    }
    return new HostInspection(plan.name(), HostInspection.Reachability.REACHABLE, "", domains);
  }

  /** See {@code InfrastructureProvisioner.destroy}. */
  public void destroy(Topology topology, StepListener listener) {
    List<HostPlan> plans = Layout.of(topology, settings.home());
    Cancellation cancellation = new Cancellation();
    List<NodeStatus> statuses =
        forEachHost(
            Phase.DESTROY,
            layouts(topology),
            plans,
            listener,
            cancellation,
            (plan, host, hv, executor) ->
                new HostReconciler(plan, hv, executor, listener, settings, cancellation)
                    .destroy(Phase.DESTROY)
                    .join(),
            plan -> List.of("(cluster resources)"));
    if (settings.simulated()) {
      dhcp.forget(topology.clusterName());
    }
    if (cancellation.isCancelled()) {
      throw cancelled("destroy", statuses);
    }
    List<NodeStatus> failures =
        statuses.stream().filter(s -> s.change() == ResourceChange.FAILED).toList();
    if (!failures.isEmpty()) {
      throw failure("destroy", statuses, failures);
    }
  }

  private static ProvisioningException cancelled(String action, List<NodeStatus> statuses) {
    StringBuilder message =
        new StringBuilder(
            action
                + " cancelled: the calling thread was interrupted; every libvirt call it started"
                + " has returned and no other will start. The next "
                + action
                + " continues from here.");
    List<String> done =
        statuses.stream()
            .filter(s -> s.change() != ResourceChange.FAILED)
            .map(s -> s.name() + " " + s.change().toString().toLowerCase(java.util.Locale.ROOT))
            .toList();
    List<String> open =
        statuses.stream()
            .filter(s -> s.change() == ResourceChange.FAILED)
            .map(NodeStatus::name)
            .toList();
    if (!open.isEmpty()) {
      message.append("\nnot finished: ").append(String.join(", ", open));
    }
    if (!done.isEmpty()) {
      message.append("\nfinished: ").append(String.join(", ", done));
    }
    return new ProvisioningException(
        message.toString(), statuses, new Cancellation.CancelledException());
  }

  private static ProvisioningException failure(
      String action, List<NodeStatus> statuses, List<NodeStatus> failures) {
    StringBuilder message =
        new StringBuilder(action + " failed for " + failures.size() + " node(s):");
    for (NodeStatus failed : failures) {
      message.append("\n  ").append(failed.error().orElse(failed.name()));
    }
    List<String> fine =
        statuses.stream()
            .filter(s -> s.change() != ResourceChange.FAILED)
            .map(s -> s.name() + " " + s.change().toString().toLowerCase(java.util.Locale.ROOT))
            .toList();
    if (!fine.isEmpty()) {
      message.append("\nsucceeded: ").append(String.join(", ", fine));
    }
    return new ProvisioningException(
        message.toString(),
        statuses,
        new HypervisorException(failures.get(0).error().orElse(failures.get(0).name())));
  }

  @FunctionalInterface
  private interface HostWork {
    List<NodeStatus> run(HostPlan plan, HostLayout host, MeteredHypervisor hv, Executor executor);
  }

  /** The topology's hosts by name. */
  private static Map<String, HostLayout> layouts(Topology topology) {
    Map<String, HostLayout> layouts = new java.util.HashMap<>();
    topology.hostLayouts().forEach(h -> layouts.put(h.name(), h));
    return layouts;
  }

  private List<NodeStatus> forEachHost(
      Phase phase,
      Map<String, HostLayout> layouts,
      List<HostPlan> plans,
      StepListener listener,
      Cancellation cancellation,
      HostWork work,
      Function<HostPlan, List<String>> affected) {
    ExecutorService hostPool =
        Executors.newFixedThreadPool(
            Math.max(1, Math.min(settings.hostsInParallel(), plans.size())),
            daemonThreads("kubitect-host"));
    boolean interrupted = false;
    try {
      List<Future<List<NodeStatus>>> futures = new ArrayList<>();
      for (HostPlan plan : plans) {
        HostLayout host = Objects.requireNonNull(layouts.get(plan.name()), plan.name());
        futures.add(
            hostPool.submit(
                () -> onHost(phase, plan, host, listener, cancellation, work, affected)));
      }
      List<NodeStatus> statuses = new ArrayList<>();
      @Nullable Throwable unexpected = null;
      for (Future<List<NodeStatus>> future : futures) {
        // Every worker is waited for, also after a cancel: returning earlier would leave them
        // creating VMs behind the caller's back (and a re-apply would meet them).
        while (true) {
          try {
            statuses.addAll(future.get());
            break;
          } catch (InterruptedException e) {
            interrupted = true;
            cancellation.cancel();
          } catch (ExecutionException e) {
            unexpected = e.getCause();
            break;
          }
        }
      }
      if (unexpected instanceof LibvirtMissingException missing) {
        // the same on every host: one line, not one per node
        throw new ProvisioningException(
            Objects.requireNonNullElse(missing.getMessage(), "libvirt0 is missing"), missing);
      }
      if (unexpected != null) {
        throw new IllegalStateException("a host worker failed unexpectedly", unexpected);
      }
      return statuses;
    } finally {
      hostPool.shutdown(); // every task has ended
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private List<NodeStatus> onHost(
      Phase phase,
      HostPlan plan,
      HostLayout host,
      StepListener listener,
      Cancellation cancellation,
      HostWork work,
      Function<HostPlan, List<String>> affected) {
    if (cancellation.isCancelled()) {
      return failed(plan, affected, "cancelled before connecting");
    }
    MeteredHypervisor hv;
    Step connect = Step.onHost(phase, "connect", plan.name());
    listener.started(connect);
    try {
      hv = connect(plan, host, cancellation);
      listener.finished(connect, "connected to " + hv.uri() + verifyNote(host));
    } catch (LibvirtMissingException e) {
      listener.failed(connect, e);
      throw e;
    } catch (RuntimeException e) {
      listener.failed(connect, e);
      return failed(plan, affected, HostReconciler.message(e));
    }
    HostExecutor executor =
        new HostExecutor(
            settings.callsInFlightPerHost(), daemonThreads("kubitect-libvirt-" + plan.name()));
    try {
      return work.run(plan, host, hv.cancelledBy(cancellation), executor);
    } catch (RuntimeException e) {
      // e.g. a destroy step failed; the host's nodes carry its message
      return failed(plan, affected, HostReconciler.message(HostReconciler.unwrap(e)));
    } finally {
      executor.drainAndStop();
    }
  }

  private static List<NodeStatus> failed(
      HostPlan plan, Function<HostPlan, List<String>> affected, String error) {
    List<NodeStatus> failed = new ArrayList<>();
    for (String node : affected.apply(plan)) {
      failed.add(
          new NodeStatus(
              node,
              plan.name(),
              Optional.empty(),
              Optional.empty(),
              ResourceChange.FAILED,
              false,
              Optional.of("host " + plan.name() + ", node " + node + ": " + error)));
    }
    return failed;
  }

  private String verifyNote(HostLayout host) {
    if (settings.simulated()
        || settings.hostUris().containsKey(host.name())
        || host.connection().type().orElse(ConnectionType.LOCAL) != ConnectionType.REMOTE) {
      return "";
    }
    return host.connection().ssh().verify().orElse(true)
        ? " (host key verified against " + settings.knownHosts() + ")"
        : " (host key NOT verified: verify is false)";
  }

  /**
   * The host's connection: the open one when it is alive and to the same URI, else a new one. Only
   * this host's connect is guarded: hosts connect in parallel, each worker doing its own host's
   * connect (over {@code qemu+ssh} an SSH handshake of 0.5-2 s), so a fleet waits for one connect
   * per round of {@link Settings#hostsInParallel} hosts, not one per host. A cancelled run stops
   * every connect in progress: the injected delay ends at once, and a verified {@code qemu+ssh}
   * connect has its ssh process stopped (see {@link #openOverSsh}).
   */
  private MeteredHypervisor connect(HostPlan plan, HostLayout host, Cancellation cancellation) {
    synchronized (connectGuards.computeIfAbsent(plan.name(), name -> new Object())) {
      cancellation.check(); // a cancel that came while this host's guard was taken
      return connectGuarded(plan, host, cancellation);
    }
  }

  private MeteredHypervisor connectGuarded(
      HostPlan plan, HostLayout host, Cancellation cancellation) {
    Connected existing = connections.get(plan.name());
    if (settings.simulated()) {
      if (existing != null && existing.hypervisor().isAlive()) {
        return existing.hypervisor();
      }
      if (existing != null) {
        drop(plan.name(), existing);
      }
      Optional<Path> dir = settings.simulatedDir();
      if (dir.isPresent()) {
        String uri = "test://" + SimulatedHosts.write(dir.get(), plan);
        return open(plan, uri, uri, cancellation);
      }
      // The test driver reads the file when it connects and never again: nothing stays on disk,
      // whether or not the provisioner is closed.
      Path file = SimulatedHosts.writeTemporary(plan);
      try {
        String uri = "test://" + file;
        return open(plan, uri, uri, cancellation);
      } finally {
        deleteQuietly(file);
      }
    }
    if (settings.hostUris().containsKey(plan.name())) {
      String uri = settings.hostUris().get(plan.name());
      return reuse(plan, existing, uri).orElseGet(() -> open(plan, uri, uri, cancellation));
    }
    boolean remote = host.connection().type().orElse(ConnectionType.LOCAL) == ConnectionType.REMOTE;
    boolean verified = host.connection().ssh().verify().orElse(true);
    if (remote && !verified) {
      LOG.warn(
          "host {}: verify is false, so the SSH host key of {} is NOT checked",
          plan.name(),
          host.connection().ip().orElse("?"));
    }
    // the connection's identity; the wrapper's path changes with every connect
    String uri =
        HostUris.of(host.connection(), settings.home(), settings.knownHosts(), Path.of("ssh"));
    Optional<MeteredHypervisor> reused = reuse(plan, existing, uri);
    if (reused.isPresent()) {
      return reused.get();
    }
    if (!remote || !verified) {
      return open(plan, uri, uri, cancellation);
    }
    return openOverSsh(plan, host, uri, cancellation);
  }

  /**
   * A verified {@code qemu+ssh} connect: libvirt runs the wrapper while connecting (the connect
   * returns once ssh talks to the host) and never again, so it is written for this connect only and
   * nothing stays behind. The wrapper leaves its process id (ssh's, once exec'd) in its directory;
   * a cancel during the connect marks the directory cancelled and stops that process, so libvirt's
   * connect fails at once instead of finishing the handshake (see {@link HostUris#sshWrapper}).
   */
  private MeteredHypervisor openOverSsh(
      HostPlan plan, HostLayout host, String uri, Cancellation cancellation) {
    Path dir = sshWrapper();
    Path wrapper = dir.resolve("ssh");
    try {
      String connectUri =
          HostUris.of(host.connection(), settings.home(), settings.knownHosts(), wrapper);
      return open(plan, uri, connectUri, cancellation, Optional.of(() -> stopSsh(dir)));
    } finally {
      deleteQuietly(wrapper);
      deleteQuietly(dir.resolve(HostUris.WRAPPER_PID));
      deleteQuietly(dir.resolve(HostUris.WRAPPER_CANCELLED));
      deleteQuietly(dir);
    }
  }

  /**
   * Stops the ssh of a connect in progress: marks its wrapper's directory cancelled (a wrapper not
   * started yet then exits at once), then ends the process the wrapper named, if it is one of this
   * JVM's descendants (libvirt forks it from here).
   */
  private static void stopSsh(Path dir) {
    try {
      Files.writeString(dir.resolve(HostUris.WRAPPER_CANCELLED), "");
      Path pidFile = dir.resolve(HostUris.WRAPPER_PID);
      if (!Files.exists(pidFile)) {
        return;
      }
      long pid = Long.parseLong(Files.readString(pidFile).trim());
      ProcessHandle.current()
          .descendants()
          .filter(p -> p.pid() == pid)
          .findFirst()
          .ifPresent(
              p -> {
                LOG.debug("cancelled: stopping the ssh of a connect in progress ({})", pid);
                p.destroy();
              });
    } catch (IOException | NumberFormatException e) {
      LOG.debug("cannot stop the ssh of a connect in {}: {}", dir, e.getMessage());
    }
  }

  /** The open connection to the host when it is to {@code uri} and alive; drops it otherwise. */
  private Optional<MeteredHypervisor> reuse(
      HostPlan plan, @Nullable Connected existing, String uri) {
    if (existing == null) {
      return Optional.empty();
    }
    if (existing.uri().equals(uri) && existing.hypervisor().isAlive()) {
      return Optional.of(existing.hypervisor());
    }
    drop(plan.name(), existing);
    return Optional.empty();
  }

  private MeteredHypervisor open(
      HostPlan plan, String uri, String connectUri, Cancellation cancellation) {
    return open(plan, uri, connectUri, cancellation, Optional.empty());
  }

  /**
   * Connects with {@code connectUri}; {@code uri} identifies the connection for later reuse. The
   * injected connect delay comes first and ends at a cancel; {@code stop} is run when the run is
   * cancelled while libvirt connects (without one, a connect in libvirt is waited for, as a call in
   * flight is).
   */
  private MeteredHypervisor open(
      HostPlan plan,
      String uri,
      String connectUri,
      Cancellation cancellation,
      Optional<Runnable> stop) {
    String display = HostUris.display(connectUri);
    Duration delay = settings.connectDelay();
    // the delay stands for the way to the host (an SSH handshake): a cancel ends it
    if (!delay.isZero() && cancellation.sleep(delay)) {
      cancellation.check();
      throw new HypervisorException("interrupted while connecting to " + display);
    }
    Hypervisor session;
    try {
      if (stop.isPresent()) {
        session = cancellation.stoppable(() -> connector.open(connectUri, display), stop.get());
      } else {
        cancellation.check();
        session = connector.open(connectUri, display);
      }
    } catch (HypervisorException e) {
      cancellation.check(); // stopped by the cancel: say so rather than how the connect broke
      throw e;
    }
    Optional<SimulatedHost> simulated = Optional.empty();
    if (settings.simulated()) {
      SimulatedHost host = new SimulatedHost(plan.name(), session, dhcp);
      simulated = Optional.of(host);
      session = host;
    }
    MeteredHypervisor metered =
        new MeteredHypervisor(
            hosts.apply(session),
            new Semaphore(settings.callsInFlightPerHost()),
            settings.callDelay());
    connections.put(plan.name(), new Connected(uri, metered, simulated));
    return metered;
  }

  private void drop(String host, Connected connected) {
    connections.remove(host, connected);
    closedCalls.addAndGet(connected.hypervisor().calls());
    closedMutations.addAndGet(connected.hypervisor().mutations());
    connected.hypervisor().close();
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.debug("cannot remove {}: {}", file, e.getMessage());
    }
  }

  /** Writes the ssh wrapper {@code ssh} into a new private temporary directory (mode 0700). */
  private Path sshWrapper() {
    try {
      Path dir =
          Files.createTempDirectory(
              "kubitect-ssh",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      Path file = dir.resolve("ssh");
      Files.writeString(file, HostUris.sshWrapper(settings.knownHosts(), dir));
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the ssh wrapper for qemu+ssh", e);
    }
  }

  // ---------------------------------------------------------------- readiness

  /** How often the domains of nodes whose readiness is awaited are looked at, at most. */
  private static final Duration WATCH_INTERVAL = Duration.ofSeconds(1);

  private List<NodeStatus> awaitReadiness(
      List<HostReconciler.Result> results,
      HostPlan plan,
      Hypervisor hv,
      QemuLog.Source logs,
      NodeAccess access,
      ClusterCredentials credentials,
      StepListener listener,
      Cancellation cancellation) {
    List<NodeStatus> statuses = new ArrayList<>();
    List<Future<NodeStatus>> waits = new ArrayList<>();
    ExecutorService waiters =
        Executors.newCachedThreadPool(daemonThreads("kubitect-ready-" + plan.name()));
    DomainWatch watch = new DomainWatch(hv, cancellation);
    Optional<Future<?>> watching = Optional.empty();
    try {
      for (HostReconciler.Result result : results) {
        if (result.vm().isEmpty() || cancellation.isCancelled()) {
          statuses.add(result.status());
          continue;
        }
        VmPlan vm = result.vm().get();
        Step step = Step.onNode(Phase.PROVISION, "wait until ready", plan.name(), vm.name());
        if (settings.simulated()) {
          statuses.add(simulatedAddress(vm, result.status(), hv, listener, step));
        } else if (settings.probe().isEmpty()) {
          listener.started(step);
          listener.finished(step, StepOutcome.SKIPPED, "no readiness probe configured");
          statuses.add(result.status());
        } else {
          NodeReadinessProbe probe = settings.probe().get();
          Cancellation wait = watch.watch(vm.name());
          if (watching.isEmpty()) {
            Duration interval =
                settings.readinessInterval().compareTo(WATCH_INTERVAL) < 0
                    ? settings.readinessInterval()
                    : WATCH_INTERVAL;
            watching = Optional.of(waiters.submit(() -> watch.run(interval)));
          }
          waits.add(
              waiters.submit(
                  () -> {
                    try {
                      return waitReady(
                          vm,
                          result.status(),
                          hv,
                          probe,
                          access,
                          credentials,
                          listener,
                          step,
                          cancellation,
                          new Watched(watch, wait, logs));
                    } finally {
                      watch.unwatch(vm.name());
                    }
                  }));
        }
      }
      @Nullable Throwable unexpected = null;
      for (Future<NodeStatus> wait : waits) {
        try {
          statuses.add(uninterruptibly(wait));
        } catch (ExecutionException e) {
          unexpected = e.getCause(); // the other waits are still waited for
        }
      }
      watch.stop();
      if (watching.isPresent()) {
        try {
          uninterruptibly(watching.get());
        } catch (ExecutionException e) {
          unexpected = e.getCause();
        }
      }
      if (unexpected != null) {
        throw new IllegalStateException("a readiness wait failed unexpectedly", unexpected);
      }
      return statuses;
    } finally {
      watch.stop();
      waiters.shutdown(); // every wait has ended
    }
  }

  /** A node's wait as the domain watch sees it, and where its QEMU log is read. */
  private record Watched(DomainWatch watch, Cancellation nodeWait, QemuLog.Source logs) {}

  /**
   * On a simulated host nothing boots, so readiness is not waited for; a node without a static
   * address gets the one its simulated DHCP lease (or, bridged, its guest agent) reports, read as
   * on a real host. A node whose DHCP range has no free address left fails, as it would time out on
   * a real host.
   */
  private static NodeStatus simulatedAddress(
      VmPlan vm, NodeStatus status, Hypervisor hv, StepListener listener, Step step) {
    listener.started(step);
    if (vm.staticIp().isPresent()) {
      listener.finished(step, StepOutcome.SKIPPED, "simulated host, nothing boots");
      return status;
    }
    String source = vm.bridged() ? "the guest agent" : "DHCP leases of " + vm.networkSource();
    try {
      List<String> addresses = hv.addresses(vm.name(), vm.bridged());
      if (addresses.isEmpty()) {
        HypervisorException none =
            new HypervisorException(
                "node "
                    + vm.name()
                    + " on host "
                    + vm.host()
                    + " (network "
                    + vm.networkSource()
                    + ", MAC "
                    + vm.mac()
                    + ") got no address from "
                    + source
                    + ": the simulated DHCP server has no free address left in its range");
        listener.failed(step, none);
        return failedStatus(
            status, Optional.empty(), "host " + vm.host() + ", " + none.getMessage());
      }
      String address = addresses.get(0);
      listener.finished(
          step,
          StepOutcome.SKIPPED,
          "simulated host, nothing boots; address " + address + " from " + source);
      return new NodeStatus(
          status.name(),
          status.host(),
          Optional.of(address),
          status.mac(),
          status.change(),
          false,
          Optional.empty());
    } catch (RuntimeException e) {
      listener.failed(step, e);
      return failedStatus(
          status,
          Optional.empty(),
          "host " + vm.host() + ", node " + vm.name() + ": " + HostReconciler.message(e));
    }
  }

  // ---------------------------------------------------------------- artifacts

  /**
   * See {@code InfrastructureProvisioner.writeArtifacts}: on simulated hosts, what each host of the
   * topology holds after the last apply ({@link SimulatedArtifacts}); empty on real hosts.
   */
  public Optional<String> writeArtifacts(Topology topology, Path directory) {
    if (!settings.simulated()) {
      return Optional.empty();
    }
    List<HostPlan> plans = Layout.of(topology, settings.home());
    Map<String, SimulatedHost> simulated = new java.util.LinkedHashMap<>();
    for (HostPlan plan : plans) {
      Connected connected = connections.get(plan.name());
      if (connected != null) {
        connected.simulated().ifPresent(host -> simulated.put(plan.name(), host));
      }
    }
    return Optional.of(SimulatedArtifacts.write(plans, simulated, directory));
  }

  /** The future's value, waiting through interrupts (kept): its task must end before we do. */
  private static <T> T uninterruptibly(Future<T> future) throws ExecutionException {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return future.get();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private NodeStatus waitReady(
      VmPlan vm,
      NodeStatus status,
      Hypervisor hv,
      NodeReadinessProbe probe,
      NodeAccess access,
      ClusterCredentials credentials,
      StepListener listener,
      Step step,
      Cancellation cancellation,
      Watched watched) {
    listener.started(step);
    long deadline = System.nanoTime() + settings.readinessTimeout().toNanos();
    Optional<String> ip = vm.staticIp();
    String lastSeen = "nothing yet";
    // the node's wait: cancelled with the run, or alone when its domain is found dead
    Cancellation wait = watched.nodeWait();
    while (true) {
      if (cancellation.isCancelled()) {
        Cancellation.CancelledException cancelled = new Cancellation.CancelledException();
        listener.failed(step, cancelled);
        return failedStatus(
            status,
            ip,
            "host " + vm.host() + ", node " + vm.name() + ": " + cancelled.getMessage());
      }
      Optional<DomainWatch.Dead> dead = watched.watch().dead(vm.name());
      if (dead.isPresent()) {
        String what = deadDomain(vm, dead.get(), hv, watched.logs(), cancellation);
        listener.failed(
            step,
            new HypervisorException("node " + vm.name() + " on host " + vm.host() + ": " + what));
        return failedStatus(status, ip, "host " + vm.host() + ", node " + vm.name() + ": " + what);
      }
      try {
        if (ip.isEmpty()) {
          List<String> addresses = hv.addresses(vm.name(), vm.bridged());
          if (addresses.isEmpty()) {
            lastSeen =
                "no address yet (from "
                    + (vm.bridged() ? "the guest agent" : "DHCP leases of " + vm.networkSource())
                    + ")";
          } else {
            ip = Optional.of(addresses.get(0));
          }
        }
        if (ip.isPresent()) {
          String address = ip.get();
          NodeReadinessProbe.Readiness readiness =
              wait.interruptibly(() -> probe.probe(vm.node(), access, address, credentials));
          if (readiness.ready()) {
            listener.finished(step, "ready at " + address);
            return new NodeStatus(
                status.name(),
                status.host(),
                ip,
                status.mac(),
                status.change(),
                true,
                Optional.empty());
          }
          lastSeen = address + ": " + readiness.lastSeen();
        }
      } catch (HostKeyMismatchException e) {
        listener.failed(step, e);
        return failedStatus(
            status,
            ip,
            "host " + vm.host() + ", node " + vm.name() + ": " + HostReconciler.message(e));
      } catch (RuntimeException e) {
        if (wait.isCancelled()) {
          continue; // the run was cancelled or the domain died: said at the top
        }
        lastSeen = e.getMessage() == null ? e.toString() : e.getMessage();
      }
      if (System.nanoTime() > deadline) {
        String message =
            "node "
                + vm.name()
                + " on host "
                + vm.host()
                + " (network "
                + vm.networkSource()
                + ", MAC "
                + vm.mac()
                + ") was not ready within "
                + settings.readinessTimeout().toSeconds()
                + " s; last seen: "
                + lastSeen;
        listener.failed(step, new HypervisorException(message));
        return failedStatus(status, ip, "host " + vm.host() + ", " + message);
      }
      if (wait.sleep(settings.readinessInterval()) && !wait.isCancelled()) {
        listener.failed(step, new InterruptedException());
        return failedStatus(status, ip, "interrupted while waiting for " + vm.name());
      }
    }
  }

  /**
   * The error of a node whose domain died while its readiness was awaited: libvirt's state and
   * reason, the end of the domain's QEMU log (or why it could not be read), and a hint when KVM
   * could not run the guest.
   */
  private static String deadDomain(
      VmPlan vm,
      DomainWatch.Dead dead,
      Hypervisor hv,
      QemuLog.Source logs,
      Cancellation cancellation) {
    QemuLog.Tail tail = logs.read(vm.name(), cancellation);
    StringBuilder message =
        new StringBuilder(
            "its domain stopped while the node's readiness was awaited: "
                + dead.describe()
                + ", so the node will not become ready and is not waited for any longer\n    "
                + tail.describe("      "));
    if (tail.kvmFailure()) {
      message
          .append("\n    hint: KVM cannot run this guest on host ")
          .append(vm.host())
          .append(
              " (broken or nested virtualisation); build the provisioner with"
                  + " LibvirtProvisioner.builder().domainType(LibvirtProvisioner.DomainType.QEMU)"
                  + " (or set KUBITECT_DOMAIN_TYPE=qemu for the default provisioner and the"
                  + " command line) to run its VMs under software emulation (slower)");
    } else if (tail.unreadable().isPresent() && domainType(vm, hv).equals(Optional.of("kvm"))) {
      message
          .append("\n    hint: the domain runs with type='kvm'; if KVM cannot run guests on host ")
          .append(vm.host())
          .append(
              " (its QEMU log then says 'KVM internal error' or 'failed to set MSR'), build the"
                  + " provisioner with"
                  + " LibvirtProvisioner.builder().domainType(LibvirtProvisioner.DomainType.QEMU)"
                  + " (or set KUBITECT_DOMAIN_TYPE=qemu)");
    }
    return message.toString();
  }

  /** The domain's type ({@code kvm}, {@code qemu}) as libvirt holds it; empty if unknown. */
  private static Optional<String> domainType(VmPlan vm, Hypervisor hv) {
    try {
      Optional<Hypervisor.DomainState> domain = hv.domain(vm.name());
      if (domain.isEmpty()) {
        return Optional.empty();
      }
      String type = DomainXml.parse(domain.get().xml()).getDocumentElement().getAttribute("type");
      return type.isEmpty() ? Optional.empty() : Optional.of(type);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static NodeStatus failedStatus(NodeStatus status, Optional<String> ip, String error) {
    return new NodeStatus(
        status.name(),
        status.host(),
        ip,
        status.mac(),
        ResourceChange.FAILED,
        false,
        Optional.of(error));
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /** Closes every connection. */
  @Override
  public synchronized void close() {
    for (Map.Entry<String, Connected> entry : Map.copyOf(connections).entrySet()) {
      drop(entry.getKey(), entry.getValue());
    }
  }
}
