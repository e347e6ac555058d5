package io.kubitect.kubespray.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Ends a child process together with every process it started. */
public final class ProcessTree {
  private ProcessTree() {}

  /**
   * Asks {@code root} and all its descendants to terminate (SIGTERM), waits up to {@code grace},
   * then kills what is left (SIGKILL). Descendants are collected before anything is signalled, and
   * again before the kill, because an orphaned grandchild stops being a descendant once its parent
   * is gone.
   */
  public static void kill(ProcessHandle root, Duration grace) {
    Set<ProcessHandle> all = snapshot(root);
    all.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + grace.toNanos();
    while (System.nanoTime() < deadline && all.stream().anyMatch(ProcessHandle::isAlive)) {
      all.addAll(snapshot(root));
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    all.addAll(snapshot(root));
    all.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  /** {@code root} and its live descendants, children before grandchildren. */
  static Set<ProcessHandle> snapshot(ProcessHandle root) {
    Set<ProcessHandle> all = new LinkedHashSet<>();
    if (root.isAlive()) {
      all.add(root);
    }
    List<ProcessHandle> descendants = new ArrayList<>(root.descendants().toList());
    all.addAll(descendants);
    return all;
  }
}
