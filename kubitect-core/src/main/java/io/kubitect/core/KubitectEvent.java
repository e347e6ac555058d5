package io.kubitect.core;

import java.time.Duration;

/**
 * What an apply or destroy reports to a {@link KubitectListener}, typed for a UI: phases with the
 * number of nodes they concern, steps with their {@link StepOutcome}, progress with done and total,
 * and warnings. Every event names its cluster, so one listener can follow several runs.
 */
public sealed interface KubitectEvent {
  /** The cluster the event is about. */
  String cluster();

  /**
   * A phase begins.
   *
   * @param nodes how many nodes the phase works on (the expected total of its progress), 0 when it
   *     works on the cluster as a whole
   */
  record PhaseStarted(String cluster, Phase phase, String action, int nodes)
      implements KubitectEvent {}

  /** A phase ended; {@code outcome} is {@link StepOutcome#FAILED} when it failed. */
  record PhaseFinished(
      String cluster,
      Phase phase,
      String action,
      StepOutcome outcome,
      String detail,
      Duration elapsed)
      implements KubitectEvent {}

  /** An executor began a step on a host or node. */
  record StepStarted(String cluster, Step step) implements KubitectEvent {}

  /** A step ended. */
  record StepFinished(String cluster, Step step, StepOutcome outcome, String detail)
      implements KubitectEvent {}

  /**
   * Progress within a phase: {@code done} of {@code total} units (nodes, or tasks while Kubernetes
   * installs), {@code total} 0 when the executor cannot know it in advance.
   */
  record Progress(String cluster, Phase phase, int done, int total, String detail)
      implements KubitectEvent {}

  /** Something accepted but worth a look (a validation warning, VMs that may remain). */
  record Warning(String cluster, String message) implements KubitectEvent {}
}
