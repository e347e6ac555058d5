package io.kubitect.libvirt.internal;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The cancellation of one apply or destroy. The engine cancels it when its caller is interrupted;
 * from then on no libvirt call starts ({@link MeteredHypervisor} checks before each one), waits end
 * at once, threads doing interruptible work outside libvirt (an image download, a readiness probe)
 * are interrupted, and work that can be stopped from outside (a connect over ssh: its ssh process)
 * is stopped. Nothing else is interrupted: a libvirt call in flight cannot be, and the engine waits
 * for it.
 */
final class Cancellation {
  private final CountDownLatch cancelled = new CountDownLatch(1);
  private final Set<Thread> interruptible = new HashSet<>();
  private final Set<Runnable> stoppers = new HashSet<>();
  private final Set<Cancellation> parts = new HashSet<>();

  /**
   * The cancellation of a part of this run (one node's readiness wait): cancelled with the run, or
   * on its own without touching the run.
   */
  Cancellation part() {
    Cancellation part = new Cancellation();
    synchronized (interruptible) {
      if (isCancelled()) {
        part.cancel();
      } else {
        parts.add(part);
      }
    }
    return part;
  }

  void cancel() {
    synchronized (interruptible) {
      cancelled.countDown();
      parts.forEach(Cancellation::cancel);
      parts.clear();
      interruptible.forEach(Thread::interrupt);
      for (Runnable stop : stoppers) {
        try {
          stop.run();
        } catch (RuntimeException e) {
          // best effort: the work is waited for all the same
        }
      }
      stoppers.clear();
    }
  }

  boolean isCancelled() {
    return cancelled.getCount() == 0;
  }

  /**
   * @throws CancelledException when cancelled
   */
  void check() {
    if (isCancelled()) {
      throw new CancelledException();
    }
  }

  /**
   * Waits for {@code time}; true when the wait ended early, because of the cancellation or because
   * the thread was interrupted (the interrupt is kept).
   */
  boolean sleep(Duration time) {
    try {
      return cancelled.await(time.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  /** Runs {@code work}, interrupting the thread if the cancellation comes meanwhile. */
  <T> T interruptibly(Supplier<T> work) {
    Thread me = Thread.currentThread();
    synchronized (interruptible) {
      check();
      interruptible.add(me);
    }
    try {
      return work.get();
    } finally {
      synchronized (interruptible) {
        interruptible.remove(me);
        if (isCancelled()) {
          Thread.interrupted(); // ours, not the caller's: the pool thread goes on to other tasks
        }
      }
    }
  }

  /**
   * Runs {@code work}; if the cancellation comes meanwhile, {@code stop} is run once (on the
   * cancelling thread) to make the work end early. {@code stop} must be quick and must not wait for
   * the work.
   *
   * @throws CancelledException when already cancelled; {@code work} does not start then
   */
  <T> T stoppable(Supplier<T> work, Runnable stop) {
    synchronized (interruptible) {
      check();
      stoppers.add(stop);
    }
    try {
      return work.get();
    } finally {
      synchronized (interruptible) {
        stoppers.remove(stop);
      }
    }
  }

  /** What a cancelled step fails with. */
  static final class CancelledException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CancelledException() {
      super("cancelled: no further libvirt call is made");
    }
  }
}
