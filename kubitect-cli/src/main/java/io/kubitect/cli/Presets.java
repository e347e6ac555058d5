package io.kubitect.cli;

import io.kubitect.model.KubitectException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The example configurations shipped with the app ({@code examples/*.yaml}), by name. */
final class Presets {
  /** Kept equal to the YAML files in examples/ by {@code PresetsTest}. */
  static final List<String> NAMES =
      List.of(
          "full-example",
          "ha",
          "multi-master",
          "multi-worker",
          "network-bridge",
          "rook",
          "single-node");

  private Presets() {}

  static String text(String name) {
    if (!NAMES.contains(name)) {
      throw new KubitectException(
          "preset '" + name + "' does not exist; presets: " + String.join(", ", NAMES));
    }
    try (InputStream in = Presets.class.getResourceAsStream("/presets/" + name + ".yaml")) {
      if (in == null) {
        throw new IllegalStateException("preset " + name + " is missing from the app's resources");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
