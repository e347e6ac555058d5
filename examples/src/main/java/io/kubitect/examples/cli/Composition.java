package io.kubitect.examples.cli;

import io.kubitect.core.ApplyListener;
import io.kubitect.core.Approval;
import io.kubitect.core.Kubitect;
import java.nio.file.Path;

/**
 * How the command line composes the SDK: which executors run, where state lives, who listens and
 * who approves. The one place that knows the concrete executor classes.
 */
final class Composition {
  private Composition() {}

  static Kubitect kubitect(
      Path stateDirectory, boolean simulate, ApplyListener listener, Approval approval) {
    return Kubitect.builder()
        .stateDirectory(stateDirectory)
        .listener(listener)
        .approval(approval)
        .build();
  }
}
