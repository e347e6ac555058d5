package io.kubitect.core;

import io.kubitect.core.spi.ClusterCredentials;
import io.kubitect.core.spi.InfrastructureProvisioner;
import io.kubitect.core.spi.InfrastructureStatus;
import io.kubitect.core.spi.KubernetesInstaller;
import io.kubitect.core.spi.LoadBalancerConfigurator;
import io.kubitect.core.spi.Node;
import io.kubitect.core.spi.StepListener;
import io.kubitect.core.spi.Topology;
import io.kubitect.model.ClusterSpec;
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
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SDK's entry point: validate, plan, apply, destroy, export and list clusters.
 *
 * <p>Applications compose it explicitly: which {@link InfrastructureProvisioner}, {@link
 * LoadBalancerConfigurator} and {@link KubernetesInstaller}, where cluster state lives, listeners
 * and the approval of dangerous changes. A missing executor makes its phase report "not configured"
 * (and {@link #destroy} refuse, since it could not remove the VMs).
 *
 * <pre>{@code
 * Kubitect kubitect = Kubitect.builder()
 *     .provisioner(provisioner)
 *     .loadBalancers(loadBalancers)
 *     .installer(installer)
 *     .stateDirectory(Path.of("clusters"))
 *     .build();
 * Cluster cluster = kubitect.apply(spec, ApplyAction.CREATE);
 * }</pre>
 *
 * An apply holds an exclusive lock on its cluster; a second apply of the same cluster fails at once
 * naming the holder. A crashed or killed apply leaves a journal, and the next apply of the same
 * specification resumes from it.
 */
public final class Kubitect {
  private static final Logger LOG = LoggerFactory.getLogger(Kubitect.class);

  private final @Nullable InfrastructureProvisioner provisioner;
  private final @Nullable LoadBalancerConfigurator loadBalancers;
  private final @Nullable KubernetesInstaller installer;
  private final Path stateDirectory;
  private final Path home;
  private final StepListener listener;
  private final Approval approval;

  private Kubitect(Builder b) {
    this.provisioner = b.provisioner;
    this.loadBalancers = b.loadBalancers;
    this.installer = b.installer;
    this.stateDirectory = b.stateDirectory;
    this.home = b.home;
    this.listener = StepListener.all(b.listeners);
    this.approval = b.approval;
  }

  /** A builder with no executors, state under {@code ~/.kubitect/clusters}. */
  public static Builder builder() {
    return new Builder();
  }

  /** Composes a {@link Kubitect}. */
  public static final class Builder {
    private @Nullable InfrastructureProvisioner provisioner;
    private @Nullable LoadBalancerConfigurator loadBalancers;
    private @Nullable KubernetesInstaller installer;
    private Path home = Path.of(System.getProperty("user.home"));
    private Path stateDirectory = home.resolve(".kubitect").resolve("clusters");
    private final List<StepListener> listeners = new ArrayList<>();
    private Approval approval = Approval.SAFE_ONLY;
    private boolean discover;

    private Builder() {}

    /**
     * Fills every executor not set explicitly with the first implementation found on the class path
     * ({@link java.util.ServiceLoader}); explicitly set executors always win. Lets {@code
     * Kubitect.builder().discoverExecutors().build().apply(spec, CREATE)} work with the libvirt and
     * Kubespray modules on the class path.
     */
    public Builder discoverExecutors() {
      this.discover = true;
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

    /** Where cluster directories live (one sub-directory per cluster). */
    public Builder stateDirectory(Path directory) {
      this.stateDirectory = directory;
      return this;
    }

    /** The home directory {@code ~} in specification paths stands for. */
    public Builder home(Path home) {
      this.home = home;
      return this;
    }

    /** Adds a listener of progress events. */
    public Builder listener(StepListener listener) {
      this.listeners.add(listener);
      return this;
    }

    /** Decides on plans with dangerous changes; {@link Approval#SAFE_ONLY} by default. */
    public Builder approval(Approval approval) {
      this.approval = approval;
      return this;
    }

    /** The configured SDK. */
    public Kubitect build() {
      if (discover) {
        if (provisioner == null) {
          provisioner =
              ServiceLoader.load(InfrastructureProvisioner.class).findFirst().orElse(null);
        }
        if (loadBalancers == null) {
          loadBalancers =
              ServiceLoader.load(LoadBalancerConfigurator.class).findFirst().orElse(null);
        }
        if (installer == null) {
          installer = ServiceLoader.load(KubernetesInstaller.class).findFirst().orElse(null);
        }
      }
      return new Kubitect(this);
    }
  }

  /**
   * Validates {@code spec} and plans {@code action} against what was applied before; the plan
   * carries the validator's {@linkplain Plan#warnings() warnings}.
   *
   * @throws ValidationException when the specification has errors
   * @throws DamagedStateException when the applied state cannot be read
   */
  public Plan plan(ClusterSpec spec, ApplyAction action) {
    ValidationReport report = SpecValidator.validate(spec);
    report.throwIfInvalid();
    ClusterDirectory dir = directory(spec);
    return Planner.plan(dir.appliedSpec(), spec, action).withWarnings(report.warnings());
  }

  /**
   * Validates, plans and applies: provision, load balancers, Kubernetes, kubeconfig. Refused
   * changes, and dangerous ones the {@link Approval} declines, stop before anything is touched. An
   * unchanged specification reconciles the hosts and load balancers (repairing drift; {@link
   * Cluster#mutatingCalls()} is 0 when there was none) and does not rerun Kubernetes. An
   * interrupted thread stops the apply between steps (the provisioner before its next call, once
   * every worker stopped), leaving a state the next apply continues from.
   *
   * @throws ValidationException when the specification has errors
   * @throws ChangeRefusedException when the plan is refused or not approved
   * @throws ApplyException when a phase fails; it says what finished and what did not start
   */
  public AppliedCluster apply(ClusterSpec spec, ApplyAction action) {
    SpecValidator.validate(spec).throwIfInvalid();
    ClusterDirectory dir = directory(spec);
    dir.create();
    ClusterLock lock = ClusterLock.acquire(dir.lockFile(), dir.cluster(), "apply");
    try {
      return applyLocked(spec, action, dir);
    } finally {
      lock.close();
    }
  }

  private AppliedCluster applyLocked(ClusterSpec spec, ApplyAction action, ClusterDirectory dir) {
    Optional<ClusterSpec> applied = dir.appliedSpec();
    InfrastructureProvisioner p = provisioner;
    Optional<ProvisioningRecord> record = dir.provisioning();
    if (p != null && record.isPresent() && record.get().simulated() != p.simulated()) {
      throw new KubitectException(
          "cluster "
              + dir.cluster()
              + " was provisioned on "
              + record.get().describe()
              + "; it cannot be applied on "
              + (p.simulated() ? "simulated" : "real")
              + " hosts: destroy it first, or use a provisioner of the same kind");
    }
    Step planStep =
        Step.of(Phase.PLAN, "plan " + action.toString().toLowerCase(java.util.Locale.ROOT));
    listener.started(planStep);
    Plan plan = Planner.plan(applied, spec, action);
    if (plan.isRefused()) {
      ChangeRefusedException refused =
          new ChangeRefusedException(
              "the plan for cluster " + plan.cluster() + " has refused changes:\n" + plan.render(),
              plan);
      listener.failed(planStep, refused);
      throw refused;
    }
    Topology topology = Topology.of(spec);
    Journal journal = new Journal(dir.journalFile(), runId(topology.spec(), action));
    if (!plan.hasChanges() && !journal.isResuming()) {
      // Nothing to change in the spec: still reconcile the hosts and load balancers, so a VM
      // that was stopped or deleted behind the SDK's back comes back. Kubernetes is not rerun.
      listener.finished(planStep, "no changes; checking the hosts");
      new Run(dir, topology, plan, journal).execute();
      return cluster(dir).orElseThrow();
    }
    if (!plan.dangerous().isEmpty() && !approval.approve(plan)) {
      ChangeRefusedException declined =
          new ChangeRefusedException(
              "dangerous changes were not approved:\n" + plan.render(), plan, true);
      listener.failed(planStep, declined);
      throw declined;
    }
    if (journal.isResuming()) {
      LOG.info("cluster {}: resuming an interrupted apply from its journal", plan.cluster());
    }
    listener.finished(
        planStep,
        journal.isResuming()
            ? "resuming an interrupted apply"
            : plan.isNewCluster()
                ? "new cluster of " + topology.nodes().size() + " nodes"
                : plan.changes().size() + " changes");
    new Run(dir, topology, plan, journal).execute();
    return cluster(dir).orElseThrow();
  }

  /** One apply in progress: the phases in order, each reported and journaled. */
  private final class Run {
    private final ClusterDirectory dir;
    private final Topology topology;
    private final Plan plan;
    private final Journal journal;
    private final List<Phase> finished = new ArrayList<>();
    private InfrastructureStatus infrastructure;

    Run(ClusterDirectory dir, Topology topology, Plan plan, Journal journal) {
      this.dir = dir;
      this.topology = topology;
      this.plan = plan;
      this.journal = journal;
      this.infrastructure = dir.infrastructure();
    }

    void execute() {
      dir.saveDesired(topology.spec());
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
        calls.add(new PhaseCall(Phase.KUBERNETES, "remove nodes", () -> install(removals, creds)));
      }
      calls.add(new PhaseCall(Phase.PROVISION, "provision hosts", () -> provision(creds)));
      if (plan.configuresLoadBalancers()
          || plan.isNewCluster()
          || journal.isResuming()
          || !plan.hasChanges()) {
        calls.add(
            new PhaseCall(
                Phase.LOAD_BALANCERS,
                "configure load balancers",
                () -> configureLoadBalancers(creds)));
      }
      if (!rest.isEmpty()) {
        calls.add(
            new PhaseCall(Phase.KUBERNETES, "install Kubernetes", () -> install(rest, creds)));
      }
      calls.add(
          new PhaseCall(
              Phase.STATE,
              "save applied configuration",
              () -> {
                dir.saveApplied(topology.spec());
                journal.clear();
                return "saved";
              }));
      for (int i = 0; i < calls.size(); i++) {
        run(calls.get(i), calls.subList(i + 1, calls.size()));
      }
    }

    private void run(PhaseCall call, List<PhaseCall> later) {
      Step step = Step.of(call.phase(), call.action());
      listener.started(step);
      try {
        if (Thread.currentThread().isInterrupted()) {
          throw new KubitectException("cancelled before " + call.action());
        }
        String outcome = call.work().run();
        listener.finished(step, outcome);
        finished.add(call.phase());
      } catch (RuntimeException e) {
        listener.failed(step, e);
        throw new ApplyException(
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
      InfrastructureProvisioner p = provisioner;
      if (p == null) {
        return "not configured";
      }
      dir.saveProvisioning(provisioningRecord(p, topology));
      infrastructure = p.apply(topology, creds, listener);
      dir.saveInfrastructure(infrastructure);
      dir.writeKnownHosts(infrastructure, creds);
      journal.finish("provision");
      return (infrastructure.simulated() ? "simulated hosts, " : "")
          + infrastructure.mutatingCalls()
          + " mutating calls";
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
        return "not configured";
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
        return "not configured";
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

  private record PhaseCall(Phase phase, String action, PhaseWork work) {}

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
    ClusterDirectory dir = ClusterDirectory.of(stateDirectory, clusterName);
    dir.requirePlainDirectory();
    if (!dir.exists()) {
      throw new KubitectException(
          "cluster " + clusterName + " does not exist in " + stateDirectory);
    }
    // Held until the directory is gone, so no apply starts in a half-removed directory.
    ClusterLock lock = ClusterLock.acquire(dir.lockFile(), clusterName, "destroy");
    try {
      Step step = Step.of(Phase.DESTROY, "destroy cluster " + clusterName);
      listener.started(step);
      try {
        String outcome = destroyLocked(dir, forgetUnreadableState);
        dir.deleteAll();
        listener.finished(step, outcome);
      } catch (RuntimeException e) {
        listener.failed(step, e);
        throw e;
      }
    } finally {
      lock.close();
    }
  }

  private String destroyLocked(ClusterDirectory dir, boolean forgetUnreadableState) {
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
    p.destroy(Topology.of(target.get()), listener);
    return "destroyed" + (p.simulated() ? " (simulated hosts)" : "");
  }

  /**
   * The specification to destroy from: the last started one (it names the newest hosts) with the
   * hosts of the last applied one added, or whichever of the two is readable and valid.
   */
  private static Optional<ClusterSpec> destroyTarget(ClusterDirectory dir, List<String> damage) {
    Optional<ClusterSpec> desired = readable(dir::desiredSpec, damage);
    Optional<ClusterSpec> applied = readable(dir::appliedSpec, damage);
    if (desired.isEmpty()) {
      return applied;
    }
    if (applied.isEmpty()) {
      return desired;
    }
    List<io.kubitect.model.Host> hosts = new ArrayList<>(desired.get().hosts());
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
    return cluster(dir);
  }

  private Optional<AppliedCluster> cluster(ClusterDirectory dir) {
    Optional<ClusterSpec> applied = dir.appliedSpec();
    if (applied.isEmpty()) {
      return Optional.empty();
    }
    Topology topology = Topology.of(applied.get());
    InfrastructureStatus infra = dir.infrastructure();
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
            infra.nodes(),
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
        applied = cluster(dir).isPresent();
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
   * The last applied configuration with every default written out (Kubitect's export config).
   *
   * @throws KubitectException when the name is not a cluster name or nothing was applied
   * @throws DamagedStateException when the applied configuration cannot be read
   */
  public String exportConfig(String clusterName) {
    ClusterDirectory dir = ClusterDirectory.of(stateDirectory, clusterName);
    dir.requirePlainDirectory();
    ClusterSpec unused =
        dir.appliedSpec()
            .orElseThrow(
                () ->
                    new KubitectException(
                        "cluster "
                            + clusterName
                            + " has no applied configuration in "
                            + stateDirectory));
    // The file as saved (it parsed above), byte for byte.
    return ClusterDirectory.read(dir.config().resolve("kubitect-applied.yaml"));
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

  private static String runId(ClusterSpec resolved, ApplyAction action) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(action.toString().getBytes(StandardCharsets.UTF_8));
      sha.update(KubitectYaml.write(resolved).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  @Override
  public String toString() {
    return "Kubitect[state=" + stateDirectory + "]";
  }
}
