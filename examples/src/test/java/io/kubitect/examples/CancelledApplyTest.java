package io.kubitect.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubitect.core.AppliedCluster;
import io.kubitect.core.ApplyAction;
import io.kubitect.core.Kubitect;
import io.kubitect.core.NodeStatus;
import io.kubitect.libvirt.LibvirtProvisioner;
import io.kubitect.model.ClusterSpec;
import io.kubitect.model.KubitectYaml;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Kubitect.apply} run as a task and cancelled with {@code Future.cancel(true)} at a random
 * point (after a random number of libvirt calls, from none to all an uncancelled apply makes): as
 * soon as the task has ended, which is when the cluster lock is released, no libvirt call is made
 * any more, and an immediate re-apply of the same specification on the same provisioner succeeds
 * with the nodes of an apply that was never cancelled; a third apply changes nothing. 20 runs of
 * the HA example (8 VMs on 5 simulated hosts, 3 ms added to every libvirt call); the seed is
 * printed with any failure ({@code -Dkubitect.cancel.seed=N} replays it).
 */
class CancelledApplyTest {
  private static final int RUNS = 20;
  private static final Duration CALL_DELAY = Duration.ofMillis(3);

  @Test
  void aCancelledApplyStopsBeforeItsLockIsReleasedAndTheNextApplyConverges(@TempDir Path tmp)
      throws Exception {
    ClusterSpec spec = KubitectYaml.read(Path.of("ha.yaml"));
    List<String> expected;
    long calls;
    try (LibvirtProvisioner hosts = simulated()) {
      Kubitect kubitect = kubitect(hosts, tmp.resolve("reference"));
      expected = nodes(kubitect.apply(spec, ApplyAction.CREATE));
      calls = hosts.libvirtCalls();
    }
    long seed = Long.getLong("kubitect.cancel.seed", System.nanoTime());
    List<String> failures = new ArrayList<>();
    List<Long> stopNanos = new ArrayList<>();
    long begin = System.nanoTime();
    ExecutorService tasks = Executors.newSingleThreadExecutor();
    try {
      for (int run = 0; run < RUNS; run++) {
        long runSeed = seed + run;
        Random random = new Random(runSeed);
        try (LibvirtProvisioner hosts = simulated()) {
          Kubitect kubitect = kubitect(hosts, tmp.resolve("run-" + run));
          CountDownLatch started = new CountDownLatch(1);
          CountDownLatch ended = new CountDownLatch(1);
          java.util.concurrent.atomic.AtomicReference<RuntimeException> thrown =
              new java.util.concurrent.atomic.AtomicReference<>();
          Future<AppliedCluster> apply =
              tasks.submit(
                  () -> {
                    started.countDown();
                    try {
                      return kubitect.apply(spec, ApplyAction.CREATE);
                    } catch (RuntimeException e) {
                      thrown.set(e);
                      throw e;
                    } finally {
                      ended.countDown();
                    }
                  });
          int after = random.nextInt((int) calls + 1);
          started.await(); // a task cancelled before it starts never runs: nothing to check
          while (!apply.isDone() && hosts.libvirtCalls() < after) {
            LockSupport.parkNanos(50_000);
          }
          long cancelledAt = System.nanoTime();
          apply.cancel(true);
          assertThat(ended.await(30, TimeUnit.SECONDS))
              .as(() -> "the cancelled apply ended; threads:\n" + threads())
              .isTrue();
          stopNanos.add(System.nanoTime() - cancelledAt);
          if (thrown.get() != null) {
            // A stop is told apart from a failure by type, not by its message.
            assertThat(thrown.get())
                .isInstanceOfSatisfying(
                    io.kubitect.core.ApplyException.class,
                    e -> assertThat(e.cancelled()).as(e.getMessage()).isTrue());
          }
          long callsAtEnd = hosts.libvirtCalls();
          Thread.sleep(CALL_DELAY.toMillis() * 10);
          assertThat(hosts.libvirtCalls())
              .as("libvirt calls after the cancelled apply ended")
              .isEqualTo(callsAtEnd);

          AppliedCluster again = kubitect.apply(spec, ApplyAction.CREATE);
          assertThat(nodes(again)).as("nodes after the re-apply").isEqualTo(expected);
          assertThat(kubitect.apply(spec, ApplyAction.CREATE).mutatingCalls())
              .as("mutations of a third apply")
              .isZero();
        } catch (AssertionError | RuntimeException e) {
          failures.add("seed " + runSeed + ": " + e);
        }
      }
    } finally {
      tasks.shutdownNow();
    }
    stopNanos.sort(null);
    String summary =
        String.format(
            Locale.ROOT,
            "cancellation (Kubitect.apply, Future.cancel(true)): runs=%d failures=%d"
                + " uncancelled_calls=%d end_after_cancel_ms_median=%.1f max=%.1f call_delay_ms=%d"
                + " wall_s=%.1f%s",
            RUNS,
            failures.size(),
            calls,
            stopNanos.get(stopNanos.size() / 2) / 1e6,
            stopNanos.get(stopNanos.size() - 1) / 1e6,
            CALL_DELAY.toMillis(),
            (System.nanoTime() - begin) / 1e9,
            failures.isEmpty() ? "" : "\n  " + String.join("\n  ", failures));
    System.out.println(summary);
    assertThat(failures).as(summary).isEmpty();
  }

  private static String threads() {
    StringBuilder dump = new StringBuilder();
    Thread.getAllStackTraces()
        .forEach(
            (thread, stack) -> {
              dump.append(thread.getName()).append(' ').append(thread.getState()).append('\n');
              for (StackTraceElement frame : stack) {
                dump.append("    at ").append(frame).append('\n');
              }
            });
    return dump.toString();
  }

  private static LibvirtProvisioner simulated() {
    return LibvirtProvisioner.builder().simulated().callDelay(CALL_DELAY).build();
  }

  private static Kubitect kubitect(LibvirtProvisioner hosts, Path state) {
    return Kubitect.builder()
        .provisioner(hosts)
        .withoutLoadBalancers()
        .withoutKubernetes()
        .stateDirectory(state)
        .build();
  }

  /** What must not depend on the cancellation: each node's name, host, address and MAC. */
  private static List<String> nodes(AppliedCluster cluster) {
    return cluster.nodes().stream()
        .map(
            (NodeStatus n) ->
                n.name() + " " + n.host() + " " + n.ip().orElse("-") + " " + n.mac().orElse("-"))
        .sorted()
        .toList();
  }
}
