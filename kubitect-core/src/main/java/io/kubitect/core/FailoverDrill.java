package io.kubitect.core;

import io.kubitect.core.spi.ClusterCredentials;
import io.kubitect.core.spi.InfrastructureStatus;
import io.kubitect.core.spi.LoadBalancerConfigurator;
import io.kubitect.core.spi.LoadBalancerInspection;
import io.kubitect.core.spi.Node;
import io.kubitect.core.spi.StepListener;
import io.kubitect.core.spi.Topology;
import io.kubitect.model.KubitectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A failover drill on a healthy load-balancer pair: a client asks {@code /readyz} through the
 * virtual IP every {@link DrillOptions#probeInterval()} while a watcher asks every load balancer
 * whether it holds the IP; the holder's keepalived and HAProxy are stopped; the drill waits for
 * another load balancer to hold the IP and the API to answer, watches a while, then restores the
 * stopped node through the configurator (as an apply would) and waits for the IP to settle. The
 * restore runs whatever happened before it.
 */
final class FailoverDrill {
  private final Topology topology;
  private final InfrastructureStatus infrastructure;
  private final ClusterCredentials credentials;
  private final LoadBalancerConfigurator loadBalancers;
  private final String vip;
  private final DrillOptions options;
  private final StepListener listener;
  private final long start = System.nanoTime();
  private final List<String> steps = Collections.synchronizedList(new ArrayList<>());
  private final List<String> problems = new ArrayList<>();

  /** Answers through the virtual IP: end time and whether it was a 200. */
  private record Answer(long endNanos, boolean ok) {}

  /** Who held the virtual IP, asked from {@code askedNanos} on. */
  private record Sample(long askedNanos, List<String> holders) {}

  FailoverDrill(
      Topology topology,
      InfrastructureStatus infrastructure,
      ClusterCredentials credentials,
      LoadBalancerConfigurator loadBalancers,
      String vip,
      DrillOptions options,
      StepListener listener) {
    this.topology = topology;
    this.infrastructure = infrastructure;
    this.credentials = credentials;
    this.loadBalancers = loadBalancers;
    this.vip = vip;
    this.options = options;
    this.listener = listener;
  }

  DrillReport run() {
    List<LoadBalancerInspection> before =
        loadBalancers.inspect(topology, infrastructure, credentials);
    String holder = requireReady(before);
    step(holder + " holds " + vip + "; every load balancer runs keepalived and HAProxy");
    List<Answer> answers = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger mostHolders = new AtomicInteger(1);
    List<Sample> holderHistory = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean running = new AtomicBoolean(true);
    Thread client = daemon("kubitect-drill-client", () -> ask(answers, running));
    Thread watcher =
        daemon("kubitect-drill-watch", () -> watch(holderHistory, mostHolders, running));
    client.start();
    watcher.start();
    Optional<String> takenOver = Optional.empty();
    long stoppedAt = 0;
    long restoredAt = 0;
    try {
      sleep(Duration.ofSeconds(1));
      if (answers.stream().noneMatch(Answer::ok)) {
        throw new KubitectException(
            "the API does not answer through " + vip + " before the drill; nothing was stopped");
      }
      stoppedAt = System.nanoTime();
      try {
        loadBalancers.stopLoadBalancer(topology, infrastructure, credentials, holder);
        step("stopped keepalived and HAProxy on " + holder);
        takenOver = awaitTakeOver(holder, holderHistory, answers, stoppedAt);
        sleep(options.observe());
      } finally {
        restoredAt = System.nanoTime();
        restore(holder);
        awaitSettled(holder, holderHistory, answers);
      }
    } finally {
      running.set(false);
      join(client);
      join(watcher);
    }
    List<Answer> all;
    synchronized (answers) {
      all = List.copyOf(answers);
    }
    Duration gap = longestGap(all, stoppedAt, restoredAt);
    Duration restoreGap = longestGap(all, restoredAt, System.nanoTime());
    step(
        "longest time without an answer through "
            + vip
            + ": "
            + gap.toMillis()
            + " ms after the stop, "
            + restoreGap.toMillis()
            + " ms during the restore");
    if (mostHolders.get() > 1) {
      problems.add(mostHolders.get() + " load balancers held " + vip + " at the same time");
    }
    int unanswered = (int) all.stream().filter(a -> !a.ok()).count();
    return new DrillReport(
        topology.clusterName(),
        vip,
        holder,
        takenOver,
        gap,
        restoreGap,
        all.size(),
        unanswered,
        mostHolders.get(),
        steps,
        problems);
  }

  /** The single holder of the virtual IP when every load balancer runs both daemons. */
  private String requireReady(List<LoadBalancerInspection> lbs) {
    if (lbs.size() < 2) {
      throw new KubitectException(
          "cluster "
              + topology.clusterName()
              + " has "
              + lbs.size()
              + " load balancer(s); a failover drill needs at least two");
    }
    List<String> holders = new ArrayList<>();
    for (LoadBalancerInspection lb : lbs) {
      if (lb.error().isPresent() || !lb.keepalivedRunning() || !lb.haproxyRunning()) {
        throw new KubitectException(
            lb.node()
                + " is not ready for a drill ("
                + lb.error()
                    .orElse(
                        (lb.keepalivedRunning() ? "" : "keepalived stopped ")
                            + (lb.haproxyRunning() ? "" : "HAProxy stopped"))
                    .strip()
                + "); nothing was stopped");
      }
      if (lb.holdsVirtualIp()) {
        holders.add(lb.node());
      }
    }
    if (holders.size() != 1) {
      throw new KubitectException(
          vip
              + " is held by "
              + (holders.isEmpty() ? "no load balancer" : String.join(" and ", holders))
              + "; a drill needs exactly one holder; nothing was stopped");
    }
    return holders.get(0);
  }

  private Optional<String> awaitTakeOver(
      String stopped, List<Sample> history, List<Answer> answers, long since) {
    long deadline = since + options.takeOverTimeout().toNanos();
    while (System.nanoTime() < deadline) {
      Optional<String> other =
          holdersSince(history, since).stream().filter(h -> !h.equals(stopped)).findFirst();
      if (other.isPresent() && answeredSince(answers, since)) {
        step(other.get() + " holds " + vip + " and the API answers through it");
        return other;
      }
      sleep(options.probeInterval());
    }
    problems.add(
        "no other load balancer took "
            + vip
            + " over with the API answering within "
            + options.takeOverTimeout());
    return Optional.empty();
  }

  private void restore(String stopped) {
    try {
      loadBalancers.configure(topology, infrastructure, credentials, listener);
      step("restored " + stopped + " (keepalived and HAProxy started again)");
    } catch (RuntimeException e) {
      problems.add("restoring " + stopped + " failed: " + HealthCheck.oneLine(e.getMessage()));
    }
  }

  /**
   * Waits until the node VRRP elects holds the virtual IP alone, as asked after the restore, with
   * the API answering: the one load balancer with the highest priority, which keepalived's
   * preemption gives the IP back to. Between equal priorities (the seed's) nothing preempts, so any
   * one holder is settled: the end-to-end lab saw a restored node with the higher address leave the
   * IP where it was.
   */
  private void awaitSettled(String restored, List<Sample> history, List<Answer> answers) {
    Optional<String> expected = elected(topology.nodes(NodeRole.LOAD_BALANCER));
    long since = System.nanoTime();
    long deadline = since + options.takeOverTimeout().toNanos();
    while (System.nanoTime() < deadline) {
      List<String> holders = holdersSince(history, since);
      boolean settled = expected.map(e -> holders.equals(List.of(e))).orElse(holders.size() == 1);
      if (settled && answeredSince(answers, since)) {
        step(
            holders.get(0)
                + " holds "
                + vip
                + (holders.get(0).equals(restored) ? " again" : "")
                + " after the restore of "
                + restored
                + "; the API answers");
        return;
      }
      sleep(options.probeInterval());
    }
    problems.add(
        "after the restore of "
            + restored
            + " "
            + vip
            + " did not settle on "
            + expected.orElse("one load balancer")
            + " alone with the API answering within "
            + options.takeOverTimeout()
            + "; last seen held by "
            + holdersSince(history, since));
  }

  /**
   * The load balancer that takes the virtual IP back once every one is healthy: the only one with
   * the highest priority. Empty when several share it: then none preempts the others.
   */
  static Optional<String> elected(List<Node> loadBalancers) {
    int top = loadBalancers.stream().mapToInt(Node::priority).max().orElse(0);
    List<Node> best = loadBalancers.stream().filter(n -> n.priority() == top).toList();
    return best.size() == 1 ? Optional.of(best.get(0).name()) : Optional.empty();
  }

  /** The holders of the newest sample asked after {@code since}; empty when there is none yet. */
  private static List<String> holdersSince(List<Sample> history, long since) {
    synchronized (history) {
      if (history.isEmpty()) {
        return List.of();
      }
      Sample last = history.get(history.size() - 1);
      return last.askedNanos() > since ? last.holders() : List.of();
    }
  }

  private static boolean answeredSince(List<Answer> answers, long since) {
    synchronized (answers) {
      return answers.stream().anyMatch(a -> a.ok() && a.endNanos() > since);
    }
  }

  /** The longest stretch in [from, to] without a 200 (from {@code from} to the first one, ...). */
  static Duration longestGap(List<Answer> answers, long from, long to) {
    long last = from;
    long longest = 0;
    for (Answer a : answers) {
      if (!a.ok() || a.endNanos() <= from || a.endNanos() > to) {
        continue;
      }
      longest = Math.max(longest, a.endNanos() - last);
      last = a.endNanos();
    }
    return Duration.ofNanos(longest);
  }

  private void ask(List<Answer> answers, AtomicBoolean running) {
    while (running.get()) {
      long began = System.nanoTime();
      boolean ok =
          ApiProbe.readyz(vip, HealthCheck.API_PORT, options.requestTimeout()).state()
              == ClusterHealth.State.OK;
      answers.add(new Answer(System.nanoTime(), ok));
      long rest = options.probeInterval().toNanos() - (System.nanoTime() - began);
      if (rest > 0) {
        sleepNanos(rest);
      }
    }
  }

  private void watch(List<Sample> history, AtomicInteger mostHolders, AtomicBoolean running) {
    while (running.get()) {
      long asked = System.nanoTime();
      try {
        List<String> holders =
            loadBalancers.inspect(topology, infrastructure, credentials).stream()
                .filter(LoadBalancerInspection::holdsVirtualIp)
                .map(LoadBalancerInspection::node)
                .toList();
        history.add(new Sample(asked, holders));
        mostHolders.accumulateAndGet(holders.size(), Math::max);
      } catch (RuntimeException e) {
        step("asking the load balancers failed: " + HealthCheck.oneLine(e.getMessage()));
      }
    }
  }

  private void step(String what) {
    long ms = Duration.ofNanos(System.nanoTime() - start).toMillis();
    steps.add("+" + ms + " ms: " + what);
  }

  private static Thread daemon(String name, Runnable work) {
    Thread thread = new Thread(work, name);
    thread.setDaemon(true);
    return thread;
  }

  private static void join(Thread thread) {
    try {
      thread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(Duration duration) {
    sleepNanos(duration.toNanos());
  }

  private static void sleepNanos(long nanos) {
    try {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KubitectException("the drill was interrupted");
    }
  }
}
