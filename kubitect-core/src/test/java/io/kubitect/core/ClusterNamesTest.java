package io.kubitect.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubitect.model.KubitectException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The cluster-name rule, which the validator and callers with names from a command line share. */
class ClusterNamesTest {
  @ParameterizedTest
  @ValueSource(strings = {"k8s", "a", "0", "prod-eu-1", "x1-2-3", "a23456789012345678901234567890"})
  void acceptsDnsLabelsThatLeaveRoomForNodeNames(String name) {
    assertThat(ClusterNames.problem(name)).isEmpty();
    assertThat(ClusterNames.isValid(name)).isTrue();
    assertThat(ClusterNames.requireValid(name)).isEqualTo(name);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        ".",
        "..",
        "a/b",
        "/etc",
        "../x",
        "-a",
        "a-",
        ".a",
        "K8s",
        "k8s_prod",
        "k8s\u0000",
        "k8s\n",
        "local-k8s",
        "ä",
        "a.b"
      })
  void refusesNamesThatAreNotSafeDirectoryAndNodeNames(String name) {
    assertThat(ClusterNames.problem(name)).isPresent();
    assertThat(ClusterNames.isValid(name)).isFalse();
    assertThatThrownBy(() -> ClusterNames.requireValid(name))
        .isInstanceOf(KubitectException.class)
        .hasMessageStartingWith("invalid cluster name: ")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\u0000"));
  }

  @ParameterizedTest
  @ValueSource(ints = {54, 55})
  void leavesRoomForTheLongestNodeName(int length) {
    String name = "a".repeat(length);

    assertThat(ClusterNames.isValid(name)).isEqualTo(length <= ClusterNames.MAX_LENGTH);
    assertThat(ClusterNames.MAX_LENGTH).isEqualTo(54);
  }
}
