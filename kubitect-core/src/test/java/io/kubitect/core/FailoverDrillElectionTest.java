package io.kubitect.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubitect.core.spi.Node;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which load balancer the drill expects to hold the virtual IP once every one is back. */
class FailoverDrillElectionTest {
  private static Node lb(String id, Optional<String> ip, int priority) {
    return new Node(
        "c-lb-" + id,
        NodeRole.LOAD_BALANCER,
        id,
        "h" + id,
        ip,
        Optional.empty(),
        1,
        1,
        4,
        List.of(),
        Map.of(),
        List.of(),
        priority);
  }

  @Test
  void theHighestPriorityIsElected() {
    assertThat(
            FailoverDrill.elected(
                List.of(
                    lb("1", Optional.of("10.0.0.9"), 200), lb("2", Optional.of("10.0.0.10"), 100))))
        .contains("c-lb-1");
  }

  @Test
  void equalPrioritiesElectNoOne() {
    // The seed's equal priorities: nothing preempts, whoever holds the IP keeps it.
    assertThat(
            FailoverDrill.elected(
                List.of(
                    lb("1", Optional.of("10.0.0.9"), 10), lb("2", Optional.of("10.0.0.10"), 10))))
        .isEmpty();
    assertThat(FailoverDrill.elected(List.of())).isEmpty();
  }
}
