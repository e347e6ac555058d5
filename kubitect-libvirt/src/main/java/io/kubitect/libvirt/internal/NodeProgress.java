package io.kubitect.libvirt.internal;

import io.kubitect.core.Phase;
import io.kubitect.core.Step;
import io.kubitect.core.StepOutcome;
import io.kubitect.core.spi.StepListener;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts provisioned nodes for progress: a node is done when its wait for readiness ends (ready,
 * skipped or failed) or its VM step fails (no wait follows). Forwards every call unchanged.
 */
final class NodeProgress implements StepListener {
  static final String READY = "wait until ready";
  static final String VM = "vm";

  private final StepListener delegate;
  private final int total;
  private final AtomicInteger done = new AtomicInteger();

  private NodeProgress(StepListener delegate, int total) {
    this.delegate = delegate;
    this.total = total;
  }

  static StepListener around(StepListener listener, int nodes) {
    return new NodeProgress(listener, nodes);
  }

  @Override
  public void started(Step step) {
    delegate.started(step);
  }

  @Override
  public void finished(Step step, StepOutcome outcome, String detail) {
    delegate.finished(step, outcome, detail);
    if (step.phase() == Phase.PROVISION && step.action().equals(READY)) {
      count(step);
    }
  }

  @Override
  public void failed(Step step, Throwable error) {
    delegate.failed(step, error);
    if (step.phase() == Phase.PROVISION
        && (step.action().equals(READY) || step.action().equals(VM))) {
      count(step);
    }
  }

  @Override
  public void progress(Step step, int done, int total, String detail) {
    delegate.progress(step, done, total, detail);
  }

  private void count(Step step) {
    delegate.progress(
        Step.of(Phase.PROVISION, "nodes"),
        done.incrementAndGet(),
        total,
        step.node().orElse(step.action()));
  }
}
