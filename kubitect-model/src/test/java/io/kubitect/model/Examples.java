package io.kubitect.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The YAML configurations in the repository's {@code examples/} directory. */
final class Examples {
  /** Every example the documentation promises; tests fail when one goes missing. */
  static final List<String> DOCUMENTED =
      List.of(
          "ha.yaml",
          "single-node.yaml",
          "multi-master.yaml",
          "multi-worker.yaml",
          "network-bridge.yaml",
          "rook.yaml",
          "full-example.yaml");

  private Examples() {}

  /** The examples directory (tests run in the module directory). */
  static Path dir() {
    Path dir = Path.of("..", "examples").toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("examples directory not found at " + dir);
    }
    return dir;
  }

  static Path file(String name) {
    return dir().resolve(name);
  }

  static ClusterSpec read(String name) {
    return KubitectYaml.read(file(name));
  }

  /** File names of every {@code *.yaml} in the examples directory, sorted. */
  static Stream<String> all() {
    try (Stream<Path> files = Files.list(dir())) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".yaml"))
          .sorted()
          .toList()
          .stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
