package io.kubitect.libvirt.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** libvirt's states and reasons: named as virsh names them, and which of them are dead. */
class RunStateTest {
  @Test
  void namesStateAndReasonAsVirshDoes() {
    assertThat(new RunState(5, 3)).hasToString("shut off (crashed)");
    assertThat(new RunState(5, 2)).hasToString("shut off (destroyed)");
    assertThat(new RunState(3, 0)).hasToString("paused (unknown)");
    assertThat(new RunState(3, 5)).hasToString("paused (I/O error)");
    assertThat(new RunState(1, 1)).hasToString("running (booted)");
    assertThat(new RunState(6, 1)).hasToString("crashed (panicked)");
    assertThat(new RunState(4, 1)).hasToString("in shutdown (user)");
    // numbers a newer libvirt may add
    assertThat(new RunState(5, 99)).hasToString("shut off (reason 99)");
    assertThat(new RunState(42, 0)).hasToString("state 42 (unknown)");
    assertThat(new RunState(-1, -1)).hasToString("state -1 (reason -1)");
  }

  @Test
  void deadIsShutOffCrashedOrPausedByAnError() {
    assertThat(new RunState(5, 0).dead()).isTrue();
    assertThat(new RunState(5, 1).dead()).as("shut down by its guest").isTrue();
    assertThat(new RunState(6, 0).dead()).isTrue();
    for (int reason : new int[] {0, 5, 6, 10, 13, 14}) {
      assertThat(new RunState(3, reason).dead()).as("paused, reason %d", reason).isTrue();
    }
    // paused by someone, or passing by itself: the readiness timeout decides
    for (int reason : new int[] {1, 2, 3, 4, 7, 8, 9, 11, 12}) {
      assertThat(new RunState(3, reason).dead()).as("paused, reason %d", reason).isFalse();
    }
    for (int state : new int[] {0, 1, 2, 4, 7, 42}) {
      assertThat(new RunState(state, 0).dead()).as("state %d", state).isFalse();
    }
  }
}
