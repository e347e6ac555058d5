package io.kubitect.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The copyable embedding example works as written, on simulated hosts. */
class EmbeddingExampleTest {
  @Test
  void createsScalesAndDestroysTheSeedCluster(@TempDir Path state) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int nodes =
        EmbeddingExample.run(
            Path.of("ha.yaml"),
            state,
            "10.10.13.100",
            true,
            new PrintStream(bytes, true, StandardCharsets.UTF_8));

    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(nodes).isEqualTo(9);
    assertThat(out)
        .contains("PROVISION 8/8", "PROVISION 9/9", "API at 10.10.13.200", "failed steps: 0");
    assertThat(state).isEmptyDirectory();
  }
}
