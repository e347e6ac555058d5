package io.kubitect.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kubitect.model.ClusterSpec;
import io.kubitect.model.KubitectException;
import io.kubitect.model.KubitectYaml;
import io.kubitect.model.SpecFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Coverage-guided fuzzing (Jazzer) of what a configuration goes through: the YAML reader, from a
 * file and from text, the validator, the resolution of defaults and the writer. Only the SDK's own
 * exceptions may come out of the reader and the resolution; the validator never throws, and what is
 * read is written back losslessly.
 *
 * <p>A normal build runs the inputs in {@code SpecFuzzTestInputs/readValidateWrite} (the examples,
 * the model tests' documents, hostile documents and every crash found so far) as regression tests.
 * With {@code JAZZER_FUZZ=1} (CI sets it through the {@code fuzz} profile) Jazzer fuzzes for {@code
 * maxDuration} and saves a crashing input in that directory.
 */
class SpecFuzzTest {
  private static final Path FILE = scratchFile();

  /** What a message shows only when Jackson's or SnakeYAML's internals leak into it. */
  private static final List<String> INTERNALS =
      List.of(
          "com.fasterxml", "org.yaml", "io.kubitect", "Exception", "[Source:", "reference chain");

  // No JUnit @Timeout: it would time the whole fuzzing run, and the first input, which pays for
  // instrumenting the libraries. The fuzz profile caps the fuzzing JVM instead.
  @FuzzTest(maxDuration = "60s")
  void readValidateWrite(byte[] input) throws IOException {
    String text = new String(input, StandardCharsets.UTF_8);
    Files.write(FILE, input);
    ClusterSpec fromFile = readOrNull(text, () -> KubitectYaml.read(FILE));
    ClusterSpec spec = readOrNull(text, () -> KubitectYaml.read(text, "fuzz"));
    if (fromFile != null) {
      // Valid UTF-8 reads the same from a file as from text.
      assertThat(spec).isEqualTo(fromFile);
    }
    if (spec == null) {
      return;
    }

    SpecValidator.validateUnguarded(spec);
    ClusterSpec resolved;
    try {
      resolved = spec.resolveDefaults();
    } catch (KubitectException e) {
      return;
    }
    SpecValidator.validateUnguarded(resolved);

    // Fuzz inputs are far below the size limits, so what was read can be read back.
    assertThat(KubitectYaml.read(KubitectYaml.write(spec), "fuzz (written)")).isEqualTo(spec);
    assertThat(KubitectYaml.read(KubitectYaml.write(resolved), "fuzz (resolved)"))
        .isEqualTo(resolved);
  }

  /** The specification, or null when the reader refused it with a readable one-line message. */
  private static @Nullable ClusterSpec readOrNull(String text, Supplier<ClusterSpec> read) {
    try {
      return read.get();
    } catch (SpecFormatException e) {
      assertThat(e.getMessage()).doesNotContain("\n", "\r");
      assertThat(e.problem()).isNotBlank();
      for (String internal : INTERNALS) {
        // Unless the document itself says it, in a key or value that the message quotes.
        if (!text.contains(internal)) {
          assertThat(e.problem()).doesNotContain(internal);
        }
      }
      return null;
    }
  }

  private static Path scratchFile() {
    try {
      Path file = Files.createTempFile("kubitect-fuzz", ".yaml");
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
