package io.kubitect.cli;

import io.kubitect.model.KubitectException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

/**
 * The configurations shipped with the app, by name: Kubitect's presets under Kubitect's names
 * (written for this SDK's release, in {@code src/main/resources/presets/}) and this project's
 * example configurations ({@code examples/*.yaml}), which the build copies next to them.
 */
final class Presets {
  /** Kubitect's preset names; kept equal to {@code src/main/resources/presets/} by PresetsTest. */
  static final List<String> KUBITECT =
      List.of(
          "example-multi-master",
          "example-multi-worker",
          "example-single-node",
          "getting-started",
          "minimal");

  /** This project's examples; kept equal to the YAML files in examples/ by PresetsTest. */
  static final List<String> EXAMPLES =
      List.of(
          "full-example",
          "ha",
          "multi-master",
          "multi-worker",
          "network-bridge",
          "rook",
          "single-node");

  /** Every preset name, sorted, as {@code list presets} prints them. */
  static final List<String> NAMES =
      Stream.concat(KUBITECT.stream(), EXAMPLES.stream()).sorted().toList();

  /** How much of an unknown name an error message repeats. */
  private static final int MAX_SHOWN = 64;

  private Presets() {}

  /**
   * The preset's file as shipped.
   *
   * @throws KubitectException when no preset has that name
   */
  static String text(String name) {
    if (!NAMES.contains(name)) {
      throw new KubitectException(
          "preset " + shown(name) + " does not exist; presets: " + String.join(", ", NAMES));
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

  /** The name quoted for one line of error: control characters replaced, at most 64 shown. */
  static String shown(String name) {
    StringBuilder text = new StringBuilder("'");
    name.codePoints().limit(MAX_SHOWN).forEach(c -> text.appendCodePoint(printable(c) ? c : '?'));
    text.append('\'');
    if (name.codePointCount(0, name.length()) > MAX_SHOWN) {
      text.append(" (").append(name.length()).append(" characters)");
    }
    return text.toString();
  }

  /** Not a control, format (bidirectional overrides) or unassigned character. */
  private static boolean printable(int c) {
    return !Character.isISOControl(c)
        && Character.getType(c) != Character.FORMAT
        && Character.isDefined(c);
  }
}
