package io.kubitect.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * An apply running on a thread of its own ({@link Kubitect#applyAsync}). {@link #cancel()} stops it
 * at a safe point; the next apply of the same specification converges from what it left.
 */
public final class ApplyRun {
  private final String cluster;
  private final CompletableFuture<AppliedCluster> result = new CompletableFuture<>();
  private final Thread thread;

  ApplyRun(String cluster, Supplier<AppliedCluster> apply, Consumer<ApplyRun> whenDone) {
    this.cluster = cluster;
    this.thread =
        new Thread(
            () -> {
              try {
                result.complete(apply.get());
              } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
              } finally {
                whenDone.accept(this);
              }
            },
            "kubitect-apply-" + cluster);
  }

  void start() {
    thread.start();
  }

  /** The cluster being applied. */
  public String cluster() {
    return cluster;
  }

  /**
   * Completes with the applied cluster, or exceptionally with what {@link Kubitect#apply(Plan)}
   * throws ({@link ApplyException#cancelled()} after {@link #cancel()}). Cancelling this stage does
   * not stop the run: call {@link #cancel()}.
   */
  public CompletionStage<AppliedCluster> result() {
    return result.minimalCompletionStage();
  }

  /** Waits for the end of the run and returns its cluster, or throws what the apply threw. */
  public AppliedCluster join() {
    try {
      return result.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  /** Whether the run has ended, well or not. */
  public boolean isDone() {
    return result.isDone();
  }

  /**
   * Stops the run at its next safe point and returns once every worker of the apply has stopped
   * (the cluster's lock released). Does nothing when the run has ended.
   *
   * @return whether the run was still going
   */
  public boolean cancel() {
    if (result.isDone()) {
      return false;
    }
    thread.interrupt();
    if (Thread.currentThread() == thread) {
      return true;
    }
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return true;
  }
}
