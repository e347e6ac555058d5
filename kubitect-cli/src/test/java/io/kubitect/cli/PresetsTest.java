package io.kubitect.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class PresetsTest {
  @Test
  void everyExampleConfigurationIsAPresetAndNothingElse() throws IOException {
    try (Stream<Path> files = Files.list(CliProcess.EXAMPLES)) {
      assertThat(
              files
                  .map(p -> p.getFileName().toString())
                  .filter(n -> n.endsWith(".yaml"))
                  .map(n -> n.substring(0, n.length() - ".yaml".length()))
                  .sorted())
          .containsExactlyElementsOf(Presets.NAMES);
    }
    for (String name : Presets.NAMES) {
      assertThat(Presets.text(name))
          .isEqualTo(Files.readString(CliProcess.EXAMPLES.resolve(name + ".yaml")));
    }
  }
}
