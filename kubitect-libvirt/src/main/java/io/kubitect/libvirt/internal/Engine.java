package io.kubitect.libvirt.internal;

import io.kubitect.core.ApplyListener;
import io.kubitect.core.ClusterCredentials;
import io.kubitect.core.HostKeyMismatchException;
import io.kubitect.core.InfrastructureStatus;
import io.kubitect.core.NodeReadinessProbe;
import io.kubitect.core.NodeStatus;
import io.kubitect.core.Phase;
import io.kubitect.core.ProvisioningException;
import io.kubitect.core.ResourceChange;
import io.kubitect.core.Step;
import io.kubitect.core.Topology;
import io.kubitect.model.ConnectionType;
import io.kubitect.model.Host;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs applies and destroys over all hosts: one connection per host, kept open between calls (a
 * simulated host's state lives in it) and replaced when it died; hosts in parallel, each with its
 * own bounded executor; readiness waits after the VMs run. The entry point of {@code
 * LibvirtProvisioner}; not API.
 */
public final class Engine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

  private final Settings settings;
  private final Map<String, Connected> connections = new ConcurrentHashMap<>();
  private final AtomicLong closedCalls = new AtomicLong();
  private final AtomicLong closedMutations = new AtomicLong();
  private @Nullable Path sshWrapper;

  private record Connected(String uri, MeteredHypervisor hypervisor) {}

  /** An engine with these settings; connects lazily. */
  public Engine(Settings settings) {
    this.settings = settings;
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
      Topology topology, ClusterCredentials credentials, ApplyListener listener) {
    List<HostPlan> plans = Layout.of(topology, settings.home());
    long mutationsBefore = mutatingCalls();
    Step simulatedStep = Step.of(Phase.PROVISION, "simulated hosts (libvirt test driver)");
    if (settings.simulated()) {
      listener.started(simulatedStep);
    }
    List<NodeStatus> statuses =
        forEachHost(
            topology,
            plans,
            listener,
            (plan, hv, executor) -> {
              HostReconciler reconciler =
                  new HostReconciler(plan, hv, executor, listener, settings);
              List<HostReconciler.Result> results = reconciler.apply(credentials).join();
              return awaitReadiness(results, plan, hv, credentials, listener);
            },
            plan -> plan.vms().stream().map(VmPlan::name).toList());
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

  /** See {@code InfrastructureProvisioner.destroy}. */
  public void destroy(Topology topology, ApplyListener listener) {
    List<HostPlan> plans = Layout.of(topology, settings.home());
    List<NodeStatus> statuses =
        forEachHost(
            topology,
            plans,
            listener,
            (plan, hv, executor) ->
                new HostReconciler(plan, hv, executor, listener, settings).destroy().join(),
            plan -> List.of("(cluster resources)"));
    List<NodeStatus> failures =
        statuses.stream().filter(s -> s.change() == ResourceChange.FAILED).toList();
    if (!failures.isEmpty()) {
      throw failure("destroy", statuses, failures);
    }
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
    List<NodeStatus> run(HostPlan plan, Hypervisor hv, ExecutorService executor);
  }

  private List<NodeStatus> forEachHost(
      Topology topology,
      List<HostPlan> plans,
      ApplyListener listener,
      HostWork work,
      java.util.function.Function<HostPlan, List<String>> affected) {
    ExecutorService hostPool =
        Executors.newFixedThreadPool(
            Math.max(1, Math.min(settings.hostsInParallel(), plans.size())),
            daemonThreads("kubitect-host"));
    try {
      List<Future<List<NodeStatus>>> futures = new ArrayList<>();
      for (HostPlan plan : plans) {
        Host host =
            topology.hosts().stream()
                .filter(h -> h.name().orElse("").equals(plan.name()))
                .findFirst()
                .orElseThrow();
        futures.add(hostPool.submit(() -> onHost(plan, host, listener, work, affected)));
      }
      List<NodeStatus> statuses = new ArrayList<>();
      for (Future<List<NodeStatus>> future : futures) {
        statuses.addAll(future.get());
      }
      return statuses;
    } catch (ExecutionException e) {
      throw new IllegalStateException("a host worker failed unexpectedly", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProvisioningException("interrupted", e);
    } finally {
      hostPool.shutdownNow();
    }
  }

  private List<NodeStatus> onHost(
      HostPlan plan,
      Host host,
      ApplyListener listener,
      HostWork work,
      java.util.function.Function<HostPlan, List<String>> affected) {
    MeteredHypervisor hv;
    Step connect = Step.onHost(Phase.PROVISION, "connect", plan.name());
    listener.started(connect);
    try {
      hv = connect(plan, host);
      listener.finished(connect, "connected to " + hv.uri() + verifyNote(host));
    } catch (RuntimeException e) {
      listener.failed(connect, e);
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
                Optional.of("host " + plan.name() + ", node " + node + ": " + e.getMessage())));
      }
      return failed;
    }
    ExecutorService executor =
        Executors.newFixedThreadPool(
            settings.callsInFlightPerHost(), daemonThreads("kubitect-libvirt-" + plan.name()));
    try {
      return work.run(plan, hv, executor);
    } finally {
      executor.shutdownNow();
    }
  }

  private String verifyNote(Host host) {
    if (settings.simulated()
        || settings.hostUris().containsKey(host.name().orElse(""))
        || host.connection().type().orElse(ConnectionType.LOCAL) != ConnectionType.REMOTE) {
      return "";
    }
    return host.connection().ssh().verify().orElse(true)
        ? " (host key verified against " + settings.knownHosts() + ")"
        : " (host key NOT verified: verify is false)";
  }

  private synchronized MeteredHypervisor connect(HostPlan plan, Host host) {
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
        return open(plan, "test://" + SimulatedHosts.write(dir.get(), plan));
      }
      // The test driver reads the file when it connects and never again: nothing stays on disk,
      // whether or not the provisioner is closed.
      Path file = SimulatedHosts.writeTemporary(plan);
      try {
        return open(plan, "test://" + file);
      } finally {
        SimulatedHosts.delete(file);
      }
    }
    String uri;
    if (settings.hostUris().containsKey(plan.name())) {
      uri = settings.hostUris().get(plan.name());
    } else {
      boolean remote =
          host.connection().type().orElse(ConnectionType.LOCAL) == ConnectionType.REMOTE;
      if (remote && !host.connection().ssh().verify().orElse(true)) {
        LOG.warn(
            "host {}: verify is false, so the SSH host key of {} is NOT checked",
            plan.name(),
            host.connection().ip().orElse("?"));
      }
      uri = HostUris.of(host, settings.home(), settings.knownHosts(), sshWrapper());
    }
    if (existing != null) {
      if (existing.uri().equals(uri) && existing.hypervisor().isAlive()) {
        return existing.hypervisor();
      }
      drop(plan.name(), existing);
    }
    return open(plan, uri);
  }

  private MeteredHypervisor open(HostPlan plan, String uri) {
    Hypervisor session = LibvirtSession.open(uri, HostUris.display(uri));
    MeteredHypervisor metered =
        new MeteredHypervisor(
            session, new Semaphore(settings.callsInFlightPerHost()), settings.callDelay());
    connections.put(plan.name(), new Connected(uri, metered));
    return metered;
  }

  private void drop(String host, Connected connected) {
    connections.remove(host, connected);
    closedCalls.addAndGet(connected.hypervisor().calls());
    closedMutations.addAndGet(connected.hypervisor().mutations());
    connected.hypervisor().close();
  }

  private synchronized Path sshWrapper() {
    if (sshWrapper == null) {
      try {
        Path dir =
            Files.createTempDirectory(
                "kubitect-ssh",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path file = dir.resolve("ssh");
        Files.writeString(file, HostUris.sshWrapper(settings.knownHosts()));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        sshWrapper = file;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the ssh wrapper for qemu+ssh", e);
      }
    }
    return sshWrapper;
  }

  // ---------------------------------------------------------------- readiness

  private List<NodeStatus> awaitReadiness(
      List<HostReconciler.Result> results,
      HostPlan plan,
      Hypervisor hv,
      ClusterCredentials credentials,
      ApplyListener listener) {
    List<NodeStatus> statuses = new ArrayList<>();
    List<Future<NodeStatus>> waits = new ArrayList<>();
    ExecutorService waiters =
        Executors.newCachedThreadPool(daemonThreads("kubitect-ready-" + plan.name()));
    try {
      for (HostReconciler.Result result : results) {
        if (result.vm().isEmpty()) {
          statuses.add(result.status());
          continue;
        }
        VmPlan vm = result.vm().get();
        Step step = Step.onNode(Phase.PROVISION, "wait until ready", plan.name(), vm.name());
        if (settings.simulated()) {
          listener.started(step);
          listener.finished(step, "skipped: simulated host, nothing boots");
          statuses.add(result.status());
        } else if (settings.probe().isEmpty()) {
          listener.started(step);
          listener.finished(step, "skipped: no readiness probe configured");
          statuses.add(result.status());
        } else {
          NodeReadinessProbe probe = settings.probe().get();
          waits.add(
              waiters.submit(
                  () -> waitReady(vm, result.status(), hv, probe, credentials, listener, step)));
        }
      }
      for (Future<NodeStatus> wait : waits) {
        statuses.add(wait.get());
      }
      return statuses;
    } catch (ExecutionException e) {
      throw new IllegalStateException("a readiness wait failed unexpectedly", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProvisioningException("interrupted while waiting for nodes", e);
    } finally {
      waiters.shutdownNow();
    }
  }

  private NodeStatus waitReady(
      VmPlan vm,
      NodeStatus status,
      Hypervisor hv,
      NodeReadinessProbe probe,
      ClusterCredentials credentials,
      ApplyListener listener,
      Step step) {
    listener.started(step);
    long deadline = System.nanoTime() + settings.readinessTimeout().toNanos();
    Optional<String> ip = vm.staticIp();
    String lastSeen = "nothing yet";
    while (true) {
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
          NodeReadinessProbe.Readiness readiness = probe.probe(vm.node(), ip.get(), credentials);
          if (readiness.ready()) {
            listener.finished(step, "ready at " + ip.get());
            return new NodeStatus(
                status.name(),
                status.host(),
                ip,
                status.mac(),
                status.change(),
                true,
                Optional.empty());
          }
          lastSeen = ip.get() + ": " + readiness.lastSeen();
        }
      } catch (HostKeyMismatchException e) {
        listener.failed(step, e);
        return failedStatus(
            status,
            ip,
            "host " + vm.host() + ", node " + vm.name() + ": " + HostReconciler.message(e));
      } catch (RuntimeException e) {
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
      try {
        Thread.sleep(settings.readinessInterval().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        listener.failed(step, e);
        return failedStatus(status, ip, "interrupted while waiting for " + vm.name());
      }
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

  /** Closes every connection and removes the ssh wrapper. */
  @Override
  public synchronized void close() {
    for (Map.Entry<String, Connected> entry : Map.copyOf(connections).entrySet()) {
      drop(entry.getKey(), entry.getValue());
    }
    Path wrapper = sshWrapper;
    if (wrapper != null) {
      try {
        Files.deleteIfExists(wrapper);
        Files.deleteIfExists(wrapper.getParent());
      } catch (IOException e) {
        LOG.debug("cannot remove {}: {}", wrapper, e.getMessage());
      }
      sshWrapper = null;
    }
  }
}
