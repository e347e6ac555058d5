package io.kubitect.core;

import io.kubitect.core.spi.ClusterCredentials;
import io.kubitect.core.spi.ExecutorProvider;
import io.kubitect.core.spi.InfrastructureProvisioner;
import io.kubitect.core.spi.InfrastructureStatus;
import io.kubitect.core.spi.KubernetesInstaller;
import io.kubitect.core.spi.LoadBalancerConfigurator;
import io.kubitect.core.spi.Node;
import io.kubitect.core.spi.Topology;
import io.kubitect.model.ClusterSpec;
import io.kubitect.model.ConfigFormat;
import io.kubitect.model.KubitectException;
import io.kubitect.model.KubitectYaml;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SDK's entry point: validate, plan, apply, destroy, export and list clusters.
 *
 * <p>{@code Kubitect.builder().build()} composes the default executors found on the class path
 * ({@link ExecutorProvider}): with the libvirt and Kubespray modules there, a real provisioner that
 * waits until every node answers SSH with its verified host key, keepalived/HAProxy load balancers
 * and Kubespray. Applications may instead set each executor explicitly. A {@code Kubitect} owns its
 * executors and closes them in {@link #close()}.
 *
 * <pre>{@code
 * try (Kubitect kubitect = Kubitect.builder().stateDirectory(dir).build()) {
 *   Plan plan = kubitect.plan(spec, ApplyAction.CREATE);   // review it
 *   AppliedCluster cluster = kubitect.apply(plan);          // exactly what was reviewed
 * }
 * }</pre>
 *
 * An apply holds an exclusive lock on its cluster; a second apply of the same cluster fails at once
 * naming the holder. A crashed or killed apply leaves a journal, and the next apply of the same
 * specification resumes from it. Instances are thread-safe: applies of different clusters may run
 * in parallel.
 */
public final class Kubitect implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Kubitect.class);

  private final @Nullable InfrastructureProvisioner provisioner;
  private final @Nullable LoadBalancerConfigurator loadBalancers;
  private final @Nullable KubernetesInstaller installer;
  private final boolean withoutLoadBalancers;
  private final boolean withoutKubernetes;
  private final Path stateDirectory;
  private final Path home;
  private final EventDispatcher events;
  private final Approval approval;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Set<ApplyRun> running = ConcurrentHashMap.newKeySet();

  private Kubitect(Builder b) {
    this.provisioner = b.provisioner;
    this.loadBalancers = b.loadBalancers;
    this.installer = b.installer;
    this.withoutLoadBalancers = b.withoutLoadBalancers;
    this.withoutKubernetes = b.withoutKubernetes;
    this.stateDirectory = Objects.requireNonNull(b.stateDirectory);
    this.home = b.home;
    this.events = new EventDispatcher(b.listeners);
    this.approval = b.approval;
  }

  /** A builder: default executors from the class path, state under {@code ~/.kubitect/clusters}. */
  public static Builder builder() {
    return new Builder();
  }

  /** Composes a {@link Kubitect}. */
  public static final class Builder {
    private @Nullable InfrastructureProvisioner provisioner;
    private @Nullable LoadBalancerConfigurator loadBalancers;
    private @Nullable KubernetesInstaller installer;
    private Path home = Path.of(System.getProperty("user.home"));
    private @Nullable Path stateDirectory;
    private final List<KubitectListener> listeners = new ArrayList<>();
    private Approval approval = Approval.SAFE_ONLY;
    private boolean discover;
    private boolean withoutExecutors;
    private boolean withoutLoadBalancers;
    private boolean withoutKubernetes;
    private boolean simulatedHosts;
    private boolean checkRenderedArtifacts;

    private Builder() {}

    /**
     * Fills every executor not set explicitly with the first one an {@link ExecutorProvider} on the
     * class path supplies. This is what {@link #build()} does when no executor was set at all; call
     * it to keep the defaults for the executors you do not set.
     */
    public Builder discoverExecutors() {
      this.discover = true;
      return this;
    }

    /**
     * No executor at all, and no discovery: validate, plan, list, export and read state only; apply
     * and destroy are refused.
     */
    public Builder withoutExecutors() {
      this.withoutExecutors = true;
      return this;
    }

    /**
     * Default executors for simulated hosts (libvirt's test driver): VMs, disks, networks and
     * cloud-init are defined for real there, nothing boots, and the load balancer and Kubernetes
     * steps write what they would use into the cluster directory. For tests and dry runs.
     */
    public Builder simulatedHosts() {
      this.simulatedHosts = true;
      return this;
    }

    /**
     * On simulated hosts, the default executors have the real tools check what they render ({@code
     * haproxy -c} on haproxy.cfg, {@code ansible-inventory} on the inventory); a tool that is not
     * installed is then an error. Off by default: it costs seconds per apply.
     */
    public Builder checkRenderedArtifacts() {
      this.checkRenderedArtifacts = true;
      return this;
    }

    /** The provisioner of hosts and VMs. */
    public Builder provisioner(InfrastructureProvisioner provisioner) {
      this.provisioner = provisioner;
      return this;
    }

    /** The configurator of the load balancers. */
    public Builder loadBalancers(LoadBalancerConfigurator loadBalancers) {
      this.loadBalancers = loadBalancers;
      return this;
    }

    /** The Kubernetes installer. */
    public Builder installer(KubernetesInstaller installer) {
      this.installer = installer;
      return this;
    }

    /**
     * Applies provision VMs and configure load balancers but install no Kubernetes (the phase is
     * reported as skipped). Without this, an apply with no installer is refused.
     */
    public Builder withoutKubernetes() {
      this.withoutKubernetes = true;
      return this;
    }

    /**
     * Applies leave the load-balancer VMs unconfigured (the phase is reported as skipped). Without
     * this, an apply of a cluster with load balancers and no configurator is refused.
     */
    public Builder withoutLoadBalancers() {
      this.withoutLoadBalancers = true;
      return this;
    }

    /**
     * Where cluster directories live (one sub-directory per cluster); {@code ~/.kubitect/clusters}
     * by default.
     */
    public Builder stateDirectory(Path directory) {
      this.stateDirectory = directory;
      return this;
    }

    /** The home directory {@code ~} in specification paths stands for. */
    public Builder home(Path home) {
      this.home = home;
      return this;
    }

    /** Adds a listener of typed events; each gets them in order on a thread of its own. */
    public Builder listener(KubitectListener listener) {
      this.listeners.add(listener);
      return this;
    }

    /** Decides on plans with dangerous changes; {@link Approval#SAFE_ONLY} by default. */
    public Builder approval(Approval approval) {
      this.approval = approval;
      return this;
    }

    /**
     * The configured SDK.
     *
     * @throws KubitectException when an executor provider fails to build its executor
     */
    public Kubitect build() {
      if (stateDirectory == null) {
        stateDirectory = home.resolve(".kubitect").resolve("clusters");
      }
      boolean nothingSet = provisioner == null && loadBalancers == null && installer == null;
      if (!withoutExecutors && (discover || nothingSet)) {
        ExecutorProvider.Context context =
            new ExecutorProvider.Context(home, simulatedHosts, checkRenderedArtifacts);
        for (ExecutorProvider provider : ServiceLoader.load(ExecutorProvider.class)) {
          if (provisioner == null) {
            provisioner = provider.provisioner(context).orElse(null);
          }
          if (loadBalancers == null && !withoutLoadBalancers) {
            loadBalancers = provider.loadBalancers(context).orElse(null);
          }
          if (installer == null && !withoutKubernetes) {
            installer = provider.installer(context).orElse(null);
          }
        }
      }
      return new Kubitect(this);
    }
  }

  /**
   * Validates {@code spec} and plans {@code action} against what was applied before. The plan
   * carries the specification, the validator's {@linkplain Plan#warnings() warnings} and a
   * fingerprint of the recorded state, so {@link #apply(Plan)} runs exactly what was reviewed.
   *
   * @throws ValidationException when the specification has errors
   * @throws DamagedStateException when the applied state cannot be read
   */
  public Plan plan(ClusterSpec spec, ApplyAction action) {
    requireOpen();
    ValidationReport report = SpecValidator.validate(spec);
    report.throwIfInvalid();
    return plan(directory(spec), spec, action, report.warnings());
  }

  private static Plan plan(
      ClusterDirectory dir, ClusterSpec spec, ApplyAction action, List<Violation> warnings) {
    String fingerprint = dir.appliedFingerprint();
    Topology topology = Topology.of(spec);
    Optional<ClusterSpec> applied = dir.appliedSpec();
    List<Violation> all = new ArrayList<>(warnings);
    boolean rookWasEnabled = applied.flatMap(a -> a.addons().rook().enabled()).orElse(false);
    if (rookWasEnabled && !spec.addons().rook().enabled().orElse(false)) {
      all.add(
          new Violation(
              Severity.WARNING,
              "addons.rook.enabled",
              "Rook was enabled and is now disabled: the SDK does not uninstall it (its volumes"
                  + " and data would go with it); it keeps running until removed with helm"
                  + " uninstall"));
    }
    return Planner.plan(applied, topology, action)
        .withContext(spec, topology, all, dir.root(), fingerprint);
  }

  /**
   * Plans and applies in one call, the plan made under the cluster's lock; see {@link
   * #apply(Plan)}.
   */
  public AppliedCluster apply(ClusterSpec spec, ApplyAction action) {
    requireOpen();
    ValidationReport report = SpecValidator.validate(spec);
    report.throwIfInvalid();
    requireExecutors(spec);
    ClusterDirectory dir = directory(spec);
    // Planned again under the lock; this one only decides whether a missing tool refuses the
    // apply before the directory is created.
    requireTools(plan(dir, spec, action, report.warnings()));
    dir.create();
    ClusterLock lock = ClusterLock.acquire(dir.lockFile(), dir.cluster(), "apply");
    try {
      return applyLocked(plan(dir, spec, action, report.warnings()), dir);
    } finally {
      lock.close();
      events.flush();
    }
  }

  /**
   * Applies a reviewed plan: provision, load balancers, Kubernetes, kubeconfig. Refused changes,
   * and dangerous ones the {@link Approval} declines, stop before anything is touched. An unchanged
   * specification reconciles the hosts and load balancers (repairing drift; {@link
   * AppliedCluster#mutatingCalls()} is 0 when there was none) and does not rerun Kubernetes. An
   * interrupted thread stops the apply between steps (the provisioner before its next call, once
   * every worker stopped), leaving a state the next apply continues from.
   *
   * @throws StalePlanException when the recorded state changed since the plan was made
   * @throws ChangeRefusedException when the plan is refused or not approved
   * @throws KubitectException when an executor the plan needs is missing; nothing is touched
   * @throws ApplyException when a phase fails; it says what finished and what did not start
   */
  public AppliedCluster apply(Plan plan) {
    requireOpen();
    ClusterSpec spec = plan.spec();
    requireExecutors(spec);
    requireTools(plan);
    ClusterDirectory dir = directory(spec);
    if (!dir.root().equals(plan.clusterDirectory())) {
      throw new StalePlanException(
          "the plan for cluster "
              + plan.cluster()
              + " was made for the state in "
              + plan.clusterDirectory()
              + ", not "
              + dir.root()
              + "; plan again with this Kubitect");
    }
    dir.create();
    ClusterLock lock = ClusterLock.acquire(dir.lockFile(), dir.cluster(), "apply");
    try {
      if (!dir.appliedFingerprint().equals(plan.stateFingerprint())) {
        throw new StalePlanException(
            "cluster "
                + plan.cluster()
                + " changed since the plan was made (another apply or destroy ran); plan again"
                + " and review the new plan");
      }
      return applyLocked(plan, dir);
    } finally {
      lock.close();
      events.flush();
    }
  }

  /**
   * Starts {@link #apply(Plan)} on a thread of its own and returns at once. {@link
   * ApplyRun#cancel()} stops it at a safe point and returns once every worker has stopped; the next
   * apply converges from what it left.
   */
  public ApplyRun applyAsync(Plan plan) {
    requireOpen();
    ApplyRun run = new ApplyRun(plan.cluster(), () -> apply(plan), running::remove);
    running.add(run);
    run.start();
    return run;
  }

  /** Refuses, before anything is touched, an apply that an executor is missing for. */
  private void requireExecutors(ClusterSpec spec) {
    String cluster = spec.cluster().name().orElse("?");
    if (provisioner == null) {
      throw new KubitectException(
          "cannot apply cluster "
              + cluster
              + ": no InfrastructureProvisioner is configured; put kubitect-libvirt on the class"
              + " path or set Kubitect.builder().provisioner(...)");
    }
    if (loadBalancers == null
        && !withoutLoadBalancers
        && !spec.cluster().nodes().loadBalancer().instances().isEmpty()) {
      throw new KubitectException(
          "cannot apply cluster "
              + cluster
              + ": it has load balancers and no LoadBalancerConfigurator is configured; set"
              + " Kubitect.builder().loadBalancers(...), or withoutLoadBalancers() to leave them"
              + " unconfigured");
    }
    if (installer == null && !withoutKubernetes) {
      throw new KubitectException(
          "cannot apply cluster "
              + cluster
              + ": no KubernetesInstaller is configured; put kubitect-kubespray on the class path,"
              + " set Kubitect.builder().installer(...), or withoutKubernetes() for VMs only");
    }
  }

  /**
   * Refuses, before anything is touched, an apply on real hosts whose installer steps need a tool
   * this machine lacks (helm for Rook); simulated hosts run no installer.
   */
  private void requireTools(Plan plan) {
    KubernetesInstaller k = installer;
    InfrastructureProvisioner p = provisioner;
    if (k == null || p == null || p.simulated() || plan.installerSteps().isEmpty()) {
      return;
    }
    List<String> missing = k.missingTools(plan.topology());
    if (!missing.isEmpty()) {
      throw new KubitectException(
          "cannot apply cluster " + plan.cluster() + ": " + String.join("; ", missing));
    }
  }

  private AppliedCluster applyLocked(Plan plan, ClusterDirectory dir) {
    InfrastructureProvisioner p = Objects.requireNonNull(provisioner);
    Optional<ProvisioningRecord> record = dir.provisioning();
    if (record.isPresent() && record.get().simulated() != p.simulated()) {
      throw new KubitectException(
          "cluster "
              + dir.cluster()
              + " was provisioned on "
              + record.get().describe()
              + "; it cannot be applied on "
              + (p.simulated() ? "simulated" : "real")
              + " hosts: destroy it first, or use a provisioner of the same kind");
    }
    EventBridge bridge = new EventBridge(dir.cluster(), events);
    plan.warnings().forEach(w -> bridge.warning(w.toString()));
    long planStart = System.nanoTime();
    String planAction = "plan " + plan.action().toString().toLowerCase(java.util.Locale.ROOT);
    bridge.phaseStarted(Phase.PLAN, planAction, 0);
    if (plan.isRefused()) {
      ChangeRefusedException refused =
          new ChangeRefusedException(
              "the plan for cluster " + plan.cluster() + " has refused changes:\n" + plan.render(),
              plan);
      bridge.phaseFailed(Phase.PLAN, planAction, refused, planStart);
      throw refused;
    }
    Topology topology = plan.topology();
    // Written once: the run id, the desired file and the applied file are the same text.
    String specYaml = KubitectYaml.write(topology.spec());
    Journal journal = new Journal(dir.journalFile(), runId(specYaml, plan.action()));
    if (!plan.hasChanges() && !journal.isResuming()) {
      // Nothing to change in the spec: still reconcile the hosts and load balancers, so a VM
      // that was stopped or deleted behind the SDK's back comes back. Kubernetes is not rerun.
      bridge.phaseFinished(Phase.PLAN, planAction, "no changes; checking the hosts", planStart);
      InfrastructureStatus done = new Run(dir, topology, specYaml, plan, journal, bridge).execute();
      return cluster(dir, Optional.of(topology), Optional.of(done)).orElseThrow();
    }
    if (!plan.dangerous().isEmpty() && !approval.approve(plan)) {
      ChangeRefusedException declined =
          new ChangeRefusedException(
              "dangerous changes were not approved:\n" + plan.render(), plan, true);
      bridge.phaseFailed(Phase.PLAN, planAction, declined, planStart);
      throw declined;
    }
    if (journal.isResuming()) {
      LOG.info("cluster {}: resuming an interrupted apply from its journal", plan.cluster());
    }
    bridge.phaseFinished(
        Phase.PLAN,
        planAction,
        journal.isResuming()
            ? "resuming an interrupted apply"
            : plan.isNewCluster()
                ? "new cluster of " + topology.nodes().size() + " nodes"
                : plan.changes().size() + " changes",
        planStart);
    InfrastructureStatus done = new Run(dir, topology, specYaml, plan, journal, bridge).execute();
    return cluster(dir, Optional.of(topology), Optional.of(done)).orElseThrow();
  }

  /** One apply in progress: the phases in order, each reported and journaled. */
  private final class Run {
    private final ClusterDirectory dir;
    private final Topology topology;
    private final String specYaml;
    private final Plan plan;
    private final Journal journal;
    private final EventBridge listener;
    private final List<Phase> finished = new ArrayList<>();
    private InfrastructureStatus infrastructure;

    Run(
        ClusterDirectory dir,
        Topology topology,
        String specYaml,
        Plan plan,
        Journal journal,
        EventBridge listener) {
      this.dir = dir;
      this.topology = topology;
      this.specYaml = specYaml;
      this.plan = plan;
      this.journal = journal;
      this.listener = listener;
      this.infrastructure = dir.infrastructure();
    }

    /** Runs every phase; returns what provisioning did to each node (or the state's view). */
    InfrastructureStatus execute() {
      dir.saveDesired(specYaml);
      ClusterCredentials creds = dir.credentials(topology, home);
      List<Plan.InstallerStep> removals =
          plan.installerSteps().stream()
              .filter(s -> s.action() == KubernetesInstaller.Action.REMOVE_NODES)
              .toList();
      List<Plan.InstallerStep> rest =
          plan.installerSteps().stream()
              .filter(s -> s.action() != KubernetesInstaller.Action.REMOVE_NODES)
              .toList();
      List<PhaseCall> calls = new ArrayList<>();
      // Nodes leave Kubernetes while their VMs still run; only then does provisioning remove them.
      if (!removals.isEmpty()) {
        calls.add(
            new PhaseCall(
                Phase.KUBERNETES,
                "remove nodes",
                nodesOf(removals),
                () -> install(removals, creds)));
      }
      calls.add(
          new PhaseCall(
              Phase.PROVISION, "provision hosts", plan.nodes().size(), () -> provision(creds)));
      if (plan.configuresLoadBalancers()
          || plan.isNewCluster()
          || journal.isResuming()
          || !plan.hasChanges()) {
        calls.add(
            new PhaseCall(
                Phase.LOAD_BALANCERS,
                "configure load balancers",
                topology.nodes(NodeRole.LOAD_BALANCER).size(),
                () -> configureLoadBalancers(creds)));
      }
      if (!rest.isEmpty()) {
        calls.add(
            new PhaseCall(
                Phase.KUBERNETES, "install Kubernetes", nodesOf(rest), () -> install(rest, creds)));
      }
      if (ClientAccess.concerns(topology.spec(), dir)) {
        calls.add(
            new PhaseCall(
                Phase.KUBECONFIG,
                "update the user's kubeconfig and known_hosts",
                0,
                () ->
                    ClientAccess.update(
                        dir, topology, infrastructure.simulated(), home, listener)));
      }
      calls.add(
          new PhaseCall(
              Phase.STATE,
              "save applied configuration",
              0,
              () -> {
                dir.saveApplied(specYaml);
                journal.clear();
                return "saved";
              }));
      for (int i = 0; i < calls.size(); i++) {
        run(calls.get(i), calls.subList(i + 1, calls.size()));
      }
      return infrastructure;
    }

    private int nodesOf(List<Plan.InstallerStep> steps) {
      return (int) steps.stream().flatMap(s -> s.nodes().stream()).distinct().count();
    }

    private void run(PhaseCall call, List<PhaseCall> later) {
      long start = System.nanoTime();
      listener.phaseStarted(call.phase(), call.action(), call.nodes());
      try {
        if (Thread.currentThread().isInterrupted()) {
          throw new KubitectException("cancelled before " + call.action());
        }
        String outcome = call.work().run();
        listener.phaseFinished(call.phase(), call.action(), outcome, start);
        finished.add(call.phase());
      } catch (RuntimeException e) {
        listener.phaseFailed(call.phase(), call.action(), e, start);
        throw ApplyException.of(
            topology.clusterName(),
            finished,
            call.phase(),
            later.stream().map(PhaseCall::phase).toList(),
            // Executors keep the interrupt when they stop for it.
            Thread.currentThread().isInterrupted(),
            e);
      }
    }

    private String provision(ClusterCredentials creds) {
      InfrastructureProvisioner p = Objects.requireNonNull(provisioner);
      dir.saveProvisioning(provisioningRecord(p, topology));
      // the applied topology says which hosts and data pools were removed, and how to reach them
      Optional<Topology> applied = dir.appliedSpec().map(Topology::of);
      infrastructure = p.apply(topology, applied, creds, listener);
      dir.saveInfrastructure(infrastructure);
      dir.writeKnownHosts(infrastructure, creds);
      Optional<String> artifacts =
          infrastructure.simulated()
              ? p.writeArtifacts(topology, dir.artifacts().resolve("hosts"))
              : Optional.empty();
      journal.finish("provision");
      return (infrastructure.simulated() ? "simulated hosts, " : "")
          + infrastructure.mutatingCalls()
          + " mutating calls"
          + artifacts.map(a -> "; " + a).orElse("");
    }

    /** This run's mode and hosts, with the hosts of earlier runs (VMs may remain there). */
    private ProvisioningRecord provisioningRecord(InfrastructureProvisioner p, Topology topology) {
      java.util.LinkedHashSet<String> hosts = new java.util.LinkedHashSet<>();
      topology.hosts().forEach(h -> h.name().ifPresent(hosts::add));
      dir.provisioning().ifPresent(r -> hosts.addAll(r.hosts()));
      return new ProvisioningRecord(p.simulated(), List.copyOf(hosts));
    }

    private String configureLoadBalancers(ClusterCredentials creds) {
      LoadBalancerConfigurator l = loadBalancers;
      if (l == null) {
        return "skipped: composed withoutLoadBalancers()";
      }
      if (topology.nodes(NodeRole.LOAD_BALANCER).isEmpty()) {
        return "no load balancers";
      }
      if (infrastructure.simulated()) {
        return "skipped on simulated hosts; "
            + l.render(topology, infrastructure, dir.artifacts().resolve("load-balancers"));
      }
      l.configure(topology, infrastructure, creds, listener);
      return "configured";
    }

    private String install(List<Plan.InstallerStep> steps, ClusterCredentials creds) {
      KubernetesInstaller k = installer;
      if (k == null) {
        return "skipped: composed withoutKubernetes()";
      }
      List<String> done = new ArrayList<>();
      for (Plan.InstallerStep step : steps) {
        String id = "install " + step.action() + " " + String.join(",", step.nodes());
        if (journal.isFinished(id)) {
          done.add(step.action() + " (already done before the interruption)");
          continue;
        }
        KubernetesInstaller.Request request =
            new KubernetesInstaller.Request(
                step.action(), topology, infrastructure, creds, step.nodes(), dir.root());
        if (infrastructure.simulated()) {
          done.add(step.action() + " skipped on simulated hosts; " + k.render(request));
          continue;
        }
        Optional<Path> kubeconfig = k.install(request, listener);
        if (kubeconfig.isPresent() && !kubeconfig.get().equals(dir.kubeconfig())) {
          ClusterDirectory.write(dir.kubeconfig(), ClusterDirectory.read(kubeconfig.get()), true);
        }
        journal.finish(id);
        done.add(step.action().toString());
      }
      return String.join(", ", done);
    }
  }

  @FunctionalInterface
  private interface PhaseWork {
    String run();
  }

  private record PhaseCall(Phase phase, String action, int nodes, PhaseWork work) {}

  /**
   * Removes everything the cluster owns on its hosts, then its directory, honouring how the cluster
   * was provisioned (see {@link #destroy(String, boolean)}).
   *
   * @throws KubitectException when the name is not a cluster name, the cluster does not exist, no
   *     provisioner (or one of the other kind) is configured, or the state is too damaged to know
   *     where its VMs are; the state is then kept
   */
  public void destroy(String clusterName) {
    destroy(clusterName, false);
  }

  /**
   * Removes everything the cluster owns on its hosts, then its directory. The VMs are found from
   * the last applied specification, or from the last started one when that is missing or damaged
   * (an interrupted first apply), on every host either names. A cluster provisioned on simulated
   * hosts is destroyed only by a simulated provisioner, a real one only by a real one. The cluster
   * lock is held until the directory is gone.
   *
   * @param forgetUnreadableState when no specification of the state can be read, remove the state
   *     anyway (the VMs may remain on the recorded hosts; the events and the log name them)
   * @throws KubitectException as {@link #destroy(String)}; with the state kept
   */
  public void destroy(String clusterName, boolean forgetUnreadableState) {
    requireOpen();
    ClusterDirectory dir = ClusterDirectory.of(stateDirectory, clusterName);
    dir.requirePlainDirectory();
    if (!dir.exists()) {
      throw new KubitectException(
          "cluster " + clusterName + " does not exist in " + stateDirectory);
    }
    // Held until the directory is gone, so no apply starts in a half-removed directory.
    ClusterLock lock = ClusterLock.acquire(dir.lockFile(), clusterName, "destroy");
    EventBridge bridge = new EventBridge(clusterName, events);
    try {
      long start = System.nanoTime();
      String action = "destroy cluster " + clusterName;
      bridge.phaseStarted(Phase.DESTROY, action, 0);
      try {
        String outcome = destroyLocked(dir, forgetUnreadableState, bridge);
        ClientAccess.undo(dir, home, bridge);
        dir.deleteAll();
        bridge.phaseFinished(Phase.DESTROY, action, outcome, start);
      } catch (RuntimeException e) {
        bridge.phaseFailed(Phase.DESTROY, action, e, start);
        throw e;
      }
    } finally {
      lock.close();
      events.flush();
    }
  }

  private String destroyLocked(
      ClusterDirectory dir, boolean forgetUnreadableState, EventBridge bridge) {
    List<String> damage = new ArrayList<>();
    Optional<ProvisioningRecord> record = Optional.empty();
    try {
      record = dir.provisioning();
    } catch (DamagedStateException e) {
      damage.add(e.getMessage());
    }
    Optional<ClusterSpec> target = destroyTarget(dir, damage);
    if (target.isEmpty() && record.isEmpty() && damage.isEmpty()) {
      return "nothing was provisioned; state removed";
    }
    InfrastructureProvisioner p = provisioner;
    if (target.isEmpty()) {
      String where =
          record.map(r -> " on " + r.describe()).orElse(" on hosts the state no longer names");
      if (!forgetUnreadableState) {
        throw new DamagedStateException(
            dir.cluster(),
            String.join("; ", damage)
                + "; no readable specification says where its VMs are (they may remain"
                + where
                + "); repair the file, or destroy with force to remove the state only");
      }
      LOG.warn("cluster {}: state removed by force; its VMs may remain{}", dir.cluster(), where);
      bridge.warning("state removed by force; its VMs may remain" + where);
      return "state removed by force; VMs may remain" + where;
    }
    if (p == null) {
      throw new KubitectException(
          "cannot destroy cluster "
              + dir.cluster()
              + ": no provisioner is configured to remove its VMs; its state is kept");
    }
    if (record.isPresent() && record.get().simulated() != p.simulated()) {
      throw new KubitectException(
          "cannot destroy cluster "
              + dir.cluster()
              + ": it was provisioned on "
              + record.get().describe()
              + ", and this provisioner uses "
              + (p.simulated()
                  ? "simulated hosts, which cannot remove its VMs"
                  : "real hosts, which a simulated cluster never touched")
              + "; its state is kept");
    }
    p.destroy(Topology.of(target.get()), bridge);
    return "destroyed" + (p.simulated() ? " (simulated hosts)" : "");
  }

  /**
   * The specification to destroy from: the last started one (it names the newest hosts) with the
   * hosts and data pools of the last applied one added, or whichever of the two is readable and
   * valid.
   */
  private static Optional<ClusterSpec> destroyTarget(ClusterDirectory dir, List<String> damage) {
    Optional<ClusterSpec> desired = readable(dir::desiredSpec, damage);
    if (desired.isPresent() && dir.desiredIsApplied()) {
      return desired; // the same file twice: read and validated once
    }
    Optional<ClusterSpec> applied = readable(dir::appliedSpec, damage);
    if (desired.isEmpty()) {
      return applied;
    }
    if (applied.isEmpty()) {
      return desired;
    }
    List<io.kubitect.model.Host> hosts = new ArrayList<>();
    for (io.kubitect.model.Host host : desired.get().hosts()) {
      // a data pool the interrupted apply was removing is still there
      Optional<io.kubitect.model.Host> before =
          applied.get().hosts().stream().filter(h -> h.name().equals(host.name())).findFirst();
      List<io.kubitect.model.DataResourcePool> pools = new ArrayList<>(host.dataResourcePools());
      before.ifPresent(
          b ->
              b.dataResourcePools().stream()
                  .filter(p -> pools.stream().noneMatch(q -> q.name().equals(p.name())))
                  .forEach(pools::add));
      hosts.add(host.withDataResourcePools(pools));
    }
    for (io.kubitect.model.Host host : applied.get().hosts()) {
      if (hosts.stream().noneMatch(h -> h.name().equals(host.name()))) {
        hosts.add(host);
      }
    }
    return Optional.of(desired.get().withHosts(hosts));
  }

  private static Optional<ClusterSpec> readable(
      java.util.function.Supplier<Optional<ClusterSpec>> read, List<String> damage) {
    try {
      Optional<ClusterSpec> spec = read.get();
      if (spec.isPresent()) {
        ValidationReport report = SpecValidator.validate(spec.get());
        if (report.hasErrors()) {
          damage.add("a saved specification is no longer valid: " + report.errors().get(0));
          return Optional.empty();
        }
      }
      return spec;
    } catch (DamagedStateException e) {
      damage.add(e.getMessage());
      return Optional.empty();
    }
  }

  /** The cluster as the last apply left it, if it was ever applied. */
  public Optional<AppliedCluster> cluster(String clusterName) {
    ClusterDirectory dir = ClusterDirectory.of(stateDirectory, clusterName);
    dir.requirePlainDirectory();
    return cluster(dir, Optional.empty(), Optional.empty());
  }

  /**
   * The cluster as applied; {@code known} is its topology and {@code done} what provisioning did to
   * each node when the caller just applied it (the state records no changes, so nodes read back
   * from it are {@link ResourceChange#UNCHANGED}).
   */
  private Optional<AppliedCluster> cluster(
      ClusterDirectory dir, Optional<Topology> known, Optional<InfrastructureStatus> done) {
    Topology topology;
    if (known.isPresent()) {
      topology = known.get();
    } else {
      Optional<ClusterSpec> applied = dir.appliedSpec();
      if (applied.isEmpty()) {
        return Optional.empty();
      }
      topology = Topology.of(applied.get());
    }
    InfrastructureStatus infra = done.orElseGet(dir::infrastructure);
    Map<String, String> hostKeys = new LinkedHashMap<>();
    Path keys = dir.config().resolve(".ssh").resolve("host-keys");
    for (Node node : topology.nodes()) {
      Path pub = keys.resolve(node.name() + ".pub");
      if (Files.exists(pub)) {
        hostKeys.put(node.name(), ClusterDirectory.read(pub).strip());
      }
    }
    return Optional.of(
        new AppliedCluster(
            topology.clusterName(),
            infra.nodes().stream().filter(n -> n.change() != ResourceChange.REMOVED).toList(),
            hostKeys,
            apiEndpoint(topology, infra),
            Files.exists(dir.kubeconfig()) ? Optional.of(dir.kubeconfig()) : Optional.empty(),
            dir.root(),
            infra.simulated(),
            infra.mutatingCalls()));
  }

  /**
   * The VIP when set; otherwise the single load balancer's address, or the first master's when
   * there is no load balancer (Kubitect's rule, reference §3.7).
   */
  static Optional<String> apiEndpoint(Topology topology, InfrastructureStatus infra) {
    Optional<String> vip = topology.spec().cluster().nodes().loadBalancer().vip();
    if (vip.isPresent() && !topology.nodes(NodeRole.LOAD_BALANCER).isEmpty()) {
      return vip;
    }
    List<Node> front = topology.nodes(NodeRole.LOAD_BALANCER);
    if (front.isEmpty()) {
      front = topology.nodes(NodeRole.MASTER);
    }
    if (front.isEmpty()) {
      return Optional.empty();
    }
    Node first = front.get(0);
    return infra.node(first.name()).flatMap(NodeStatus::ip).or(first::ip);
  }

  /**
   * Names of every cluster with a directory, sorted; entries that are not cluster directories
   * (stray files, names that are not cluster names) are left out. Empty when the state directory
   * does not exist.
   *
   * @throws KubitectException when the state directory is not a directory or cannot be listed
   */
  public List<String> clusters() {
    if (!Files.exists(stateDirectory)) {
      return List.of();
    }
    if (!Files.isDirectory(stateDirectory)) {
      throw new KubitectException("the state directory " + stateDirectory + " is not a directory");
    }
    try (Stream<Path> children = Files.list(stateDirectory)) {
      return children
          .filter(p -> Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
          .map(p -> p.getFileName().toString())
          .filter(ClusterNames::isValid)
          .sorted()
          .toList();
    } catch (IOException | UncheckedIOException e) {
      throw new KubitectException(
          "cannot list " + stateDirectory + ": " + ClusterDirectory.describe(e), e);
    }
  }

  /**
   * Every cluster of {@link #clusters()} with its status; a damaged one is listed as such, with its
   * problem, and the listing goes on.
   */
  public List<ClusterSummary> summaries() {
    return clusters().stream().map(this::summary).toList();
  }

  /**
   * One cluster's status, never failing on damaged state.
   *
   * @throws KubitectException when the name is not a cluster name
   */
  public ClusterSummary summary(String clusterName) {
    ClusterDirectory dir = ClusterDirectory.of(stateDirectory, clusterName);
    Optional<ProvisioningRecord> record = Optional.empty();
    List<String> problems = new ArrayList<>();
    try {
      dir.requirePlainDirectory();
      // Read on its own: a damaged specification must not hide how the cluster was provisioned.
      record = dir.provisioning();
    } catch (DamagedStateException e) {
      problems.add(Objects.requireNonNullElse(e.getMessage(), "damaged"));
    }
    boolean applied = false;
    if (problems.isEmpty()) {
      try {
        applied = cluster(dir, Optional.empty(), Optional.empty()).isPresent();
        dir.desiredSpec();
      } catch (DamagedStateException e) {
        problems.add(Objects.requireNonNullElse(e.getMessage(), "damaged"));
      }
    }
    ClusterSummary.Status status =
        !problems.isEmpty()
            ? ClusterSummary.Status.DAMAGED
            : applied ? ClusterSummary.Status.APPLIED : ClusterSummary.Status.NOT_APPLIED;
    return new ClusterSummary(clusterName, status, problems.stream().findFirst(), record);
  }

  /**
   * The last applied configuration with every default written out, in Kubitect's current schema
   * (Kubitect's export config; {@link ConfigFormat#KUBITECT}).
   *
   * @throws KubitectException when the name is not a cluster name or nothing was applied
   * @throws DamagedStateException when the applied configuration cannot be read
   */
  public String exportConfig(String clusterName) {
    return exportConfig(clusterName, ConfigFormat.KUBITECT);
  }

  /**
   * The last applied configuration with every default written out: in Kubitect's current schema,
   * which current Kubitect reads, or in the SDK's own form, the file as saved, which keeps
   * everything (the pinned Kubespray release too).
   *
   * @throws KubitectException when the name is not a cluster name or nothing was applied
   * @throws DamagedStateException when the applied configuration cannot be read
   */
  public String exportConfig(String clusterName, ConfigFormat format) {
    ClusterDirectory dir = ClusterDirectory.of(stateDirectory, clusterName);
    ClusterSpec applied = requireApplied(dir);
    if (format == ConfigFormat.KUBITECT) {
      return KubitectYaml.write(applied, ConfigFormat.KUBITECT);
    }
    // The file as saved (it parsed above), byte for byte.
    return ClusterDirectory.read(dir.config().resolve("kubitect-applied.yaml"));
  }

  /**
   * The cluster's live health: whether each host's hypervisor answers and each node's domain runs,
   * whether each node answers over SSH with the host key the SDK gave it, each load balancer's
   * keepalived role, virtual IP and HAProxy's view of the masters, and the API server's {@code
   * /readyz} on each master and through the endpoint. Nothing is changed and the cluster is not
   * locked, so it may run while an apply does. A check that cannot be made (simulated hosts, no
   * Kubernetes yet, an executor left out) is {@link ClusterHealth.State#SKIPPED} with the reason.
   *
   * @throws KubitectException when the name is not a cluster name or nothing was applied
   * @throws DamagedStateException when the applied configuration or a key cannot be read
   */
  public ClusterHealth status(String clusterName) {
    requireOpen();
    ClusterDirectory dir = ClusterDirectory.of(stateDirectory, clusterName);
    ClusterSpec applied = requireApplied(dir);
    Topology topology = Topology.of(applied);
    InfrastructureStatus infra = dir.infrastructure();
    return new HealthCheck(
            topology,
            infra,
            dir.existingCredentials(topology, home),
            provisioner,
            withoutLoadBalancers ? null : loadBalancers,
            Files.exists(dir.kubeconfig()),
            apiEndpoint(topology, infra))
        .run();
  }

  /**
   * A failover drill: with the caller's consent (calling it is the consent), stops keepalived and
   * HAProxy on the load balancer holding the virtual IP, measures the longest time a client asking
   * the API through the virtual IP goes unanswered, checks that another load balancer took the IP
   * and that no two held it at once, then starts the daemons again (as an apply would) and checks
   * the cluster is healthy. Holds the cluster lock throughout, so no apply runs meanwhile.
   *
   * @throws KubitectException before anything is stopped when the cluster is simulated, not healthy
   *     ({@link #status}), has fewer than two load balancers or no virtual IP, or no load-balancer
   *     configurator is configured
   */
  public DrillReport drill(String clusterName, DrillOptions options) {
    requireOpen();
    ClusterDirectory dir = ClusterDirectory.of(stateDirectory, clusterName);
    ClusterSpec applied = requireApplied(dir);
    Topology topology = Topology.of(applied);
    InfrastructureStatus infra = dir.infrastructure();
    String refusal = "; nothing was stopped";
    if (infra.simulated()) {
      throw new KubitectException(
          "cluster " + clusterName + " lives on simulated hosts, where nothing runs" + refusal);
    }
    Optional<String> vip = applied.cluster().nodes().loadBalancer().vip();
    int lbs = topology.nodes(NodeRole.LOAD_BALANCER).size();
    if (vip.isEmpty() || lbs < 2) {
      throw new KubitectException(
          "cluster "
              + clusterName
              + " has "
              + lbs
              + " load balancer(s)"
              + (vip.isEmpty() ? " and no virtual IP" : "")
              + "; a failover drill needs two or more sharing a virtual IP"
              + refusal);
    }
    LoadBalancerConfigurator configurator = loadBalancers;
    if (configurator == null || withoutLoadBalancers) {
      throw new KubitectException(
          "no load-balancer configurator is configured to stop and restore the load balancers"
              + refusal);
    }
    ClusterHealth health = status(clusterName);
    if (!health.healthy()) {
      throw new KubitectException(
          "cluster "
              + clusterName
              + " is not healthy ("
              + health.problems().get(0)
              + (health.problems().size() > 1
                  ? " and " + (health.problems().size() - 1) + " more"
                  : "")
              + ")"
              + refusal);
    }
    if (health.api().state() != ClusterHealth.State.OK) {
      throw new KubitectException(
          "the API of cluster "
              + clusterName
              + " cannot be asked through "
              + vip.get()
              + " ("
              + health.api().detail()
              + "), so a gap cannot be measured"
              + refusal);
    }
    ClusterCredentials creds =
        dir.existingCredentials(topology, home)
            .orElseThrow(
                () ->
                    new KubitectException(
                        "the state of cluster " + clusterName + " has no SSH keys" + refusal));
    ClusterLock lock = ClusterLock.acquire(dir.lockFile(), clusterName, "drill");
    try {
      EventBridge bridge = new EventBridge(clusterName, events);
      return new FailoverDrill(topology, infra, creds, configurator, vip.get(), options, bridge)
          .run();
    } finally {
      lock.close();
      events.flush();
    }
  }

  /**
   * An SVG picture of the applied cluster: hosts with their VMs, the virtual IP and the
   * load-balancer pair, the network, and the failure domains ({@link
   * io.kubitect.core.picture.TopologyPicture}).
   *
   * @throws KubitectException when the name is not a cluster name or nothing was applied
   * @throws DamagedStateException when the applied configuration cannot be read
   */
  public String topologyPicture(String clusterName) {
    ClusterDirectory dir = ClusterDirectory.of(stateDirectory, clusterName);
    ClusterSpec applied = requireApplied(dir);
    return io.kubitect.core.picture.TopologyPicture.svg(applied);
  }

  /**
   * The last applied specification of the cluster in {@code dir}.
   *
   * @throws KubitectException when the directory is not a plain one or nothing was applied
   * @throws DamagedStateException when the applied configuration cannot be read
   */
  private ClusterSpec requireApplied(ClusterDirectory dir) {
    dir.requirePlainDirectory();
    return dir.appliedSpec()
        .orElseThrow(
            () ->
                new KubitectException(
                    "cluster "
                        + dir.cluster()
                        + " has no applied configuration in "
                        + stateDirectory));
  }

  /** The cluster's kubeconfig file. */
  public Path kubeconfig(String clusterName) {
    return cluster(clusterName)
        .flatMap(AppliedCluster::kubeconfig)
        .orElseThrow(
            () ->
                new KubitectException(
                    "cluster "
                        + clusterName
                        + " has no kubeconfig (Kubernetes not installed yet)"));
  }

  private ClusterDirectory directory(ClusterSpec spec) {
    ClusterDirectory dir = ClusterDirectory.of(stateDirectory, spec.cluster().name().orElseThrow());
    dir.requirePlainDirectory();
    return dir;
  }

  private static String runId(String specYaml, ApplyAction action) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(action.toString().getBytes(StandardCharsets.UTF_8));
      sha.update(specYaml.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  private void requireOpen() {
    if (closed.get()) {
      throw new IllegalStateException("this Kubitect is closed");
    }
  }

  /**
   * Cancels every {@link #applyAsync} still running and waits for it, delivers the remaining
   * events, and closes the executors. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (ApplyRun run : List.copyOf(running)) {
      run.cancel();
    }
    List<Object> executors = new ArrayList<>();
    Stream.of(provisioner, loadBalancers, installer)
        .filter(Objects::nonNull)
        .forEach(executors::add);
    for (Object executor : executors) {
      if (executor instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception e) {
          LOG.warn("closing {} failed", executor, e);
        }
      }
    }
    events.close();
  }

  @Override
  public String toString() {
    return "Kubitect[state=" + stateDirectory + "]";
  }
}
