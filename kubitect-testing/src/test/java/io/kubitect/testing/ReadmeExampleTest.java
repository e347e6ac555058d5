package io.kubitect.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubitect.core.AppliedCluster;
import io.kubitect.core.ApplyAction;
import io.kubitect.core.Kubitect;
import io.kubitect.model.NodeInstance;
import org.junit.jupiter.api.Test;

/** The README's "As a fixture in your unit tests" example, as written there. */
@KubitectTest(spec = SpecFixtures.HA) // or spec = "src/test/resources/my.yaml"
class ReadmeExampleTest {
  @Test
  void myPlatformToolCreatesTheCluster(AppliedCluster cluster, Kubitect kubitect) {
    assertThat(cluster.nodes()).hasSize(8);
    assertThat(cluster.apiEndpoint()).contains("10.10.13.200");
    NodeInstance worker = NodeInstance.builder().id("4").host("host1").ip("10.10.13.23").build();
    assertThat(kubitect.apply(SpecFixtures.ha().withWorker(worker), ApplyAction.SCALE).nodes())
        .hasSize(9);
  }
}
