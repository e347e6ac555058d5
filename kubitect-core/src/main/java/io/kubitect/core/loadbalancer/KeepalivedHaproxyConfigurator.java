package io.kubitect.core.loadbalancer;

import io.kubitect.core.Phase;
import io.kubitect.core.Step;
import io.kubitect.core.StepOutcome;
import io.kubitect.core.spi.ClusterCredentials;
import io.kubitect.core.spi.InfrastructureStatus;
import io.kubitect.core.spi.LoadBalancerConfigurator;
import io.kubitect.core.spi.LoadBalancerInspection;
import io.kubitect.core.spi.NodeAccess;
import io.kubitect.core.spi.StepListener;
import io.kubitect.core.spi.Topology;
import io.kubitect.core.ssh.CommandResult;
import io.kubitect.core.ssh.RemoteCommand;
import io.kubitect.core.ssh.RemoteFile;
import io.kubitect.core.ssh.SshConnection;
import io.kubitect.core.ssh.SshConnections;
import io.kubitect.core.ssh.SshOptions;
import io.kubitect.core.ssh.SshTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Configures keepalived and HAProxy on every load-balancer node over SSH (see {@code
 * docs/load-balancers.md}). Per node: installs the packages when missing (apt or dnf), enables
 * {@code net.ipv4.ip_nonlocal_bind}, writes each file atomically after the node's own {@code
 * haproxy -c} / {@code keepalived -t} accepted it, and reloads (or starts) the daemon whose file
 * changed. Then it waits until exactly one node holds the virtual IP and checks that HAProxy
 * listens everywhere. A file whose content, mode and owner are already right is not touched and no
 * daemon is reloaded, so re-applying an unchanged configuration changes nothing on the nodes.
 *
 * <p>Every step is reported to the {@link StepListener} per node: {@code prepare node}, {@code
 * configure haproxy}, {@code configure keepalived}, then {@code verify load balancers}.
 */
public final class KeepalivedHaproxyConfigurator implements LoadBalancerConfigurator {
  private static final Logger LOG = LoggerFactory.getLogger(KeepalivedHaproxyConfigurator.class);

  static final String SYSCTL_PATH = "/etc/sysctl.d/90-kubitect-loadbalancer.conf";
  static final String SYSCTL_CONTENT =
      """
      # Managed by Kubitect for Java: HAProxy may bind the virtual IP before it holds it.
      net.ipv4.ip_nonlocal_bind = 1
      """;

  private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(15);
  private static final Duration LISTEN_TIMEOUT = Duration.ofSeconds(10);

  /** What the node says about HAProxy when it does not listen. */
  private static final String DIAGNOSE =
      """
      echo "listening TCP sockets:"; ss -ltnp 2>&1 | head -n 20
      echo "haproxy processes:"; ps -eo pid,args 2>/dev/null | grep '[h]aproxy' | head -n 10
      if [ -f /run/kubitect/haproxy.log ]; then
        echo "/run/kubitect/haproxy.log:"; tail -n 20 /run/kubitect/haproxy.log
      fi
      if [ -d /run/systemd/system ]; then systemctl status haproxy --no-pager 2>&1 | tail -n 20; fi
      """;

  /** Prints what the node has: packages, package manager, init system, interface of its IP. */
  private static final String FACTS =
      """
      for p in haproxy keepalived; do
        if command -v "$p" >/dev/null 2>&1; then echo "has_$p=yes"; else echo "has_$p=no"; fi
      done
      if command -v apt-get >/dev/null 2>&1; then echo pm=apt
      elif command -v dnf >/dev/null 2>&1; then echo pm=dnf
      elif command -v yum >/dev/null 2>&1; then echo pm=yum
      else echo pm=none; fi
      if [ -d /run/systemd/system ]; then echo init=systemd; else echo init=direct; fi
      set -- $(ip -o -4 addr show to "$1/32")
      echo "iface=${2:-}"
      echo "nonlocal_bind=$(cat /proc/sys/net/ipv4/ip_nonlocal_bind 2>/dev/null)"
      """;

  private static final String INSTALL =
      """
      pm=$1; shift
      case $pm in
        apt)
          export DEBIAN_FRONTEND=noninteractive
          apt-get install -y -q "$@" || { apt-get update -q && apt-get install -y -q "$@"; } ;;
        dnf) dnf install -y -q "$@" ;;
        yum) yum install -y -q "$@" ;;
        *) echo "no apt-get, dnf or yum to install $*" >&2; exit 1 ;;
      esac
      """;

  private final LoadBalancerTuning tuning;
  private final SshOptions sshOptions;
  private final boolean checkRendered;

  /** A configurator with the default timings and SSH options. */
  public KeepalivedHaproxyConfigurator() {
    this(LoadBalancerTuning.defaults(), SshOptions.defaults());
  }

  /** A configurator with the given timings and SSH options. */
  public KeepalivedHaproxyConfigurator(LoadBalancerTuning tuning, SshOptions sshOptions) {
    this(tuning, sshOptions, false);
  }

  private KeepalivedHaproxyConfigurator(
      LoadBalancerTuning tuning, SshOptions sshOptions, boolean checkRendered) {
    this.tuning = tuning;
    this.sshOptions = sshOptions;
    this.checkRendered = checkRendered;
  }

  /**
   * This configurator, but {@link #render} also has the local {@code haproxy -c} check what it
   * wrote (a missing haproxy is then an error). Off by default: it costs seconds per apply; this
   * project's own tests turn it on.
   */
  public KeepalivedHaproxyConfigurator checkingRenderedFiles() {
    return new KeepalivedHaproxyConfigurator(tuning, sshOptions, true);
  }

  @Override
  public void configure(
      Topology topology,
      InfrastructureStatus infrastructure,
      ClusterCredentials credentials,
      StepListener listener) {
    LoadBalancerLayout layout = LoadBalancerLayout.of(topology, infrastructure);
    if (layout.loadBalancers().isEmpty()) {
      return;
    }
    NodeAccess access = topology.nodeAccess();
    Map<String, Throwable> failures = new LinkedHashMap<>();
    try (SshConnections ssh = SshConnections.open(credentials, sshOptions)) {
      List<SshConnection> nodes = new ArrayList<>();
      for (LoadBalancerLayout.Peer peer : layout.loadBalancers()) {
        SshConnection node = ssh.to(new SshTarget(peer.ip(), access.sshPort(), access.user()));
        nodes.add(node);
        try {
          new NodeRun(node, peer, layout, listener).apply();
        } catch (RuntimeException e) {
          failures.put(peer.name(), e);
        }
      }
      if (!failures.isEmpty()) {
        throw new LoadBalancerException(failures);
      }
      step(
          listener,
          Step.of(Phase.LOAD_BALANCERS, "verify load balancers"),
          () -> verify(layout, nodes));
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>One SSH command per load balancer, all at once: systemd's (or the direct-run pid files')
   * view of keepalived and HAProxy, {@code ip addr} for the virtual IP, and {@code show stat} on
   * HAProxy's stats socket (read with the node's python3, which cloud-init needs anyway).
   */
  @Override
  public List<LoadBalancerInspection> inspect(
      Topology topology, InfrastructureStatus infrastructure, ClusterCredentials credentials) {
    LoadBalancerLayout layout = LoadBalancerLayout.of(topology, infrastructure);
    NodeAccess access = topology.nodeAccess();
    Optional<String> vip = layout.usesKeepalived() ? layout.vip() : Optional.empty();
    if (layout.loadBalancers().isEmpty()) {
      return List.of();
    }
    ExecutorService pool = Executors.newFixedThreadPool(layout.loadBalancers().size());
    try (SshConnections ssh = SshConnections.open(credentials, sshOptions)) {
      List<Future<LoadBalancerInspection>> asked = new ArrayList<>();
      for (LoadBalancerLayout.Peer peer : layout.loadBalancers()) {
        SshConnection node = ssh.to(new SshTarget(peer.ip(), access.sshPort(), access.user()));
        asked.add(pool.submit(() -> LoadBalancerInspector.inspect(peer.name(), node, vip)));
      }
      List<LoadBalancerInspection> found = new ArrayList<>();
      for (int i = 0; i < asked.size(); i++) {
        found.add(answer(asked.get(i), layout.loadBalancers().get(i).name()));
      }
      return found;
    } finally {
      pool.shutdownNow();
    }
  }

  /** {@inheritDoc} keepalived first, so the virtual IP moves before HAProxy stops answering. */
  @Override
  public void stopLoadBalancer(
      Topology topology,
      InfrastructureStatus infrastructure,
      ClusterCredentials credentials,
      String node) {
    LoadBalancerLayout layout = LoadBalancerLayout.of(topology, infrastructure);
    LoadBalancerLayout.Peer peer =
        layout.loadBalancers().stream()
            .filter(p -> p.name().equals(node))
            .findFirst()
            .orElseThrow(
                () -> new LoadBalancerException(node + " is not a load balancer of the cluster"));
    NodeAccess access = topology.nodeAccess();
    try (SshConnections ssh = SshConnections.open(credentials, sshOptions)) {
      SshConnection connection = ssh.to(new SshTarget(peer.ip(), access.sshPort(), access.user()));
      boolean systemd =
          connection
              .exec(RemoteCommand.of("test", "-d", "/run/systemd/system").asRoot())
              .succeeded();
      ServiceControl control = ServiceControl.on(connection, systemd);
      control.stop(ServiceControl.Service.KEEPALIVED);
      control.stop(ServiceControl.Service.HAPROXY);
    }
  }

  private static LoadBalancerInspection answer(Future<LoadBalancerInspection> asked, String node) {
    try {
      return asked.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LoadBalancerException("interrupted while inspecting " + node);
    } catch (ExecutionException e) {
      return LoadBalancerInspection.unreachable(node, String.valueOf(e.getCause()));
    }
  }

  /**
   * Writes each load balancer's haproxy.cfg, keepalived.conf and check script into {@code
   * directory/<node>/}, and checks haproxy.cfg with the local {@code haproxy -c} when {@link
   * #checkingRenderedFiles()} asked for it. keepalived.conf names the node's interface ({@code
   * nodeTemplate.os.networkInterface}, which cloud-init gives the NIC), so {@code keepalived -t}
   * runs on the node in a real apply.
   */
  @Override
  public String render(Topology topology, InfrastructureStatus infrastructure, Path directory) {
    LoadBalancerLayout layout = LoadBalancerLayout.of(topology, infrastructure);
    if (layout.loadBalancers().isEmpty()) {
      return "no load balancers";
    }
    String networkInterface = topology.nodeAccess().networkInterface();
    String haproxy = HaproxyConfig.render(layout, tuning);
    List<String> checked = new ArrayList<>();
    for (LoadBalancerLayout.Peer peer : layout.loadBalancers()) {
      Path node = directory.resolve(peer.name());
      writeFile(node.resolve("haproxy.cfg"), haproxy);
      if (layout.usesKeepalived()) {
        writeFile(
            node.resolve("keepalived.conf"),
            KeepalivedConfig.render(layout, peer, networkInterface, tuning));
        writeFile(node.resolve("kubitect-check-haproxy.sh"), KeepalivedConfig.checkScript(tuning));
      }
      if (checkRendered) {
        checked.add(checkLocally(node.resolve("haproxy.cfg")));
      }
    }
    return "haproxy.cfg"
        + (layout.usesKeepalived() ? " and keepalived.conf" : "")
        + " for "
        + layout.loadBalancers().size()
        + " load balancer(s) in "
        + directory
        + (checked.isEmpty() ? "" : "; " + checked.get(0));
  }

  private static void writeFile(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** {@code haproxy -c -f FILE} when haproxy is installed here. */
  private static String checkLocally(Path config) {
    Process process;
    try {
      process =
          new ProcessBuilder("haproxy", "-c", "-f", config.toString())
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      throw new LoadBalancerException(
          "checking the rendered haproxy.cfg needs haproxy, which is not installed here (apt-get"
              + " install haproxy), or use a configurator without checkingRenderedFiles()");
    }
    try {
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return "haproxy -c did not finish: not checked";
      }
      if (process.exitValue() != 0) {
        throw new LoadBalancerException("haproxy -c rejects " + config + ": " + output.trim());
      }
      return "haproxy -c accepts it";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      return "interrupted: not checked";
    }
  }

  /** Waits for exactly one virtual-IP holder; checks HAProxy listens on every node. */
  private String verify(LoadBalancerLayout layout, List<SshConnection> nodes) {
    long listenDeadline = System.nanoTime() + LISTEN_TIMEOUT.toNanos();
    for (int i = 0; i < nodes.size(); i++) {
      SshConnection node = nodes.get(i);
      boolean listening = listens(node);
      while (!listening && System.nanoTime() < listenDeadline) {
        sleep(200);
        listening = listens(node);
      }
      if (!listening) {
        String diagnostics =
            node.exec(RemoteCommand.script("haproxy diagnostics", DIAGNOSE).asRoot()).stdout();
        throw new LoadBalancerException(
            "HAProxy on "
                + layout.loadBalancers().get(i).name()
                + " does not accept connections on port "
                + LoadBalancerLayout.API_PORT
                + " within "
                + LISTEN_TIMEOUT
                + ":\n"
                + diagnostics.strip());
      }
    }
    if (!layout.usesKeepalived()) {
      return "HAProxy listens on " + nodes.size() + " node(s); no virtual IP";
    }
    String vip = layout.vip().orElseThrow();
    long deadline = System.nanoTime() + tuning.convergeTimeout().toNanos();
    List<String> holders = vipHolders(layout, nodes, vip);
    while (holders.size() != 1 && System.nanoTime() < deadline) {
      sleep(200);
      holders = vipHolders(layout, nodes, vip);
    }
    if (holders.size() != 1) {
      throw new LoadBalancerException(
          "expected exactly one load balancer to hold the virtual IP "
              + vip
              + " within "
              + tuning.convergeTimeout()
              + ", but "
              + (holders.isEmpty() ? "none does" : String.join(" and ", holders) + " do"));
    }
    return "virtual IP "
        + vip
        + " on "
        + holders.get(0)
        + "; HAProxy listens on "
        + nodes.size()
        + " node(s)";
  }

  private static boolean listens(SshConnection node) {
    return node.exec(
            RemoteCommand.of(
                    "bash",
                    "-c",
                    "exec 3<>/dev/tcp/127.0.0.1/$1",
                    "kubitect",
                    Integer.toString(LoadBalancerLayout.API_PORT))
                .asRoot())
        .succeeded();
  }

  private static List<String> vipHolders(
      LoadBalancerLayout layout, List<SshConnection> nodes, String vip) {
    List<String> holders = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      String out =
          nodes
              .get(i)
              .run(RemoteCommand.of("ip", "-o", "-4", "addr", "show", "to", vip + "/32").asRoot())
              .stdout();
      if (!out.isBlank()) {
        holders.add(layout.loadBalancers().get(i).name());
      }
    }
    return holders;
  }

  /** The work on one node. */
  private final class NodeRun {
    private final SshConnection node;
    private final LoadBalancerLayout.Peer peer;
    private final LoadBalancerLayout layout;
    private final StepListener listener;

    NodeRun(
        SshConnection node,
        LoadBalancerLayout.Peer peer,
        LoadBalancerLayout layout,
        StepListener listener) {
      this.node = node;
      this.peer = peer;
      this.layout = layout;
      this.listener = listener;
    }

    void apply() {
      NodeFacts facts = step(listener, nodeStep("prepare node"), this::prepare);
      ServiceControl services = ServiceControl.on(node, facts.systemd());
      step(listener, nodeStep("configure haproxy"), () -> configureHaproxy(services));
      step(
          listener,
          nodeStep("configure keepalived"),
          () -> configureKeepalived(services, facts.networkInterface()));
    }

    private Step nodeStep(String action) {
      return Step.onNode(Phase.LOAD_BALANCERS, action, peer.host(), peer.name());
    }

    private NodeFacts prepare() {
      NodeFacts facts =
          NodeFacts.parse(
              node.run(RemoteCommand.script("inspect node", FACTS, peer.ip()).asRoot()).stdout());
      List<String> done = new ArrayList<>();
      List<String> missing = new ArrayList<>();
      if (!facts.hasHaproxy()) {
        missing.add("haproxy");
      }
      if (layout.usesKeepalived() && !facts.hasKeepalived()) {
        missing.add("keepalived");
      }
      if (!missing.isEmpty()) {
        List<String> args = new ArrayList<>(List.of(facts.packageManager()));
        args.addAll(missing);
        node.run(
            RemoteCommand.script(
                    "install " + String.join(" ", missing), INSTALL, args.toArray(String[]::new))
                .asRoot()
                .withTimeout(INSTALL_TIMEOUT));
        done.add("installed " + String.join(" ", missing) + " with " + facts.packageManager());
      }
      if (ensureFile(SYSCTL_PATH, SYSCTL_CONTENT, "644", null)) {
        done.add("persisted ip_nonlocal_bind");
      }
      if (!facts.nonlocalBind()) {
        node.run(RemoteCommand.of("sysctl", "-q", "-w", "net.ipv4.ip_nonlocal_bind=1").asRoot());
        done.add("set ip_nonlocal_bind");
      }
      facts.outcome = done.isEmpty() ? "unchanged" : String.join("; ", done);
      return facts;
    }

    private String configureHaproxy(ServiceControl services) {
      boolean changed =
          ensureFile(
              HaproxyConfig.PATH,
              HaproxyConfig.render(layout, tuning),
              "644",
              staged -> RemoteCommand.of("haproxy", "-c", "-q", "-f", staged));
      return converge(services, ServiceControl.Service.HAPROXY, changed);
    }

    private String configureKeepalived(ServiceControl services, String networkInterface) {
      if (!layout.usesKeepalived()) {
        return "not needed: "
            + (layout.vip().isEmpty() ? "no virtual IP" : "the virtual IP is the node's own");
      }
      boolean script =
          ensureFile(
              KeepalivedConfig.CHECK_SCRIPT_PATH,
              KeepalivedConfig.checkScript(tuning),
              "755",
              null);
      boolean config =
          ensureFile(
              KeepalivedConfig.PATH,
              KeepalivedConfig.render(layout, peer, networkInterface, tuning),
              "644",
              staged -> RemoteCommand.of("keepalived", "-t", "-f", staged));
      return converge(services, ServiceControl.Service.KEEPALIVED, script || config);
    }

    private String converge(
        ServiceControl services, ServiceControl.Service service, boolean changed) {
      boolean running = services.isRunning(service);
      if (!running) {
        services.start(service);
        return (changed ? "configured and started" : "started (was not running)")
            + " ("
            + services.kind()
            + ")";
      }
      if (changed) {
        services.reload(service);
        return "configured and reloaded (" + services.kind() + ")";
      }
      return "unchanged";
    }

    /**
     * Makes {@code path} hold {@code content} (root-owned, {@code mode}); returns whether it
     * changed anything. A validated file is written next to the target first, checked there by the
     * node's own binary, and only then renamed over the target.
     */
    private boolean ensureFile(
        String path, String content, String mode, @Nullable Validator validator) {
      byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
      Optional<RemoteFile> current = node.stat(path);
      if (current.isPresent()
          && current.get().sha256().equals(sha256(bytes))
          && current.get().mode().equals(mode)
          && current.get().owner().equals("root:root")) {
        return false;
      }
      if (validator == null) {
        node.upload(bytes, path, mode, "root:root");
        return true;
      }
      int slash = path.lastIndexOf('/');
      String staged =
          path.substring(0, slash + 1) + "." + path.substring(slash + 1) + ".kubitect-new";
      node.upload(bytes, staged, mode, "root:root");
      CommandResult check = node.exec(validator.command(staged).asRoot());
      if (!check.succeeded()) {
        node.exec(RemoteCommand.of("rm", "-f", "--", staged).asRoot());
        String output = (check.stdout() + check.stderr()).strip();
        throw new LoadBalancerException(
            peer.name()
                + ": the node rejected the new "
                + path
                + " (the running configuration is kept):\n"
                + output);
      }
      node.run(RemoteCommand.of("mv", "-f", "--", staged, path).asRoot());
      LOG.debug("{}: wrote {}", peer.name(), path);
      return true;
    }
  }

  /** The command that checks a staged file. */
  @FunctionalInterface
  private interface Validator {
    RemoteCommand command(String stagedPath);
  }

  /** What the node has. */
  static final class NodeFacts {
    private final Map<String, String> values;
    String outcome = "";

    private NodeFacts(Map<String, String> values) {
      this.values = values;
    }

    static NodeFacts parse(String output) {
      Map<String, String> values = new LinkedHashMap<>();
      output
          .lines()
          .forEach(
              line -> {
                int eq = line.indexOf('=');
                if (eq > 0) {
                  values.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
                }
              });
      return new NodeFacts(values);
    }

    boolean hasHaproxy() {
      return "yes".equals(values.get("has_haproxy"));
    }

    boolean hasKeepalived() {
      return "yes".equals(values.get("has_keepalived"));
    }

    String packageManager() {
      return values.getOrDefault("pm", "none");
    }

    boolean systemd() {
      return "systemd".equals(values.get("init"));
    }

    boolean nonlocalBind() {
      return "1".equals(values.get("nonlocal_bind"));
    }

    String networkInterface() {
      String iface = values.getOrDefault("iface", "");
      if (iface.isEmpty()) {
        throw new LoadBalancerException(
            "no network interface of the node carries its address; cannot bind the virtual IP");
      }
      return iface.endsWith(":") ? iface.substring(0, iface.length() - 1) : iface;
    }
  }

  /** Runs one step, reporting it; the outcome of a {@link NodeFacts} step is its summary. */
  private static <T> T step(StepListener listener, Step step, Supplier<T> work) {
    listener.started(step);
    T result;
    try {
      result = work.get();
    } catch (RuntimeException e) {
      listener.failed(step, e);
      throw e;
    }
    if (result instanceof NodeFacts f) {
      listener.finished(
          step,
          f.outcome.equals("unchanged") ? StepOutcome.UNCHANGED : StepOutcome.CHANGED,
          f.outcome);
    } else {
      listener.finished(step, String.valueOf(result));
    }
    return result;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LoadBalancerException("interrupted while waiting for the load balancers");
    }
  }
}
