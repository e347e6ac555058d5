package io.kubitect.kubespray.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubitect.model.KubesprayRelease;
import io.kubitect.model.KubesprayReleases;
import org.junit.jupiter.api.Test;

/** The table of how Kubespray releases name what the installer passes. */
class ReleaseVariablesTest {
  @Test
  void kubeVersionLosesItsVFromV2_28() {
    assertThat(ReleaseVariables.forRelease("v2.19.0").kubeVersion("v1.23.7")).isEqualTo("v1.23.7");
    assertThat(ReleaseVariables.forRelease("v2.27.0").kubeVersion("1.31.4")).isEqualTo("v1.31.4");
    assertThat(ReleaseVariables.forRelease("v2.28.0").kubeVersion("v1.32.5")).isEqualTo("1.32.5");
    assertThat(ReleaseVariables.forRelease("v2.29.0").kubeVersion("v1.33.4")).isEqualTo("1.33.4");
  }

  @Test
  void factsPlaybookMovedToPlaybooksInV2_23() {
    assertThat(ReleaseVariables.forRelease("v2.22.0").factsPlaybook()).isEqualTo("facts.yml");
    assertThat(ReleaseVariables.forRelease("v2.23.0").factsPlaybook())
        .isEqualTo("playbooks/facts.yml");
  }

  @Test
  void coversEveryReleaseTheModelKnows() {
    for (KubesprayRelease release : KubesprayReleases.all()) {
      assertThat(ReleaseVariables.forRelease(release.version()).confirmationVariable())
          .isEqualTo("skip_confirmation");
    }
  }

  @Test
  void takesTheNewestRowForBranchesAndRefusesTooOldReleases() {
    assertThat(ReleaseVariables.forRelease("master").kubeVersionWithV()).isFalse();
    assertThatThrownBy(() -> ReleaseVariables.forRelease("v2.15.0"))
        .hasMessageContaining("older than v2.19.0");
  }
}
