package io.kubitect.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cancellation (an interrupt) that arrives while the lock is being taken must neither fail the
 * lock nor get lost: the file channel closes itself on an interrupt, so the lock is taken again and
 * the interrupt kept for the apply to see at its first step.
 */
class ClusterLockTest {
  private static final int TAKES = 400;

  @TempDir Path state;

  @Test
  void anInterruptWhileTakingTheLockIsKeptAndTheLockStillTaken() throws Exception {
    Path file = state.resolve("k8s/lock");
    List<String> failures = new ArrayList<>();
    SynchronousQueue<Thread> takes = new SynchronousQueue<>();
    Thread interrupter =
        new Thread(
            () -> {
              // One cancellation per take, at a random moment of it, as Future.cancel(true) sends.
              Random random = new Random(42);
              try {
                for (int i = 0; i < TAKES; i++) {
                  Thread taker = takes.take();
                  LockSupport.parkNanos(random.nextInt(2_000_000));
                  taker.interrupt();
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    interrupter.start();
    int kept = 0;
    for (int i = 0; i < TAKES; i++) {
      assertThat(takes.offer(Thread.currentThread(), 10, TimeUnit.SECONDS)).isTrue();
      try {
        ClusterLock lock = ClusterLock.acquire(file, "k8s", "apply");
        lock.close();
      } catch (RuntimeException e) {
        failures.add(e.getMessage());
      }
      // The interrupt of this take: kept by the lock, or still to come (at most 2 ms later).
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (!Thread.interrupted() && System.nanoTime() < deadline) {
        LockSupport.parkNanos(10_000);
      }
      if (System.nanoTime() < deadline) {
        kept++;
      }
    }
    interrupter.join();

    assertThat(failures).isEmpty();
    assertThat(kept).isEqualTo(TAKES);
  }
}
