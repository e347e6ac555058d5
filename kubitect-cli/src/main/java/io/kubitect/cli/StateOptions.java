package io.kubitect.cli;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** Where cluster directories live; shared by the commands that read or write cluster state. */
final class StateOptions {
  @Option(
      names = "--state",
      paramLabel = "DIR",
      description = "Directory of cluster state (default: $HOME/.kubitect/clusters).")
  @Nullable Path directory;

  Path directory() {
    Path dir = directory;
    return dir != null ? dir : Composition.home().resolve(".kubitect").resolve("clusters");
  }
}
