package io.kubitect.kubespray;

import io.kubitect.core.NodeRole;
import io.kubitect.core.NodeStatus;
import io.kubitect.core.Phase;
import io.kubitect.core.Step;
import io.kubitect.core.spi.InstallationException;
import io.kubitect.core.spi.KubernetesInstaller;
import io.kubitect.core.spi.StepListener;
import io.kubitect.core.spi.Topology;
import io.kubitect.core.ssh.CommandResult;
import io.kubitect.core.ssh.RemoteCommand;
import io.kubitect.core.ssh.SshConnections;
import io.kubitect.core.ssh.SshOptions;
import io.kubitect.core.ssh.SshTarget;
import io.kubitect.kubespray.internal.Inventory;
import io.kubitect.kubespray.internal.K3sInventory;
import io.kubitect.kubespray.internal.K3sToken;
import io.kubitect.kubespray.internal.Kubeconfig;
import io.kubitect.kubespray.internal.KubesprayCheckout;
import io.kubitect.kubespray.internal.PlaybookRunner;
import io.kubitect.kubespray.internal.Virtualenv;
import java.io.IOException;
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
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs, scales and upgrades Kubernetes with k3s through k3s-ansible (Kubitect's {@code manager:
 * k3s}): renders the k3s-ansible inventory into the cluster's directory, gets the pinned
 * k3s-ansible tree, and runs its playbooks with {@code ansible-playbook}, with the same verified
 * SSH, logs and progress steps as {@link KubesprayInstaller}.
 *
 * <ul>
 *   <li>{@code CREATE}: {@code playbook/site.yml} on every node; the playbook writes the
 *       kubeconfig, which is renamed to the cluster and pointed at the API endpoint.
 *   <li>{@code UPGRADE}: {@code playbook/upgrade.yml} on every node.
 *   <li>{@code SCALE_UP}: {@code playbook/site.yml} with the whole inventory, limited to every new
 *       node (Kubitect joined only the first), so new servers join the first master.
 *   <li>{@code REMOVE_NODES}: over SSH on the first remaining master that answers, {@code kubectl
 *       cordon}, {@code drain --ignore-daemonsets --force} and {@code delete node} for each node.
 * </ul>
 *
 * <p>The cluster token is random, generated once per cluster and kept (0600) in {@code
 * <work>/ansible/k3s-token}; Kubitect derived it from the cluster name.
 */
public final class K3sInstaller implements KubernetesInstaller {
  private static final Logger LOG = LoggerFactory.getLogger(K3sInstaller.class);

  /** The k3s-ansible repository Kubitect uses. */
  public static final String DEFAULT_REPOSITORY = "https://github.com/MusicDin/k3s-ansible";

  /** The k3s-ansible tag Kubitect uses. */
  public static final String DEFAULT_REF = "v0.0.1";

  private final String repository;
  private final String ref;
  private final Path cacheDirectory;
  private final KubesprayInstaller.Ansible ansible;
  private final Duration playbookTimeout;
  private final Duration setupTimeout;
  private final String remoteKubectl;
  private final boolean checkRendered;
  private final RookAddon rook;

  private K3sInstaller(Builder b) {
    this.repository = b.repository;
    this.ref = b.ref;
    this.cacheDirectory = b.cacheDirectory;
    this.ansible = b.ansible;
    this.playbookTimeout = b.playbookTimeout;
    this.setupTimeout = b.setupTimeout;
    this.remoteKubectl = b.remoteKubectl;
    this.checkRendered = b.checkRendered;
    this.rook = new RookAddon(b.helm, b.playbookTimeout);
  }

  /**
   * A builder with the defaults: k3s-ansible {@value #DEFAULT_REF} from {@value
   * #DEFAULT_REPOSITORY}, cache in {@code ~/.kubitect/cache}, Ansible in a virtualenv.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Configures a {@link K3sInstaller}. */
  public static final class Builder {
    private String repository = DEFAULT_REPOSITORY;
    private String ref = DEFAULT_REF;
    private Path cacheDirectory =
        Path.of(System.getProperty("user.home"), ".kubitect", "cache").toAbsolutePath();
    private KubesprayInstaller.Ansible ansible = KubesprayInstaller.Ansible.VIRTUALENV;
    private Duration playbookTimeout = Duration.ZERO;
    private Duration setupTimeout = Duration.ofMinutes(15);
    private String remoteKubectl = "kubectl";
    private boolean checkRendered;
    private Optional<Path> helm = Optional.empty();

    private Builder() {}

    /**
     * Where k3s-ansible comes from: a git URL, a {@code file://} URL or a local directory (a
     * directory that is not a git repository is used in place, as it is).
     */
    public Builder repository(String repository) {
      if (repository.isBlank()) {
        throw new IllegalArgumentException("the k3s-ansible repository is empty");
      }
      if (repository.matches("(?s).*[\\x00-\\x1f].*") || repository.startsWith("-")) {
        throw new IllegalArgumentException(
            "the k3s-ansible repository " + repository.strip() + " is not a URL or a directory");
      }
      this.repository = repository;
      return this;
    }

    /** The tag (or branch) of k3s-ansible to check out. */
    public Builder ref(String ref) {
      if (!ref.matches("[A-Za-z0-9][A-Za-z0-9._+/-]{0,99}") || ref.contains("..")) {
        throw new IllegalArgumentException(
            "the k3s-ansible ref " + Objects.toString(ref) + " is not a tag or branch name");
      }
      this.ref = ref;
      return this;
    }

    /** Where checkouts and virtualenvs are kept, across clusters. */
    public Builder cacheDirectory(Path directory) {
      this.cacheDirectory = directory.toAbsolutePath();
      return this;
    }

    /** Where {@code ansible-playbook} comes from. */
    public Builder ansible(KubesprayInstaller.Ansible ansible) {
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

    /** Limit for cloning k3s-ansible and creating the virtualenv (default 15 minutes). */
    public Builder setupTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("setup timeout must be positive: " + timeout);
      }
      this.setupTimeout = timeout;
      return this;
    }

    /** The kubectl command on the masters, run as root ({@code kubectl}, which k3s installs). */
    public Builder remoteKubectl(String command) {
      if (!command.matches("[A-Za-z0-9_./-]+")) {
        throw new IllegalArgumentException("remote kubectl " + command + " is not a command path");
      }
      this.remoteKubectl = command;
      return this;
    }

    /**
     * On simulated hosts, have {@code ansible-inventory} read back the rendered inventory (off by
     * default: it costs seconds per apply).
     */
    public Builder checkRenderedInventory(boolean check) {
      this.checkRendered = check;
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
    public K3sInstaller build() {
      return new K3sInstaller(this);
    }
  }

  /** Where the token is kept, relative to the work directory. */
  static final String TOKEN_FILE = "ansible/k3s-token";

  @Override
  public Optional<Path> install(Request request, StepListener listener) {
    if (request.action() == Action.ADDONS) {
      rook.apply(request, listener, Optional.empty());
      return Optional.empty();
    }
    Topology topology = request.topology();
    Path work = request.workDirectory().toAbsolutePath();
    Path state = work.resolve("ansible");
    K3sInventory inventory = K3sInventory.of(topology, request.infrastructure());
    if (request.action() == Action.REMOVE_NODES) {
      removeNodes(request, inventory, listener);
      return Optional.empty();
    }
    Path tree =
        KubesprayInstaller.step(
            listener,
            Step.of(Phase.KUBERNETES, "get k3s-ansible " + ref),
            () ->
                KubesprayCheckout.get(
                    KubesprayCheckout.Tree.K3S_ANSIBLE,
                    repository,
                    ref,
                    cacheDirectory,
                    setupTimeout.toSeconds()),
            Path::toString);
    String ansiblePlaybook = ansiblePlaybook(tree, listener);
    Path inventoryDirectory = state.resolve("inventory");
    inventory.write(inventoryDirectory, K3sToken.ensure(work.resolve(TOKEN_FILE)));
    Path download = state.resolve("download");
    Path rawKubeconfig = download.resolve("admin.conf");

    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("k3s_version", inventory.k3sVersion());
    vars.put("api_endpoint", inventory.apiAddress());
    vars.put("api_port", Inventory.API_PORT);
    vars.put("extra_server_args", "");
    vars.put("extra_agent_args", "");
    vars.put("user_kubectl", true);
    vars.put("cluster_context", topology.clusterName());
    vars.put("kubeconfig", rawKubeconfig.toString());
    Runner run =
        new Runner(
            ansiblePlaybook,
            tree,
            inventoryDirectory.resolve(K3sInventory.HOSTS_FILE),
            request,
            state,
            inventory,
            listener);
    switch (request.action()) {
      case CREATE -> {
        prepareDownload(download, rawKubeconfig);
        run.playbook("playbook/site.yml", List.of(), vars);
        if (!Files.isRegularFile(rawKubeconfig)) {
          // k3s-ansible copies the kubeconfig only where kubectl is installed next to Ansible.
          fetchKubeconfig(run, state, inventory.firstMaster(), rawKubeconfig);
        }
        Path kubeconfig = kubeconfig(listener, topology, inventory, rawKubeconfig, work);
        rook.apply(request, listener, Optional.of(kubeconfig));
        return Optional.of(kubeconfig);
      }
      case UPGRADE -> {
        run.playbook("playbook/upgrade.yml", List.of(), vars);
        Path existing = work.resolve("admin.conf");
        Optional<Path> kubeconfig =
            Files.isRegularFile(existing) ? Optional.of(existing) : Optional.empty();
        rook.apply(request, listener, kubeconfig);
        return kubeconfig;
      }
      case SCALE_UP -> {
        List<String> joining = new ArrayList<>();
        for (String name : request.nodes()) {
          Inventory.Host host =
              inventory
                  .host(name)
                  .orElseThrow(
                      () ->
                          new IllegalArgumentException(
                              "cannot scale up " + name + ": it is not in the topology"));
          if (host.role() != NodeRole.LOAD_BALANCER) {
            joining.add(name);
          }
        }
        if (!joining.isEmpty()) {
          // The whole inventory, so groups['server'][0] stays the first master they join.
          run.playbook("playbook/site.yml", joining, vars);
        }
        rook.apply(request, listener, Optional.empty());
        return Optional.empty();
      }
      case REMOVE_NODES, ADDONS -> throw new IllegalStateException("handled above");
    }
    throw new IllegalStateException("unknown action " + request.action());
  }

  /**
   * Writes the k3s-ansible inventory and the token into {@code <work>/ansible}, and with {@link
   * Builder#checkRenderedInventory(boolean)} has {@code ansible-inventory} read it back. Reaches no
   * node; used on simulated hosts.
   */
  @Override
  public String render(Request request) {
    Path work = request.workDirectory().toAbsolutePath();
    Path directory = work.resolve("ansible").resolve("inventory");
    K3sInventory inventory = K3sInventory.of(request.topology(), request.infrastructure());
    inventory.write(directory, K3sToken.ensure(work.resolve(TOKEN_FILE)));
    String written = "k3s-ansible inventory (k3s " + inventory.k3sVersion() + ") in " + directory;
    String checked =
        checkRendered
            ? KubesprayInstaller.checkInventory(
                written,
                directory.resolve(K3sInventory.HOSTS_FILE),
                inventory.hosts().hosts().size())
            : written;
    return request.topology().spec().addons().rook().enabled().orElse(false)
        ? checked + "; " + rook.render(request)
        : checked;
  }

  /** Helm, when Rook will be installed and none is found. */
  @Override
  public List<String> missingTools(Topology topology) {
    return rook.missingTools(topology);
  }

  private String ansiblePlaybook(Path tree, StepListener listener) {
    return switch (ansible) {
      case PATH -> "ansible-playbook";
      case VIRTUALENV -> {
        Path requirements = tree.resolve("requirements.txt");
        if (!Files.isRegularFile(requirements)) {
          throw new InstallationException(
              "k3s-ansible in "
                  + tree
                  + " has no requirements.txt to set up a virtualenv from; build with"
                  + " ansible(Ansible.PATH)",
              -1,
              "",
              List.of(),
              "");
        }
        yield KubesprayInstaller.step(
                listener,
                Step.of(Phase.KUBERNETES, "set up Ansible for k3s-ansible " + ref),
                () ->
                    Virtualenv.ensure(
                        cacheDirectory.resolve("venv/k3s").resolve(ref),
                        requirements,
                        setupTimeout),
                Path::toString)
            .toString();
      }
    };
  }

  private static void fetchKubeconfig(Runner run, Path state, String master, Path raw) {
    Path playbook = state.resolve("kubitect-fetch-k3s-kubeconfig.yml");
    try {
      Files.writeString(playbook, FETCH_PLAYBOOK);
    } catch (IOException e) {
      throw new InstallationException("cannot write " + playbook + ": " + e, -1, "", List.of(), "");
    }
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("kubitect_remote_kubeconfig", REMOTE_KUBECONFIG);
    vars.put("kubitect_kubeconfig_download", raw.toString());
    run.playbook(playbook.toString(), List.of(master), vars);
  }

  /** Where k3s writes the admin kubeconfig on a server. */
  private static final String REMOTE_KUBECONFIG = "/etc/rancher/k3s/k3s.yaml";

  private static final String FETCH_PLAYBOOK =
      """
      ---
      # Written by Kubitect: fetches the admin kubeconfig k3s wrote on the first master.
      - name: Fetch the k3s kubeconfig
        hosts: all
        gather_facts: false
        tasks:
          - name: Fetch the k3s kubeconfig
            ansible.builtin.fetch:
              src: "{{ kubitect_remote_kubeconfig }}"
              dest: "{{ kubitect_kubeconfig_download }}"
              flat: true
              fail_on_missing: true
      """;

  private static void prepareDownload(Path download, Path raw) {
    try {
      Files.createDirectories(download);
      Files.setPosixFilePermissions(download, PosixFilePermissions.fromString("rwx------"));
      Files.deleteIfExists(raw);
    } catch (IOException e) {
      throw new InstallationException(
          "cannot prepare " + download + ": " + e, -1, "", List.of(), "");
    }
  }

  /**
   * The kubeconfig k3s-ansible wrote, with k3s's {@code default} names turned into the cluster's
   * and the server pointed at the API endpoint, written 0600.
   */
  private static Path kubeconfig(
      StepListener listener, Topology topology, K3sInventory inventory, Path raw, Path work) {
    return KubesprayInstaller.step(
        listener,
        Step.of(Phase.KUBECONFIG, "rewrite the k3s kubeconfig"),
        () -> {
          try {
            if (!Files.isRegularFile(raw)) {
              throw new InstallationException(
                  "k3s-ansible wrote no kubeconfig to " + raw, -1, "", List.of(), "");
            }
            String text = Files.readString(raw);
            Files.delete(raw);
            String rewritten =
                Kubeconfig.rewrite(
                    text,
                    Map.of("default", topology.clusterName()),
                    "https://" + inventory.apiAddress() + ":" + Inventory.API_PORT);
            return Kubeconfig.write(work.resolve("admin.conf"), rewritten);
          } catch (IOException e) {
            throw new InstallationException(
                "cannot read the kubeconfig k3s-ansible wrote to " + raw + ": " + e,
                -1,
                "",
                List.of(),
                "");
          }
        },
        Path::toString);
  }

  /**
   * Cordons, drains and deletes each removed node through the first remaining master that answers
   * (Kubitect used the configured address of master 0, which may be gone or use DHCP).
   */
  private void removeNodes(Request request, K3sInventory inventory, StepListener listener) {
    List<String> nodes = new ArrayList<>();
    for (String name : request.nodes()) {
      boolean balancer =
          request
              .topology()
              .node(name)
              .map(n -> n.role() == NodeRole.LOAD_BALANCER)
              .orElse(name.startsWith(request.topology().clusterName() + "-lb-"));
      if (!balancer) {
        nodes.add(name);
      }
    }
    if (nodes.isEmpty()) {
      return;
    }
    Step step =
        Step.of(Phase.KUBERNETES, "remove " + String.join(", ", nodes) + " through a master");
    KubesprayInstaller.step(
        listener,
        step,
        () -> {
          int port = request.topology().nodeAccess().sshPort();
          String user = request.topology().nodeAccess().user();
          try (SshConnections ssh =
              SshConnections.open(
                  request.credentials(),
                  SshOptions.defaults().withCommandTimeout(Duration.ofMinutes(15)))) {
            List<String> tried = new ArrayList<>();
            @Nullable SshTarget master = null;
            String masterName = "";
            for (String candidate : inventory.masters()) {
              if (request.nodes().contains(candidate)) {
                continue;
              }
              String ip =
                  request
                      .infrastructure()
                      .node(candidate)
                      .flatMap(NodeStatus::ip)
                      .or(() -> inventory.host(candidate).map(Inventory.Host::ip))
                      .orElseThrow();
              SshTarget target = new SshTarget(ip, port, user);
              try {
                CommandResult probe =
                    ssh.exec(
                        target,
                        RemoteCommand.of(remoteKubectl, "get", "nodes", "-o", "name")
                            .asRoot()
                            .withTimeout(Duration.ofSeconds(60)));
                if (probe.succeeded()) {
                  master = target;
                  masterName = candidate;
                  break;
                }
                tried.add(candidate + ": kubectl exited " + probe.exitCode() + " " + tail(probe));
              } catch (RuntimeException e) {
                tried.add(candidate + ": " + e.getMessage());
              }
            }
            if (master == null) {
              throw new InstallationException(
                  "no master answers to remove "
                      + String.join(", ", nodes)
                      + (tried.isEmpty()
                          ? " (no master remains)"
                          : ": " + String.join("; ", tried)),
                  -1,
                  "",
                  List.of(),
                  "");
            }
            for (String node : nodes) {
              CommandResult exists =
                  ssh.exec(master, RemoteCommand.of(remoteKubectl, "get", "node", node).asRoot());
              if (!exists.succeeded() && exists.stderr().contains("NotFound")) {
                LOG.info("{} is not a node of the cluster (any more): nothing to remove", node);
                continue;
              }
              kubectl(ssh, master, masterName, node, "cordon", "cordon", node);
              kubectl(
                  ssh,
                  master,
                  masterName,
                  node,
                  "drain",
                  "drain",
                  node,
                  "--ignore-daemonsets",
                  "--force",
                  "--delete-emptydir-data",
                  "--timeout=10m");
              kubectl(ssh, master, masterName, node, "delete", "delete", "node", node);
            }
            return masterName;
          }
        },
        master -> "removed through " + master);
  }

  private void kubectl(
      SshConnections ssh,
      SshTarget master,
      String masterName,
      String node,
      String what,
      String... args) {
    CommandResult result = ssh.exec(master, RemoteCommand.of(remoteKubectl, args).asRoot());
    if (!result.succeeded()) {
      throw new InstallationException(
          what
              + " node \""
              + node
              + "\" on "
              + masterName
              + ": kubectl exited "
              + result.exitCode()
              + " "
              + tail(result),
          result.exitCode(),
          "kubectl " + what,
          List.of(masterName),
          result.stderr());
    }
  }

  private static String tail(CommandResult result) {
    String err = result.stderr().strip();
    return err.length() <= 300 ? err : "..." + err.substring(err.length() - 300);
  }

  /** What every playbook run of one install shares. */
  private final class Runner {
    final String ansiblePlaybook;
    final Path tree;
    final Path inventoryFile;
    final Request request;
    final Path state;
    final K3sInventory inventory;
    final StepListener listener;

    Runner(
        String ansiblePlaybook,
        Path tree,
        Path inventoryFile,
        Request request,
        Path state,
        K3sInventory inventory,
        StepListener listener) {
      this.ansiblePlaybook = ansiblePlaybook;
      this.tree = tree;
      this.inventoryFile = inventoryFile;
      this.request = request;
      this.state = state;
      this.inventory = inventory;
      this.listener = listener;
    }

    void playbook(String playbook, List<String> limit, Map<String, Object> extraVars) {
      if (!Files.isRegularFile(tree.resolve(playbook))) {
        throw new InstallationException(
            "k3s-ansible in " + tree + " has no playbook " + playbook, -1, "", List.of(), "");
      }
      PlaybookRunner.Invocation inv =
          new PlaybookRunner.Invocation(
              ansiblePlaybook,
              tree,
              playbook,
              inventoryFile,
              limit,
              extraVars,
              request.topology().nodeAccess().user(),
              request.credentials().privateKeyFile(),
              request.credentials().knownHostsFile(),
              Math.min(100, Math.max(1, inventory.hosts().kubernetesHosts().size())),
              state,
              playbookTimeout);
      String name = Path.of(playbook).getFileName().toString();
      Step step = Step.of(Phase.KUBERNETES, "ansible-playbook " + inv.describe());
      KubesprayInstaller.Progress progress =
          new KubesprayInstaller.Progress(step, name, listener, request.topology());
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
  }
}
