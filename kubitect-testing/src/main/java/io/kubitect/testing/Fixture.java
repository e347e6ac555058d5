package io.kubitect.testing;

import io.kubitect.core.AppliedCluster;
import io.kubitect.core.ApplyAction;
import io.kubitect.core.Approval;
import io.kubitect.core.Kubitect;
import io.kubitect.core.KubitectEvent;
import io.kubitect.core.KubitectListener;
import io.kubitect.core.StepOutcome;
import io.kubitect.core.ValidationException;
import io.kubitect.model.ClusterSpec;
import io.kubitect.model.KubitectException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * One test's (or class's) Kubitect: a temporary directory with {@code home/} and {@code state/}, a
 * {@link Kubitect} on simulated hosts there, and the cluster applied from the settings' spec.
 * {@link #close()} destroys every cluster of the state directory, closes the Kubitect and deletes
 * the temporary directory; it reports what it could not do.
 */
final class Fixture implements AutoCloseable {
  /** What the extension was configured with. */
  record Settings(
      @Nullable SpecSource spec,
      ApplyAction action,
      KubitectExtension.Lifecycle lifecycle,
      boolean checkRenderedArtifacts,
      boolean checkEventPairing,
      Approval approval,
      List<KubitectListener> listeners,
      @Nullable Path temporaryParent) {
    Settings {
      listeners = List.copyOf(listeners);
    }
  }

  private final Settings settings;
  private final String owner;
  private final Path root;
  private final Path home;
  private final Path state;
  private final RecordingListener events = new RecordingListener();
  private @Nullable Kubitect kubitect;
  private @Nullable ClusterSpec spec;
  private boolean closed;

  private Fixture(Settings settings, String owner, Path root) {
    this.settings = settings;
    this.owner = owner;
    this.root = root;
    this.home = root.resolve("home");
    this.state = root.resolve("state");
  }

  /**
   * Creates the directories and the Kubitect and applies the spec. On any failure everything made
   * so far is removed again before the exception leaves.
   *
   * @param owner the test or class, for messages
   */
  static Fixture open(Settings settings, String owner, ClassLoader loader) {
    // Read first: a specification that cannot be read leaves nothing behind.
    ClusterSpec spec = settings.spec() == null ? null : settings.spec().load(loader);
    Path root = createRoot(settings.temporaryParent());
    Fixture fixture = new Fixture(settings, owner, root);
    try {
      fixture.start(spec);
      return fixture;
    } catch (RuntimeException | Error e) {
      try {
        fixture.close();
      } catch (RuntimeException | Error cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  private static Path createRoot(@Nullable Path parent) {
    try {
      Path dir =
          parent == null
              ? Files.createTempDirectory("kubitect-test-")
              : Files.createTempDirectory(
                  Files.createDirectories(parent.toAbsolutePath()), "kubitect-test-");
      return dir.toAbsolutePath();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "KubitectExtension cannot create its temporary directory"
              + (parent == null ? "" : " in " + parent),
          e);
    }
  }

  private void start(@Nullable ClusterSpec given) {
    try {
      Files.createDirectory(home, PosixFilePermissions.asFileAttribute(privateDirectory()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + home, e);
    }
    Kubitect.Builder builder =
        Kubitect.builder()
            .simulatedHosts()
            .home(home)
            .stateDirectory(state)
            .approval(settings.approval())
            .listener(events);
    settings.listeners().forEach(builder::listener);
    if (settings.checkRenderedArtifacts()) {
      builder.checkRenderedArtifacts();
    }
    Kubitect k = builder.build();
    kubitect = k;
    if (given == null) {
      return;
    }
    spec = given;
    SpecSource source = settings.spec();
    String what = source == null ? "the spec" : source.describe();
    try {
      k.apply(given, settings.action());
    } catch (ValidationException e) {
      throw new ExtensionConfigurationException(
          "KubitectExtension: " + what + " is invalid: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new KubitectException(
          "KubitectExtension: applying "
              + what
              + " ("
              + settings.action().toString().toLowerCase(Locale.ROOT)
              + ") to cluster "
              + given.cluster().name().orElse("?")
              + " on simulated hosts failed for "
              + owner
              + ": "
              + e.getMessage()
              + failures(),
          e);
    }
  }

  private static java.util.Set<java.nio.file.attribute.PosixFilePermission> privateDirectory() {
    return PosixFilePermissions.fromString("rwx------");
  }

  /** The failed phases and steps so far, one line each, to append to a message. */
  private String failures() {
    List<String> lines = new ArrayList<>();
    for (KubitectEvent event : events.events()) {
      boolean failed =
          (event instanceof KubitectEvent.PhaseFinished p && p.outcome() == StepOutcome.FAILED)
              || (event instanceof KubitectEvent.StepFinished s
                  && s.outcome() == StepOutcome.FAILED);
      if (failed) {
        // The first line: the SDK's message, which follows in full above, may be a whole plan.
        lines.add(RecordingListener.describe(event).lines().findFirst().orElse(""));
      }
    }
    return lines.isEmpty() ? "" : "\nfailed:\n  " + String.join("\n  ", lines);
  }

  Kubitect kubitect() {
    if (kubitect == null || closed) {
      throw new IllegalStateException("the Kubitect of " + owner + " is closed");
    }
    return kubitect;
  }

  RecordingListener events() {
    return events;
  }

  Settings settings() {
    return settings;
  }

  Path root() {
    return root;
  }

  /** The specification the fixture applied, if it was given one. */
  Optional<ClusterSpec> spec() {
    return Optional.ofNullable(spec);
  }

  /** The applied cluster as its state says now (a test may have scaled or destroyed it). */
  Optional<AppliedCluster> cluster() {
    if (spec == null) {
      return Optional.empty();
    }
    return kubitect().cluster(spec.cluster().name().orElseThrow());
  }

  /**
   * Destroys every cluster of the state directory, closes the Kubitect, checks the events when told
   * to, and deletes the temporary directory. Idempotent.
   *
   * @throws AssertionError naming everything that could not be cleaned up
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    List<String> problems = new ArrayList<>();
    List<Throwable> causes = new ArrayList<>();
    Kubitect k = kubitect;
    if (k != null) {
      try {
        for (String cluster : k.clusters()) {
          try {
            k.destroy(cluster);
          } catch (RuntimeException e) {
            problems.add("destroying cluster " + cluster + " failed: " + e.getMessage());
            causes.add(e);
            try {
              k.destroy(cluster, true);
            } catch (RuntimeException again) {
              causes.add(again);
            }
          }
        }
      } catch (RuntimeException e) {
        problems.add("listing the clusters failed: " + e.getMessage());
        causes.add(e);
      } finally {
        k.close();
      }
      if (settings.checkEventPairing()) {
        List<String> unpaired = events.pairingProblems();
        if (!unpaired.isEmpty()) {
          problems.add(
              "events do not pair up:\n    "
                  + String.join("\n    ", unpaired)
                  + "\n  events:\n    "
                  + String.join("\n    ", events.lines()));
        }
      }
    }
    try {
      deleteTree(root);
    } catch (IOException | UncheckedIOException e) {
      problems.add("deleting " + root + " failed: " + e);
      causes.add(e);
    }
    if (Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      problems.add(root + " is still there");
    }
    if (!problems.isEmpty()) {
      AssertionError error =
          new AssertionError(
              "KubitectExtension could not clean up after "
                  + owner
                  + ":\n  "
                  + String.join("\n  ", problems));
      causes.forEach(error::addSuppressed);
      throw error;
    }
  }

  /** Deletes {@code dir} and everything in it, never following a symbolic link. */
  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, @Nullable IOException e)
              throws IOException {
            if (e != null) {
              throw e;
            }
            Files.delete(d);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  @Override
  public String toString() {
    return "KubitectExtension fixture of " + owner + " in " + root;
  }
}
