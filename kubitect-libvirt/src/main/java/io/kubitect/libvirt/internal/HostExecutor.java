package io.kubitect.libvirt.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/**
 * A host's executor (its size bounds the calls in flight) that counts the tasks queued or running,
 * so the engine can wait until everything an apply started has stopped: the reconciler's future can
 * complete while tasks no future waits for still run (a combined future fails as soon as one side
 * fails). Tasks only submit further tasks while they run, so once the count is zero after the graph
 * is built, it stays zero.
 */
final class HostExecutor implements java.util.concurrent.Executor {
  private final ExecutorService threads;
  private final Object lock = new Object();
  private int pending;

  HostExecutor(int size, ThreadFactory factory) {
    threads = Executors.newFixedThreadPool(size, factory);
  }

  @Override
  public void execute(Runnable task) {
    synchronized (lock) {
      pending++;
    }
    try {
      threads.execute(
          () -> {
            try {
              task.run();
            } finally {
              done();
            }
          });
    } catch (RuntimeException e) {
      done();
      throw e;
    }
  }

  private void done() {
    synchronized (lock) {
      pending--;
      if (pending == 0) {
        lock.notifyAll();
      }
    }
  }

  /**
   * Waits until no task is queued or running, through interrupts (kept for the caller): returning
   * earlier would leave libvirt calls running behind the caller's back. Then ends the threads.
   */
  void drainAndStop() {
    boolean interrupted = false;
    synchronized (lock) {
      while (pending > 0) {
        try {
          lock.wait();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    threads.shutdown();
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
