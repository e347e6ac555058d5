package io.kubitect.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import io.kubitect.model.ClusterSpec;
import io.kubitect.model.KubitectException;
import io.kubitect.model.KubitectYaml;
import io.kubitect.model.SpecFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
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
  private static final ObjectMapper TREES = new ObjectMapper().registerModule(new Jdk8Module());

  /** Whole numbers compare by value, everything else by equals. */
  private static final Comparator<JsonNode> SAME_VALUE =
      (a, b) ->
          a.equals(b)
                  || (a.isIntegralNumber()
                      && b.isIntegralNumber()
                      && a.bigIntegerValue().equals(b.bigIntegerValue()))
              ? 0
              : 1;

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
    assertSameDocument(KubitectYaml.read(KubitectYaml.write(spec), "fuzz (written)"), spec);
    assertSameDocument(
        KubitectYaml.read(KubitectYaml.write(resolved), "fuzz (resolved)"), resolved);
  }

  /**
   * Equal, or equal as YAML documents: a Kubespray variable {@code 000000000000000000000} reads as
   * a BigInteger (Jackson goes by the number of digits) and is written back as {@code 0}, an
   * Integer. YAML has whole numbers, not Java's types; anything else must match exactly.
   */
  private static void assertSameDocument(ClusterSpec actual, ClusterSpec expected) {
    if (actual.equals(expected)) {
      return;
    }
    JsonNode actualTree = TREES.valueToTree(actual);
    JsonNode expectedTree = TREES.valueToTree(expected);
    assertThat(actualTree.equals(SAME_VALUE, expectedTree))
        .as("read(write(spec)) equals spec:%n%s%n%s", actual, expected)
        .isTrue();
  }

  /** The specification, or null when the reader refused it with a readable one-line message. */
  private static @Nullable ClusterSpec readOrNull(String text, Supplier<ClusterSpec> read) {
    try {
      return read.get();
    } catch (SpecFormatException e) {
      // One line per problem (and one more when some are not listed), each readable.
      assertThat(String.valueOf(e.getMessage()))
          .doesNotContain("\r")
          .hasLineCount(e.problems().size() + (e.hasUnlistedProblems() ? 1 : 0));
      assertThat(e.problems()).isNotEmpty();
      for (SpecFormatException.Problem problem : e.problems()) {
        assertThat(problem.problem()).isNotBlank().doesNotContain("\n", "\r");
        for (String internal : INTERNALS) {
          // Unless the document itself says it, in a key or value that the message quotes.
          if (!text.contains(internal)) {
            assertThat(problem.problem()).doesNotContain(internal);
          }
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
