package io.kubitect.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubitect.model.ClusterSpec;
import io.kubitect.model.KubitectYaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every example configuration of the repository loads and validates without an error. */
class ExampleSpecsTest {

  static Stream<Path> examples() throws IOException {
    try (Stream<Path> files = Files.list(Specs.repositoryRoot().resolve("examples"))) {
      List<Path> yaml =
          files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList();
      return yaml.stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void validatesWithoutErrors(Path example) {
    ClusterSpec spec = KubitectYaml.read(example);

    ValidationReport report = SpecValidator.validate(spec);

    assertThat(report.errors()).as("%s:%n%s", example.getFileName(), report).isEmpty();
  }

  @Test
  void findsTheSeedExample() throws IOException {
    assertThat(examples()).anyMatch(p -> p.getFileName().toString().equals("ha.yaml"));
  }

  @Test
  void theSeedsOlderSchemaOnlyWarnsAboutTheDistroSpelling() {
    ClusterSpec spec = KubitectYaml.read(Specs.repositoryRoot().resolve("examples/ha.yaml"));

    assertThat(SpecValidator.validate(spec).violations())
        .extracting(Violation::severity, Violation::path)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                Severity.WARNING, "cluster.nodeTemplate.os.distro"));
  }
}
