package io.kubitect.core;

import io.kubitect.model.KubitectException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * The steps an apply has finished, so that an apply interrupted by a crash or a kill resumes where
 * it stopped instead of repeating work that is not idempotent (a node removal, say). Each line is
 * {@code <run id> <step>}; the run id is a digest of the desired specification and the action, so a
 * different apply starts afresh. Lines are appended and synced one at a time.
 */
final class Journal {
  private final Path file;
  private final String run;
  private final Set<String> finished = new HashSet<>();

  Journal(Path file, String run) {
    this.file = file;
    this.run = run;
    if (Files.exists(file)) {
      for (String line : ClusterDirectory.read(file).lines().toList()) {
        int space = line.indexOf(' ');
        if (space > 0 && line.substring(0, space).equals(run)) {
          finished.add(line.substring(space + 1));
        }
      }
    }
  }

  /** Whether the same apply finished this step before it was interrupted. */
  boolean isFinished(String step) {
    return finished.contains(step);
  }

  /** Whether this run resumes an interrupted one. */
  boolean isResuming() {
    return !finished.isEmpty();
  }

  void finish(String step) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(
          file,
          run + " " + step + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND,
          StandardOpenOption.SYNC);
      finished.add(step);
    } catch (IOException e) {
      throw new KubitectException(
          "cannot write the journal " + file + ": " + ClusterDirectory.describe(e), e);
    }
  }

  /** Forgets everything: the apply completed. */
  void clear() {
    try {
      Files.deleteIfExists(file);
      finished.clear();
    } catch (IOException e) {
      throw new KubitectException(
          "cannot clear the journal " + file + ": " + ClusterDirectory.describe(e), e);
    }
  }
}
