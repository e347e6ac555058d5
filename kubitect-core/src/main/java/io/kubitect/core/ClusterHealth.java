package io.kubitect.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A cluster's live health, as {@link Kubitect#status(String)} found it: every host, every node and
 * the API server, each check with its outcome. Nothing is changed to find it.
 *
 * @param cluster the cluster name
 * @param checkedAt when the checks started
 * @param simulated whether the cluster lives on simulated hosts (nothing boots there, so nodes are
 *     not reached and their checks are {@link State#SKIPPED})
 * @param apiEndpoint the address clients reach the API server on (see {@link
 *     AppliedCluster#apiEndpoint()})
 * @param hosts every host of the specification
 * @param nodes every node of the specification, load balancers first
 * @param virtualIp whether exactly one load balancer holds the virtual IP
 * @param api the API server's {@code /readyz} through {@code apiEndpoint}
 */
public record ClusterHealth(
    String cluster,
    Instant checkedAt,
    boolean simulated,
    Optional<String> apiEndpoint,
    List<HostHealth> hosts,
    List<NodeHealth> nodes,
    Check virtualIp,
    Check api) {

  /** Copies the lists so the record stays immutable. */
  public ClusterHealth {
    hosts = List.copyOf(hosts);
    nodes = List.copyOf(nodes);
  }

  /** Whether no check failed (skipped checks do not count). */
  public boolean healthy() {
    return problems().isEmpty();
  }

  /** Every failed check, one line each, naming its host or node. */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    for (HostHealth host : hosts) {
      add(problems, "host " + host.name() + ": hypervisor", host.hypervisor());
    }
    for (NodeHealth node : nodes) {
      add(problems, node.name() + ": domain", node.domain());
      add(problems, node.name() + ": ssh", node.ssh());
      node.loadBalancer()
          .ifPresent(lb -> add(problems, node.name() + ": load balancer", lb.check()));
      node.apiServer().ifPresent(c -> add(problems, node.name() + ": API server", c));
    }
    add(problems, "virtual IP", virtualIp);
    add(problems, "API through " + apiEndpoint.orElse("?"), api);
    return problems;
  }

  private static void add(List<String> problems, String what, Check check) {
    if (check.state() == State.FAILED) {
      problems.add(what + ": " + check.detail());
    }
  }

  /** How a check ended. */
  public enum State {
    /** The check passed. */
    OK,
    /** The check failed; the detail says why. */
    FAILED,
    /** The check was not made; the detail says why (simulated hosts, no Kubernetes yet, ...). */
    SKIPPED
  }

  /**
   * One check's outcome.
   *
   * @param detail what was found (for {@link State#OK}) or why it failed or was skipped
   */
  public record Check(State state, String detail) {
    /** A passed check. */
    public static Check ok(String detail) {
      return new Check(State.OK, detail);
    }

    /** A failed check. */
    public static Check failed(String detail) {
      return new Check(State.FAILED, detail);
    }

    /** A check that was not made. */
    public static Check skipped(String why) {
      return new Check(State.SKIPPED, why);
    }
  }

  /**
   * A host's hypervisor.
   *
   * @param hypervisor whether it answered
   */
  public record HostHealth(String name, Check hypervisor) {}

  /**
   * One node.
   *
   * @param ip the address it answers on, when known
   * @param domain its libvirt domain: running, or what state it is in
   * @param ssh whether it answers over SSH with the host key the SDK gave it
   * @param loadBalancer keepalived and HAProxy, on load balancers
   * @param apiServer the API server's {@code /readyz} on the node itself, on masters once
   *     Kubernetes is installed
   */
  public record NodeHealth(
      String name,
      NodeRole role,
      String host,
      Optional<String> ip,
      Check domain,
      Check ssh,
      Optional<LoadBalancerHealth> loadBalancer,
      Optional<Check> apiServer) {

    /** Every check of the node, in the order above. */
    public List<Check> checks() {
      return Stream.of(
              Stream.of(domain, ssh),
              loadBalancer.map(LoadBalancerHealth::check).stream(),
              apiServer.stream())
          .flatMap(s -> s)
          .toList();
    }
  }

  /** A load balancer's VRRP role. */
  public enum Vrrp {
    /** keepalived runs and the node holds the virtual IP. */
    MASTER,
    /** keepalived runs and another node holds the virtual IP. */
    BACKUP,
    /** keepalived does not run. */
    STOPPED,
    /** The cluster has no virtual IP (a single load balancer). */
    NOT_USED,
    /** The node could not be asked. */
    UNKNOWN
  }

  /**
   * A load balancer's daemons.
   *
   * @param vrrp its keepalived role
   * @param haproxyRunning whether HAProxy runs
   * @param backends HAProxy's view of each master ({@code UP}, {@code DOWN}, ...), by node name
   * @param check the summary: failed when a daemon is down or a master is not {@code UP}
   */
  public record LoadBalancerHealth(
      Vrrp vrrp, boolean haproxyRunning, Map<String, String> backends, Check check) {

    /** Copies the map so the record stays immutable. */
    public LoadBalancerHealth {
      backends = Collections.unmodifiableMap(new LinkedHashMap<>(backends));
    }
  }
}
