package io.kubitect.core;

import io.kubitect.core.ClusterHealth.Check;
import io.kubitect.core.ClusterHealth.HostHealth;
import io.kubitect.core.ClusterHealth.LoadBalancerHealth;
import io.kubitect.core.ClusterHealth.NodeHealth;
import io.kubitect.core.ClusterHealth.Vrrp;
import io.kubitect.core.spi.ClusterCredentials;
import io.kubitect.core.spi.HostInspection;
import io.kubitect.core.spi.InfrastructureProvisioner;
import io.kubitect.core.spi.InfrastructureStatus;
import io.kubitect.core.spi.LoadBalancerConfigurator;
import io.kubitect.core.spi.LoadBalancerInspection;
import io.kubitect.core.spi.Node;
import io.kubitect.core.spi.NodeAccess;
import io.kubitect.core.spi.Topology;
import io.kubitect.core.ssh.RemoteCommand;
import io.kubitect.core.ssh.SshConnections;
import io.kubitect.core.ssh.SshOptions;
import io.kubitect.core.ssh.SshTarget;
import io.kubitect.model.KubitectException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;

/**
 * The checks behind {@link Kubitect#status(String)}: the hypervisors (through the provisioner), SSH
 * to every node with its verified host key, the load balancers (through the configurator) and the
 * API server, directly and through the endpoint. Node checks run in parallel. On simulated hosts
 * nothing is reached beyond the provisioner's own simulated hypervisors.
 */
final class HealthCheck {
  static final int API_PORT = 6443;
  private static final Duration SSH_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration API_TIMEOUT = Duration.ofSeconds(5);
  private static final int PARALLEL = 16;

  private final Topology topology;
  private final InfrastructureStatus infrastructure;
  private final Optional<ClusterCredentials> credentials;
  private final @Nullable InfrastructureProvisioner provisioner;
  private final @Nullable LoadBalancerConfigurator loadBalancers;
  private final boolean kubernetesInstalled;
  private final Optional<String> apiEndpoint;

  HealthCheck(
      Topology topology,
      InfrastructureStatus infrastructure,
      Optional<ClusterCredentials> credentials,
      @Nullable InfrastructureProvisioner provisioner,
      @Nullable LoadBalancerConfigurator loadBalancers,
      boolean kubernetesInstalled,
      Optional<String> apiEndpoint) {
    this.topology = topology;
    this.infrastructure = infrastructure;
    this.credentials = credentials;
    this.provisioner = provisioner;
    this.loadBalancers = loadBalancers;
    this.kubernetesInstalled = kubernetesInstalled;
    this.apiEndpoint = apiEndpoint;
  }

  ClusterHealth run() {
    Instant started = Instant.now();
    boolean simulated = infrastructure.simulated();
    Map<String, HostInspection> hosts = inspectHosts();
    List<HostHealth> hostHealth = new ArrayList<>();
    for (var host : topology.hostLayouts()) {
      HostInspection found = hosts.get(host.name());
      hostHealth.add(new HostHealth(host.name(), hypervisorCheck(host.name(), found)));
    }
    ExecutorService pool = Executors.newFixedThreadPool(PARALLEL, HealthCheck::daemon);
    try {
      Map<String, Future<Check>> ssh = new HashMap<>();
      Map<String, Future<Check>> direct = new HashMap<>();
      for (Node node : topology.nodes()) {
        Optional<String> ip = ip(node);
        if (!simulated && ip.isPresent() && credentials.isPresent()) {
          ssh.put(node.name(), pool.submit(() -> sshCheck(ip.get(), credentials.get())));
        }
        if (!simulated && kubernetesInstalled && node.role() == NodeRole.MASTER && ip.isPresent()) {
          direct.put(
              node.name(), pool.submit(() -> ApiProbe.readyz(ip.get(), API_PORT, API_TIMEOUT)));
        }
      }
      Future<Check> api = pool.submit((Callable<Check>) this::apiCheck);
      Map<String, LoadBalancerInspection> lbs = inspectLoadBalancers();
      List<NodeHealth> nodes = new ArrayList<>();
      for (Node node : topology.nodes()) {
        Optional<Check> apiServer =
            node.role() != NodeRole.MASTER
                ? Optional.empty()
                : Optional.of(
                    direct.containsKey(node.name())
                        ? await(direct.get(node.name()))
                        : Check.skipped(apiSkipReason(simulated)));
        nodes.add(
            new NodeHealth(
                node.name(),
                node.role(),
                node.host(),
                ip(node),
                domainCheck(node, hosts.get(node.host())),
                ssh.containsKey(node.name())
                    ? await(ssh.get(node.name()))
                    : Check.skipped(sshSkipReason(simulated, node)),
                node.role() == NodeRole.LOAD_BALANCER
                    ? Optional.of(loadBalancerHealth(node, lbs.get(node.name())))
                    : Optional.empty(),
                apiServer));
      }
      return new ClusterHealth(
          topology.clusterName(),
          started,
          simulated,
          apiEndpoint,
          hostHealth,
          nodes,
          virtualIpCheck(lbs),
          await(api));
    } finally {
      pool.shutdownNow();
    }
  }

  private Optional<String> ip(Node node) {
    return infrastructure.node(node.name()).flatMap(NodeStatus::ip).or(node::ip);
  }

  // --- hosts and domains

  private Map<String, HostInspection> inspectHosts() {
    Map<String, HostInspection> found = new LinkedHashMap<>();
    String skipped = null;
    if (provisioner == null) {
      skipped = "no provisioner is configured";
    } else if (provisioner.simulated() != infrastructure.simulated()) {
      // never reach the hosts written in a simulated cluster's specification, and never pretend a
      // real cluster's hosts are simulated ones
      skipped =
          "the cluster was provisioned on "
              + (infrastructure.simulated() ? "simulated" : "real")
              + " hosts and this Kubitect uses "
              + (provisioner.simulated() ? "simulated" : "real")
              + " ones";
    } else {
      try {
        for (HostInspection host : provisioner.inspect(topology)) {
          found.put(host.host(), host);
        }
      } catch (UnsupportedOperationException e) {
        skipped = String.valueOf(e.getMessage());
      }
    }
    if (skipped != null) {
      for (var host : topology.hostLayouts()) {
        found.put(
            host.name(),
            new HostInspection(
                host.name(), HostInspection.Reachability.NOT_INSPECTED, skipped, Map.of()));
      }
    }
    return found;
  }

  private static Check hypervisorCheck(String host, @Nullable HostInspection found) {
    if (found == null) {
      return Check.failed("the provisioner did not report host " + host);
    }
    return switch (found.reachability()) {
      case REACHABLE -> Check.ok("answers");
      case UNREACHABLE -> Check.failed(found.detail());
      case NOT_INSPECTED -> Check.skipped(found.detail());
    };
  }

  private static Check domainCheck(Node node, @Nullable HostInspection host) {
    if (host == null) {
      return Check.failed("host " + node.host() + " was not reported");
    }
    return switch (host.reachability()) {
      case NOT_INSPECTED -> Check.skipped(host.detail());
      case UNREACHABLE -> Check.failed("host " + node.host() + " does not answer");
      case REACHABLE -> {
        String state = host.domains().getOrDefault(node.name(), HostInspection.MISSING);
        yield state.equals(HostInspection.RUNNING)
            ? Check.ok(state)
            : Check.failed(
                state.equals(HostInspection.MISSING)
                    ? "no domain " + node.name() + " on host " + node.host()
                    : state);
      }
    };
  }

  // --- SSH

  private String sshSkipReason(boolean simulated, Node node) {
    if (simulated) {
      return "simulated hosts boot nothing";
    }
    return credentials.isEmpty()
        ? "the cluster's state has no SSH keys"
        : "no address known for " + node.name();
  }

  private Check sshCheck(String ip, ClusterCredentials keys) {
    NodeAccess access = topology.nodeAccess();
    SshTarget target = new SshTarget(ip, access.sshPort(), access.user());
    try (SshConnections ssh =
        SshConnections.open(keys, SshOptions.defaults().withConnectTimeout(SSH_TIMEOUT))) {
      ssh.run(target, RemoteCommand.of("true").withTimeout(SSH_TIMEOUT));
      return Check.ok("answers as " + target + " with its host key");
    } catch (RuntimeException e) {
      return Check.failed(oneLine(e.getMessage()));
    }
  }

  // --- load balancers

  private Map<String, LoadBalancerInspection> inspectLoadBalancers() {
    Map<String, LoadBalancerInspection> found = new LinkedHashMap<>();
    if (infrastructure.simulated()
        || loadBalancers == null
        || credentials.isEmpty()
        || topology.nodes(NodeRole.LOAD_BALANCER).isEmpty()) {
      return found;
    }
    try {
      for (LoadBalancerInspection lb :
          loadBalancers.inspect(topology, infrastructure, credentials.get())) {
        found.put(lb.node(), lb);
      }
    } catch (UnsupportedOperationException e) {
      return found;
    }
    return found;
  }

  private LoadBalancerHealth loadBalancerHealth(Node node, @Nullable LoadBalancerInspection lb) {
    if (lb == null) {
      String why =
          infrastructure.simulated()
              ? "simulated hosts boot nothing"
              : loadBalancers == null
                  ? "no load-balancer configurator is configured"
                  : credentials.isEmpty()
                      ? "the cluster's state has no SSH keys"
                      : "the load-balancer configurator cannot inspect " + node.name();
      return new LoadBalancerHealth(Vrrp.UNKNOWN, false, Map.of(), Check.skipped(why));
    }
    if (lb.error().isPresent()) {
      return new LoadBalancerHealth(Vrrp.UNKNOWN, false, Map.of(), Check.failed(lb.error().get()));
    }
    boolean usesVip = usesVirtualIp();
    Vrrp vrrp =
        !usesVip
            ? Vrrp.NOT_USED
            : !lb.keepalivedRunning()
                ? Vrrp.STOPPED
                : lb.holdsVirtualIp() ? Vrrp.MASTER : Vrrp.BACKUP;
    List<String> problems = new ArrayList<>();
    if (usesVip && !lb.keepalivedRunning()) {
      problems.add("keepalived is not running");
    }
    if (!lb.haproxyRunning()) {
      problems.add("HAProxy is not running");
    }
    lb.backendsDetail().ifPresent(problems::add);
    List<String> down = new ArrayList<>();
    lb.backends()
        .forEach(
            (server, state) -> {
              if (!state.startsWith("UP")) {
                down.add(server + " " + state);
              }
            });
    if (!down.isEmpty()) {
      problems.add("HAProxy sees " + String.join(", ", down));
    }
    String view =
        (usesVip ? vrrp.name() + ", " : "")
            + "HAProxy "
            + (lb.haproxyRunning() ? "running" : "stopped")
            + (lb.backends().isEmpty() ? "" : ", " + lb.backends().size() + " backend(s)");
    Check check = problems.isEmpty() ? Check.ok(view) : Check.failed(String.join("; ", problems));
    return new LoadBalancerHealth(vrrp, lb.haproxyRunning(), lb.backends(), check);
  }

  private boolean usesVirtualIp() {
    return topology.spec().cluster().nodes().loadBalancer().vip().isPresent()
        && !topology.nodes(NodeRole.LOAD_BALANCER).isEmpty();
  }

  private Check virtualIpCheck(Map<String, LoadBalancerInspection> lbs) {
    Optional<String> vip = topology.spec().cluster().nodes().loadBalancer().vip();
    if (!usesVirtualIp() || vip.isEmpty()) {
      return Check.skipped("the cluster has no virtual IP");
    }
    if (infrastructure.simulated()) {
      return Check.skipped("simulated hosts boot nothing");
    }
    if (lbs.isEmpty() || lbs.values().stream().anyMatch(lb -> lb.error().isPresent())) {
      return lbs.isEmpty()
          ? Check.skipped("the load balancers were not inspected")
          : Check.failed("not every load balancer could be asked whether it holds " + vip.get());
    }
    List<String> holders =
        lbs.values().stream()
            .filter(LoadBalancerInspection::holdsVirtualIp)
            .map(LoadBalancerInspection::node)
            .toList();
    if (holders.size() == 1) {
      return Check.ok(vip.get() + " held by " + holders.get(0));
    }
    return Check.failed(
        holders.isEmpty()
            ? "no load balancer holds " + vip.get()
            : vip.get() + " held by " + String.join(" and ", holders) + " at once");
  }

  // --- API server

  private String apiSkipReason(boolean simulated) {
    return simulated ? "simulated hosts boot nothing" : "Kubernetes is not installed yet";
  }

  private Check apiCheck() {
    if (infrastructure.simulated()) {
      return Check.skipped(apiSkipReason(true));
    }
    if (!kubernetesInstalled) {
      return Check.skipped(apiSkipReason(false));
    }
    if (apiEndpoint.isEmpty()) {
      return Check.failed("the cluster has no API endpoint");
    }
    return ApiProbe.readyz(apiEndpoint.get(), API_PORT, API_TIMEOUT);
  }

  // --- helpers

  private static Check await(Future<Check> check) {
    try {
      return check.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KubitectException("status interrupted");
    } catch (ExecutionException e) {
      return Check.failed("the check failed unexpectedly: " + e.getCause());
    }
  }

  private static Thread daemon(Runnable work) {
    Thread thread = new Thread(work, "kubitect-status");
    thread.setDaemon(true);
    return thread;
  }

  static String oneLine(@Nullable String text) {
    String flat = String.valueOf(text).replaceAll("\\s+", " ").strip();
    return flat.length() > 300 ? flat.substring(0, 300) + "..." : flat;
  }
}
