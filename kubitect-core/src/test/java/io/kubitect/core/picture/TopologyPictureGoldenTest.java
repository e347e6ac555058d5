package io.kubitect.core.picture;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubitect.model.ClusterSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The pictures of three specifications are byte for byte the golden files in {@code
 * src/test/resources/io/kubitect/core/picture}: the seed's HA cluster ({@code examples/ha.yaml}),
 * the single-node example, a 20-host cluster ({@link PictureSpecs#twentyHosts}) and a cluster with
 * both warnings ({@link PictureSpecs#warned}). The picture in the documentation ({@code
 * docs/images/ha-topology.svg}) is the HA golden file.
 *
 * <p>To regenerate them after an intended change of the picture, run
 *
 * <pre>
 * mvn -o -q -pl kubitect-model,kubitect-core test -Dtest='TopologyPicture*' \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dkubitect.picture.update=true
 * </pre>
 *
 * then look at the pictures and review {@code git diff} before committing them.
 */
class TopologyPictureGoldenTest {
  static final String UPDATE = "kubitect.picture.update";

  static Stream<Arguments> pictures() {
    return Stream.of(
        Arguments.of("ha.svg", (Supplier<ClusterSpec>) () -> PictureSpecs.example("ha.yaml")),
        Arguments.of(
            "single-node.svg",
            (Supplier<ClusterSpec>) () -> PictureSpecs.example("single-node.yaml")),
        Arguments.of("twenty-hosts.svg", (Supplier<ClusterSpec>) PictureSpecs::twentyHosts),
        Arguments.of("warnings.svg", (Supplier<ClusterSpec>) PictureSpecs::warned));
  }

  static Path goldenDir() {
    return PictureSpecs.repositoryRoot()
        .resolve("kubitect-core/src/test/resources/io/kubitect/core/picture");
  }

  static Path docsPicture() {
    return PictureSpecs.repositoryRoot().resolve("docs/images/ha-topology.svg");
  }

  static boolean updating() {
    return Boolean.getBoolean(UPDATE);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pictures")
  void matchesTheGoldenFile(String golden, Supplier<ClusterSpec> spec) throws IOException {
    String svg = TopologyPicture.svg(spec.get());
    Path file = goldenDir().resolve(golden);
    if (updating()) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, svg, StandardCharsets.UTF_8);
    }

    assertThat(file).as("golden file %s (regenerate with -D%s=true)", file, UPDATE).exists();
    assertThat(svg)
        .as(
            "the picture differs from %s: if the change is intended, regenerate with -D%s=true",
            file, UPDATE)
        .isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
  }

  @Test
  void theDocumentationShowsTheSeedsPicture() throws IOException {
    String svg = TopologyPicture.svg(PictureSpecs.example("ha.yaml"));
    if (updating()) {
      Files.createDirectories(docsPicture().getParent());
      Files.writeString(docsPicture(), svg, StandardCharsets.UTF_8);
    }

    assertThat(Files.readString(docsPicture(), StandardCharsets.UTF_8))
        .as("%s (regenerate with -D%s=true)", docsPicture(), UPDATE)
        .isEqualTo(svg);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pictures")
  void theSameSpecificationGivesTheSameBytes(String golden, Supplier<ClusterSpec> spec) {
    assertThat(TopologyPicture.svg(spec.get())).isEqualTo(TopologyPicture.svg(spec.get()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pictures")
  void isWellFormedAndEveryTextFitsItsBox(String golden, Supplier<ClusterSpec> spec)
      throws Exception {
    PictureChecks.assertTextsFit(PictureChecks.parse(TopologyPicture.svg(spec.get())));
  }
}
