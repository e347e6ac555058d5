package io.kubitect.examples.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LabWaitsTest {
  @Test
  void limitsGrowWithTheMeasuredBootAndTheNodesSharingTheCores() {
    LabWaits idle = new LabWaits(Duration.ofSeconds(90), 2);
    LabWaits busy = new LabWaits(Duration.ofSeconds(370), 2);
    // 8 nodes on 2 cores: four boots' worth each, four times over.
    assertThat(idle.readiness(8).toSeconds()).isEqualTo(90 * 4 * 4);
    assertThat(busy.readiness(8).toSeconds()).isEqualTo(370 * 4 * 4);
    assertThat(new LabWaits(Duration.ofSeconds(310), 1).readiness(3).toSeconds())
        .isEqualTo(310 * 3 * 4);
    assertThat(busy.playbook().toSeconds()).isEqualTo(3700);
  }

  @Test
  void aFastCalibrationNeverGivesLessThanTheFloor() {
    LabWaits fast = new LabWaits(Duration.ofSeconds(5), 8);
    assertThat(fast.readiness(1)).isEqualTo(LabWaits.FLOOR);
    assertThat(fast.readiness(8)).isEqualTo(LabWaits.FLOOR);
    assertThat(fast.playbook()).isEqualTo(LabWaits.FLOOR);
  }

  @Test
  void nonsenseIsRefused() {
    assertThatThrownBy(() -> new LabWaits(Duration.ZERO, 2))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LabWaits(Duration.ofSeconds(-1), 2))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LabWaits(Duration.ofSeconds(60), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cores");
  }
}
