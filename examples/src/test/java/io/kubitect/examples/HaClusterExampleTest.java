package io.kubitect.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubitect.model.KubitectYaml;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class HaClusterExampleTest {
  @Test
  void builderSpecEqualsTheSeedYaml() {
    assertThat(HaClusterExample.spec()).isEqualTo(KubitectYaml.read(Path.of("ha.yaml")));
  }
}
