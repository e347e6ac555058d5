package io.kubitect.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubitect.core.AppliedCluster;
import io.kubitect.core.ApplyAction;
import io.kubitect.core.Kubitect;
import io.kubitect.core.SpecValidator;
import io.kubitect.model.ClusterSpec;
import io.kubitect.model.KubitectYaml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecFixturesTest {
  @Test
  void everyFixtureIsValidWithoutWarnings() {
    for (ClusterSpec spec :
        List.of(SpecFixtures.ha(), SpecFixtures.singleNode(), SpecFixtures.multiHost())) {
      assertThat(SpecValidator.validate(spec).errors()).as(spec.cluster().toString()).isEmpty();
    }
    assertThat(SpecFixtures.ha().cluster().name()).contains("kubitect-ha");
    assertThat(SpecFixtures.singleNode().cluster().name()).contains("single-node");
    assertThat(SpecFixtures.multiHost().cluster().name()).contains("multi-host");
    assertThat(SpecFixtures.multiHost().hosts()).hasSize(3);
  }

  @Test
  void theHaFixtureIsTheExamplesFileOfTheRepository() throws Exception {
    Path examples = Path.of("").toAbsolutePath().resolveSibling("examples");
    assertThat(SpecFixtures.yaml(SpecFixtures.HA))
        .isEqualTo(Files.readString(examples.resolve("ha.yaml")));
    assertThat(SpecFixtures.yaml(SpecFixtures.SINGLE_NODE))
        .isEqualTo(Files.readString(examples.resolve("single-node.yaml")));
    assertThat(SpecFixtures.ha()).isEqualTo(KubitectYaml.read(examples.resolve("ha.yaml")));
  }

  @Test
  void everyFixtureAppliesOnSimulatedHosts(@TempDir Path tmp) {
    try (Kubitect kubitect =
        Kubitect.builder()
            .simulatedHosts()
            .home(tmp.resolve("home"))
            .stateDirectory(tmp.resolve("state"))
            .build()) {
      AppliedCluster ha = kubitect.apply(SpecFixtures.ha(), ApplyAction.CREATE);
      assertThat(ha.nodes()).hasSize(8);
      assertThat(ha.apiEndpoint()).contains("10.10.13.200");
      assertThat(kubitect.apply(SpecFixtures.singleNode(), ApplyAction.CREATE).nodes()).hasSize(1);
      AppliedCluster multi = kubitect.apply(SpecFixtures.multiHost(), ApplyAction.CREATE);
      assertThat(multi.nodes())
          .extracting(n -> n.host())
          .containsExactlyInAnyOrder("host1", "host2", "host3");
      for (String cluster : kubitect.clusters()) {
        kubitect.destroy(cluster);
      }
    }
  }

  @Test
  void onlyTheFixturesLocationsAreRead() {
    assertThatThrownBy(() -> SpecFixtures.yaml("classpath:io/kubitect/testing/../../../etc.yaml"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not a fixture of SpecFixtures");
  }
}
