package io.kubitect.testing;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs scenario classes (static nested classes of the tests, which surefire leaves alone) through
 * the JUnit Platform launcher and records what became of every test and container, so a test can
 * check that a scenario failed, and how.
 */
final class Scenarios {
  private Scenarios() {}

  /** What became of one test or container. */
  record Outcome(
      String name, boolean container, String status, Optional<Throwable> error, String reason) {
    boolean succeeded() {
      return status.equals("SUCCESSFUL");
    }

    boolean failed() {
      return status.equals("FAILED");
    }

    boolean skipped() {
      return status.equals("SKIPPED");
    }

    /** The error's message with its causes' and suppressed ones', for assertions. */
    String message() {
      StringBuilder text = new StringBuilder(reason);
      error.ifPresent(e -> append(text, e, 0));
      return text.toString();
    }

    private static void append(StringBuilder text, Throwable e, int depth) {
      if (depth > 5) {
        return;
      }
      text.append('\n').append(e);
      for (Throwable s : e.getSuppressed()) {
        append(text, s, depth + 1);
      }
      if (e.getCause() != null && e.getCause() != e) {
        append(text, e.getCause(), depth + 1);
      }
    }
  }

  /** Every test and container of the classes, in the order they ended. */
  static List<Outcome> run(Class<?>... classes) {
    LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request();
    for (Class<?> c : classes) {
      request.selectors(selectClass(c));
    }
    LauncherDiscoveryRequest built = request.build();
    List<Outcome> outcomes = new ArrayList<>();
    TestExecutionListener listener =
        new TestExecutionListener() {
          @Override
          public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            if (id.getSource().isEmpty()) {
              return; // the engine itself
            }
            outcomes.add(
                new Outcome(
                    id.getDisplayName(),
                    id.isContainer(),
                    result.getStatus().toString(),
                    result.getThrowable(),
                    ""));
          }

          @Override
          public void executionSkipped(TestIdentifier id, String reason) {
            outcomes.add(
                new Outcome(
                    id.getDisplayName(), id.isContainer(), "SKIPPED", Optional.empty(), reason));
          }
        };
    Launcher launcher = LauncherFactory.create();
    launcher.execute(built, listener);
    return outcomes;
  }

  /** The outcome of the test or container whose display name starts with {@code name}. */
  static Outcome of(List<Outcome> outcomes, String name) {
    return outcomes.stream()
        .filter(o -> o.name().startsWith(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no outcome for " + name + " in " + outcomes));
  }
}
