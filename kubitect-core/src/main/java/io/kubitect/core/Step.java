package io.kubitect.core;

import io.kubitect.core.spi.StepListener;
import java.util.Optional;

/**
 * One unit of work reported to {@link StepListener}s: a phase, what is done, and the host and node
 * it concerns when it concerns one.
 */
public record Step(Phase phase, String action, Optional<String> host, Optional<String> node) {

  /** A step of the whole cluster. */
  public static Step of(Phase phase, String action) {
    return new Step(phase, action, Optional.empty(), Optional.empty());
  }

  /** A step on one host. */
  public static Step onHost(Phase phase, String action, String host) {
    return new Step(phase, action, Optional.of(host), Optional.empty());
  }

  /** A step on one node (which runs on {@code host}). */
  public static Step onNode(Phase phase, String action, String host, String node) {
    return new Step(phase, action, Optional.of(host), Optional.of(node));
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder(phase.toString().toLowerCase(java.util.Locale.ROOT));
    host.ifPresent(h -> text.append(" [").append(h).append(']'));
    node.ifPresent(n -> text.append(' ').append(n));
    return text.append(": ").append(action).toString();
  }
}
