package io.kubitect.kubespray;

import io.kubitect.core.NodeRole;
import io.kubitect.core.NodeStatus;
import io.kubitect.core.Phase;
import io.kubitect.core.Step;
import io.kubitect.core.StepOutcome;
import io.kubitect.core.spi.InfrastructureStatus;
import io.kubitect.core.spi.InstallationException;
import io.kubitect.core.spi.KubernetesInstaller;
import io.kubitect.core.spi.Node;
import io.kubitect.core.spi.StepListener;
import io.kubitect.core.spi.Topology;
import io.kubitect.kubespray.internal.AnsibleEvent;
import io.kubitect.kubespray.internal.Inventory;
import io.kubitect.kubespray.internal.Kubeconfig;
import io.kubitect.kubespray.internal.KubesprayCheckout;
import io.kubitect.kubespray.internal.PlaybookRunner;
import io.kubitect.kubespray.internal.ProcessTree;
import io.kubitect.kubespray.internal.Virtualenv;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs, scales and upgrades Kubernetes with Kubespray: renders the inventory and group
 * variables into the cluster's directory, gets the pinned Kubespray release, and runs its playbooks
 * with {@code ansible-playbook} as a child process.
 *
 * <ul>
 *   <li>{@code CREATE}: {@code cluster.yml} on every node, then the kubeconfig is fetched.
 *   <li>{@code UPGRADE}: {@code upgrade-cluster.yml} on every node, then the kubeconfig is fetched.
 *   <li>{@code SCALE_UP}: new workers get the fact cache refreshed for the control plane, etcd and
 *       themselves, then {@code scale.yml --limit <new workers>}; new masters get {@code
 *       cluster.yml} and then {@code upgrade-cluster.yml}, both limited to {@code
 *       etcd:kube_control_plane}, as Kubespray's node documentation prescribes for control-plane
 *       and etcd members.
 *   <li>{@code REMOVE_NODES}: {@code remove-node.yml} once per removed node, in order.
 * </ul>
 *
 * <p>SSH verifies every node's host key against the cluster's known_hosts (Kubespray's own
 * ansible.cfg turns checking off; the environment of the run overrides it). Output goes to the
 * slf4j logger {@code io.kubitect.kubespray.ansible} and to {@code <work>/ansible/logs/}, and is
 * reported to the {@link StepListener} as steps: one per playbook run, one per host within it. An
 * interrupt of the calling thread cancels the run and kills the whole process tree.
 */
public final class KubesprayInstaller implements KubernetesInstaller {
  private static final Logger LOG = LoggerFactory.getLogger(KubesprayInstaller.class);

  /** Where {@code ansible-playbook} comes from. */
  public enum Ansible {
    /**
     * A virtualenv per Kubespray release with the release's {@code requirements.txt}, created under
     * the cache directory on first use. Needs a reachable Python package index.
     */
    VIRTUALENV,
    /** The {@code ansible-playbook} found on the PATH (for example Debian's ansible-core). */
    PATH
  }

  private final Path cacheDirectory;
  private final Ansible ansible;
  private final Duration playbookTimeout;
  private final Duration setupTimeout;
  private final String remoteKubeconfig;
  private final boolean checkRendered;
  private final RookAddon rook;

  private KubesprayInstaller(Builder b) {
    this.cacheDirectory = b.cacheDirectory;
    this.ansible = b.ansible;
    this.playbookTimeout = b.playbookTimeout;
    this.setupTimeout = b.setupTimeout;
    this.remoteKubeconfig = b.remoteKubeconfig;
    this.checkRendered = b.checkRendered;
    this.rook = new RookAddon(b.helm, b.playbookTimeout);
  }

  /** A builder with the defaults: cache in {@code ~/.kubitect/cache}, Ansible in a virtualenv. */
  public static Builder builder() {
    return new Builder();
  }

  /** Configures a {@link KubesprayInstaller}. */
  public static final class Builder {
    private Path cacheDirectory =
        Path.of(System.getProperty("user.home"), ".kubitect", "cache").toAbsolutePath();
    private Ansible ansible = Ansible.VIRTUALENV;
    private Duration playbookTimeout = Duration.ZERO;
    private Duration setupTimeout = Duration.ofMinutes(15);
    private String remoteKubeconfig = "/etc/kubernetes/admin.conf";
    private boolean checkRendered;
    private Optional<Path> helm = Optional.empty();

    private Builder() {}

    /** Where Kubespray checkouts and virtualenvs are kept, per release, across clusters. */
    public Builder cacheDirectory(Path directory) {
      this.cacheDirectory = directory.toAbsolutePath();
      return this;
    }

    /** Where {@code ansible-playbook} comes from. */
    public Builder ansible(Ansible ansible) {
      this.ansible = Objects.requireNonNull(ansible);
      return this;
    }

    /** Kills a playbook run that takes longer; {@link Duration#ZERO} (the default) for no limit. */
    public Builder playbookTimeout(Duration timeout) {
      if (timeout.isNegative()) {
        throw new IllegalArgumentException("negative timeout " + timeout);
      }
      this.playbookTimeout = timeout;
      return this;
    }

    /** Limit for cloning Kubespray and creating the virtualenv (default 15 minutes). */
    public Builder setupTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("setup timeout must be positive: " + timeout);
      }
      this.setupTimeout = timeout;
      return this;
    }

    /**
     * On simulated hosts, have {@code ansible-inventory} read back the rendered inventory (off by
     * default: it costs seconds per apply; this project's own tests turn it on).
     */
    public Builder checkRenderedInventory(boolean check) {
      this.checkRendered = check;
      return this;
    }

    /** Path of the admin kubeconfig on the first master (Kubespray's is the default). */
    public Builder remoteKubeconfig(String path) {
      this.remoteKubeconfig = Objects.requireNonNull(path);
      return this;
    }

    /**
     * The {@code helm} the Rook addon runs (v3; Kubitect pins v3.11.2); by default the first {@code
     * helm} on the PATH. Nothing is downloaded: an apply with Rook enabled and no helm is refused
     * before anything is touched.
     */
    public Builder helm(Path helm) {
      this.helm = Optional.of(helm.toAbsolutePath());
      return this;
    }

    /** The installer. */
    public KubesprayInstaller build() {
      return new KubesprayInstaller(this);
    }
  }

  @Override
  public Optional<Path> install(Request request, StepListener listener) {
    if (request.action() == Action.ADDONS) {
      rook.apply(request, listener, Optional.empty());
      return Optional.empty();
    }
    Topology topology = request.topology();
    Path work = request.workDirectory().toAbsolutePath();
    Path state = work.resolve("ansible");
    String version = topology.kubernetes().kubesprayVersion();
    String source = topology.kubernetes().kubesprayUrl();

    Path kubespray =
        step(
            listener,
            Step.of(Phase.KUBERNETES, "get Kubespray " + version),
            () -> KubesprayCheckout.get(source, version, cacheDirectory, setupTimeout.toSeconds()),
            p -> p.toString());
    String ansiblePlaybook =
        switch (ansible) {
          case PATH -> "ansible-playbook";
          case VIRTUALENV ->
              step(
                      listener,
                      Step.of(Phase.KUBERNETES, "set up Ansible for Kubespray " + version),
                      () ->
                          Virtualenv.ensure(
                              cacheDirectory.resolve("venv/kubespray").resolve(version),
                              kubespray.resolve("requirements.txt"),
                              setupTimeout),
                      p -> p.toString())
                  .toString();
        };

    List<Node> removed =
        request.action() == Action.REMOVE_NODES
            ? removedNodes(topology, request.infrastructure(), request.nodes())
            : List.of();
    Inventory inventory = Inventory.of(topology, request.infrastructure(), removed);
    if (!inventory.ignoredAddonKeys().isEmpty()) {
      LOG.warn(
          "addons.kubespray sets {}, which the specification decides; ignored",
          inventory.ignoredAddonKeys());
    }
    Path inventoryDirectory = state.resolve("inventory");
    inventory.write(inventoryDirectory);
    Run run =
        new Run(
            ansiblePlaybook,
            kubespray,
            inventoryDirectory.resolve(Inventory.HOSTS_FILE),
            topology.nodeAccess().user(),
            request,
            state,
            inventory,
            listener);

    Map<String, Object> common = new LinkedHashMap<>(inventory.extraVariables());
    switch (request.action()) {
      case CREATE -> {
        run.playbook("cluster.yml", List.of(), common);
        Path kubeconfig = fetchKubeconfig(run, topology, inventory, work);
        rook.apply(request, listener, Optional.of(kubeconfig));
        return Optional.of(kubeconfig);
      }
      case UPGRADE -> {
        run.playbook("upgrade-cluster.yml", List.of(), common);
        Path kubeconfig = fetchKubeconfig(run, topology, inventory, work);
        rook.apply(request, listener, Optional.of(kubeconfig));
        return Optional.of(kubeconfig);
      }
      case SCALE_UP -> {
        scaleUp(run, inventory, request.nodes(), common);
        rook.apply(request, listener, Optional.empty());
        return Optional.empty();
      }
      case REMOVE_NODES -> {
        for (String node : request.nodes()) {
          if (inventory.host(node).map(h -> h.role() == NodeRole.LOAD_BALANCER).orElse(false)) {
            LOG.debug("{} is a load balancer: nothing for Kubespray to remove", node);
            continue;
          }
          Map<String, Object> vars = new LinkedHashMap<>(common);
          vars.put("node", node);
          vars.put(inventory.release().confirmationVariable(), true);
          run.playbook("remove-node.yml", List.of(), vars);
        }
        return Optional.empty();
      }
      case ADDONS -> throw new IllegalStateException("handled above");
    }
    throw new IllegalStateException("unknown action " + request.action());
  }

  /**
   * Writes the inventory and group variables a run would use into {@code <work>/ansible/inventory}
   * and, when built with {@link Builder#checkRenderedInventory(boolean)}, has {@code
   * ansible-inventory} read them back (a missing ansible-inventory is then an error). Reaches no
   * node; used on simulated hosts.
   */
  @Override
  public String render(Request request) {
    Path directory =
        request.workDirectory().toAbsolutePath().resolve("ansible").resolve("inventory");
    Inventory inventory = Inventory.of(request.topology(), request.infrastructure(), List.of());
    inventory.write(directory);
    Path hosts = directory.resolve(Inventory.HOSTS_FILE);
    String written = "inventory and variables in " + directory;
    String checked =
        checkRendered ? checkInventory(written, hosts, inventory.hosts().size()) : written;
    return withRook(checked, request);
  }

  /** Adds what the Rook addon rendered, when it is enabled. */
  private String withRook(String rendered, Request request) {
    return request.topology().spec().addons().rook().enabled().orElse(false)
        ? rendered + "; " + rook.render(request)
        : rendered;
  }

  /** Helm, when Rook will be installed and none is found. */
  @Override
  public List<String> missingTools(Topology topology) {
    return rook.missingTools(topology);
  }

  /**
   * Has {@code ansible-inventory} read back a rendered inventory (a missing ansible-inventory is an
   * error); returns {@code written} with what it found.
   */
  static String checkInventory(String written, Path hosts, int hostCount) {
    Process process;
    try {
      process =
          new ProcessBuilder("ansible-inventory", "-i", hosts.toString(), "--list")
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      throw new InstallationException(
          "checking the rendered inventory needs ansible-inventory, which is not installed here"
              + " (apt-get install ansible-core), or build without checkRenderedInventory",
          -1,
          "",
          List.of(),
          String.valueOf(e.getMessage()));
    }
    try {
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        ProcessTree.kill(process.toHandle(), Duration.ofSeconds(2));
        return written + " (ansible-inventory did not finish in 60 s: not checked)";
      }
      if (process.exitValue() != 0) {
        throw new InstallationException(
            "ansible-inventory rejects the rendered inventory " + hosts,
            process.exitValue(),
            "",
            List.of(),
            output);
      }
      return written + "; ansible-inventory reads " + hostCount + " hosts";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ProcessTree.kill(process.toHandle(), Duration.ofSeconds(2));
      return written + " (interrupted: not checked)";
    }
  }

  private static void scaleUp(
      Run run, Inventory inventory, List<String> nodes, Map<String, Object> common) {
    List<String> masters = new ArrayList<>();
    List<String> workers = new ArrayList<>();
    for (String name : nodes) {
      Inventory.Host host =
          inventory
              .host(name)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "cannot scale up " + name + ": it is not in the topology"));
      switch (host.role()) {
        case MASTER -> masters.add(name);
        case WORKER -> workers.add(name);
        case LOAD_BALANCER -> LOG.debug("{} is a load balancer: nothing for Kubespray", name);
      }
    }
    if (!masters.isEmpty()) {
      // Control-plane and etcd members join through cluster.yml (scale.yml cannot add them), then
      // upgrade-cluster.yml updates the etcd member list on every control-plane node.
      Map<String, Object> vars = new LinkedHashMap<>(common);
      vars.put("ignore_assert_errors", true);
      List<String> limit = new ArrayList<>(List.of("etcd", "kube_control_plane"));
      masters.stream().filter(m -> !limit.contains(m)).forEach(limit::add);
      run.playbook("cluster.yml", limit, vars);
      run.playbook("upgrade-cluster.yml", List.of("etcd", "kube_control_plane"), vars);
    }
    if (!workers.isEmpty()) {
      // scale.yml limited to the new nodes reads facts of the control plane and etcd hosts it
      // delegates to; refresh just those (addresses of other nodes are inventory variables).
      List<String> factsLimit = new ArrayList<>(List.of("kube_control_plane", "etcd"));
      factsLimit.addAll(workers);
      run.playbook(inventory.release().factsPlaybook(), factsLimit, common);
      run.playbook("scale.yml", workers, common);
    }
  }

  /** Nodes to remove that are no longer in the topology, rebuilt from the infrastructure status. */
  private static List<Node> removedNodes(
      Topology topology, InfrastructureStatus infrastructure, List<String> names) {
    List<Node> nodes = new ArrayList<>();
    for (String name : names) {
      Optional<Node> known = topology.node(name);
      if (known.isPresent()) {
        nodes.add(known.get());
        continue;
      }
      NodeStatus status =
          infrastructure
              .node(name)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "cannot remove "
                              + name
                              + ": it is neither in the topology nor in the infrastructure status"));
      String prefix = topology.clusterName() + "-";
      @Nullable NodeRole role = null;
      String id = "";
      for (NodeRole r : NodeRole.values()) {
        if (name.startsWith(prefix + r + "-")) {
          role = r;
          id = name.substring((prefix + r + "-").length());
        }
      }
      if (role == null) {
        throw new IllegalArgumentException(
            "cannot remove " + name + ": not a node name of cluster " + topology.clusterName());
      }
      nodes.add(
          new Node(
              name,
              role,
              id,
              status.host(),
              status.ip(),
              status.mac(),
              0,
              0,
              0,
              List.of(),
              Map.of(),
              List.of(),
              0));
    }
    return nodes;
  }

  private Path fetchKubeconfig(Run run, Topology topology, Inventory inventory, Path work) {
    Step step = Step.of(Phase.KUBECONFIG, "fetch the admin kubeconfig");
    return step(
        run.listener,
        step,
        () -> {
          try {
            Path download = Files.createDirectories(run.state.resolve("download"));
            Files.setPosixFilePermissions(download, PosixFilePermissions.fromString("rwx------"));
            Path raw = download.resolve("admin.conf");
            Files.deleteIfExists(raw);
            Path playbook = run.state.resolve("kubitect-fetch-kubeconfig.yml");
            Files.writeString(playbook, FETCH_PLAYBOOK);
            Map<String, Object> vars = new LinkedHashMap<>();
            vars.put("kubitect_remote_kubeconfig", remoteKubeconfig);
            vars.put("kubitect_kubeconfig_download", raw.toString());
            run.playbook(playbook.toString(), List.of(inventory.firstMaster()), vars);
            String text = Files.readString(raw);
            Files.delete(raw);
            Object clusterName =
                topology
                    .kubernetes()
                    .kubesprayAddons()
                    .getOrDefault("cluster_name", "cluster.local");
            String rewritten =
                Kubeconfig.rewrite(
                    text,
                    Kubeconfig.renames(String.valueOf(clusterName), topology.clusterName()),
                    "https://" + inventory.apiAddress() + ":" + Inventory.API_PORT);
            return Kubeconfig.write(work.resolve("admin.conf"), rewritten);
          } catch (IOException e) {
            throw new InstallationException(
                "cannot fetch the kubeconfig from " + inventory.firstMaster() + ": " + e,
                -1,
                "",
                List.of(inventory.firstMaster()),
                "");
          }
        },
        Path::toString);
  }

  private static final String FETCH_PLAYBOOK =
      """
      ---
      # Written by Kubitect: fetches the admin kubeconfig Kubespray left on the first master.
      - name: Fetch the admin kubeconfig
        hosts: all
        gather_facts: false
        tasks:
          - name: Fetch the admin kubeconfig
            ansible.builtin.fetch:
              src: "{{ kubitect_remote_kubeconfig }}"
              dest: "{{ kubitect_kubeconfig_download }}"
              flat: true
              fail_on_missing: true
      """;

  interface Work<T> {
    T call();
  }

  /** Runs {@code work} as one step: started, then finished with an outcome or failed. */
  static <T> T step(
      StepListener listener,
      Step step,
      Work<T> work,
      java.util.function.Function<T, String> outcome) {
    listener.started(step);
    T result;
    try {
      result = work.call();
    } catch (RuntimeException e) {
      listener.failed(step, e);
      throw e;
    }
    listener.finished(step, outcome.apply(result));
    return result;
  }

  /** What every playbook run of one install shares. */
  private final class Run {
    final String ansiblePlaybook;
    final Path kubespray;
    final Path inventoryFile;
    final String user;
    final Request request;
    final Path state;
    final Inventory inventory;
    final StepListener listener;

    Run(
        String ansiblePlaybook,
        Path kubespray,
        Path inventoryFile,
        String user,
        Request request,
        Path state,
        Inventory inventory,
        StepListener listener) {
      this.ansiblePlaybook = ansiblePlaybook;
      this.kubespray = kubespray;
      this.inventoryFile = inventoryFile;
      this.user = user;
      this.request = request;
      this.state = state;
      this.inventory = inventory;
      this.listener = listener;
    }

    void playbook(String playbook, List<String> limit, Map<String, Object> extraVars) {
      if (!Files.isRegularFile(kubespray.resolve(playbook))) {
        throw new InstallationException(
            "Kubespray in " + kubespray + " has no playbook " + playbook, -1, "", List.of(), "");
      }
      PlaybookRunner.Invocation inv =
          new PlaybookRunner.Invocation(
              ansiblePlaybook,
              kubespray,
              playbook,
              inventoryFile,
              limit,
              extraVars,
              user,
              request.credentials().privateKeyFile(),
              request.credentials().knownHostsFile(),
              Math.min(100, Math.max(1, inventory.kubernetesHosts().size())),
              state,
              playbookTimeout);
      String name = Path.of(playbook).getFileName().toString();
      Step step = Step.of(Phase.KUBERNETES, "ansible-playbook " + shortDescription(inv));
      Progress progress = new Progress(step, name, listener, request.topology());
      listener.started(step);
      PlaybookRunner.Result result;
      try {
        result = PlaybookRunner.run(inv, progress::on);
      } catch (RuntimeException e) {
        progress.close(e instanceof InstallationException ie ? ie : null);
        listener.failed(step, e);
        throw e;
      }
      progress.close(null);
      listener.finished(
          step,
          "ok on "
              + result.output().recap().size()
              + " host(s) in "
              + result.elapsed().toMillis()
              + " ms (log "
              + result.logFile()
              + ")");
    }

    private String shortDescription(PlaybookRunner.Invocation inv) {
      String name = Path.of(inv.playbook()).getFileName().toString();
      return name + (inv.limit().isEmpty() ? "" : " --limit " + String.join(":", inv.limit()));
    }
  }

  /**
   * Turns parsed output into listener calls: on the run's step a progress per play ({@code play N:
   * name}) and per task ({@code task N: name}); per host a step {@code <playbook> on <node>} that
   * starts with the host's first result, gets a progress per result ({@code <status>: <task> (ok=..
   * changed=.. failed=..)}, done = results so far) and finishes (or fails) with the recap.
   */
  static final class Progress {
    private final Step runStep;
    private final String playbook;
    private final StepListener listener;
    private final Topology topology;
    private final Map<String, Step> hostSteps = new LinkedHashMap<>();
    private final Map<String, AnsibleEvent.Counts> counts = new ConcurrentHashMap<>();
    private final Map<String, AnsibleEvent.Counts> recap = new LinkedHashMap<>();
    private final AtomicInteger results = new AtomicInteger();

    Progress(Step runStep, String playbook, StepListener listener, Topology topology) {
      this.runStep = runStep;
      this.playbook = playbook;
      this.listener = listener;
      this.topology = topology;
    }

    synchronized void on(AnsibleEvent event) {
      if (event instanceof AnsibleEvent.PlayStarted p) {
        listener.progress(runStep, p.index(), 0, "play " + p.index() + ": " + p.name());
      } else if (event instanceof AnsibleEvent.TaskStarted t) {
        listener.progress(runStep, t.index(), 0, "task " + t.index() + ": " + t.name());
      } else if (event instanceof AnsibleEvent.HostResult r) {
        hostResult(r);
      } else if (event instanceof AnsibleEvent.Recap r) {
        recap.put(r.host(), r.counts());
      }
    }

    private void hostResult(AnsibleEvent.HostResult r) {
      Step hostStep =
          hostSteps.computeIfAbsent(
              r.host(),
              h -> {
                Step s =
                    Step.onNode(
                        Phase.KUBERNETES, playbook, topology.node(h).map(Node::host).orElse(""), h);
                listener.started(s);
                return s;
              });
      AnsibleEvent.Counts c =
          counts.merge(
              r.host(), AnsibleEvent.Counts.NONE.plus(r.status()), (a, b) -> a.plus(r.status()));
      results.incrementAndGet();
      String delegated = r.delegatedTo().map(d -> " (on " + d + ")").orElse("");
      listener.progress(
          hostStep,
          c.ok() + c.failed() + c.unreachable() + c.skipped(),
          0,
          r.status() + ": " + r.task() + delegated + " (" + c + ")");
    }

    synchronized void close(@Nullable InstallationException error) {
      for (Map.Entry<String, Step> e : hostSteps.entrySet()) {
        AnsibleEvent.Counts c = recap.getOrDefault(e.getKey(), counts.get(e.getKey()));
        if (c != null && !c.failedOrUnreachable()) {
          listener.finished(
              e.getValue(),
              c.changed() > 0 ? StepOutcome.CHANGED : StepOutcome.UNCHANGED,
              c.toString());
        } else if (error != null && error.failedHosts().contains(e.getKey())) {
          listener.failed(e.getValue(), error);
        } else if (c != null && c.failedOrUnreachable()) {
          listener.failed(
              e.getValue(),
              new InstallationException(
                  playbook + " failed on " + e.getKey() + " (" + c + ")",
                  error == null ? 0 : error.exitCode(),
                  "",
                  List.of(e.getKey()),
                  ""));
        } else {
          listener.finished(
              e.getValue(),
              StepOutcome.SKIPPED,
              "stopped (" + (c == null ? "no results" : c) + ")");
        }
      }
    }
  }
}
