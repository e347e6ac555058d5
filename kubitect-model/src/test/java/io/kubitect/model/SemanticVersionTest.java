package io.kubitect.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SemanticVersionTest {

  @ParameterizedTest
  @CsvSource({
    "v1.2.3, 1, 2, 3", // reference oracle: valid
    "v0.0.0, 0, 0, 0",
    "v1.33.4, 1, 33, 4",
    "v2.29.0, 2, 29, 0",
    "v10.20.30, 10, 20, 30"
  })
  void parsesVersionsWithTheirV(String text, int major, int minor, int patch) {
    assertThat(SemanticVersion.parse(text)).contains(new SemanticVersion(major, minor, patch));
    assertThat(SemanticVersion.parse(text).orElseThrow()).hasToString(text);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "1.2.3", // reference oracle: no leading v
        "v1.2", // reference oracle: two parts
        "v1.2.", // reference oracle: trailing dot
        "master", // reference oracle: a branch name
        "v*", // Kubitect's regex lets this through; it is no version
        "V1.2.3",
        "v1.2.3.4",
        "v1.2.3-rc1",
        "v1.2.3+k3s1",
        " v1.2.3",
        "v1.2.3 ",
        "v1..3",
        "v-1.2.3",
        "v",
        ""
      })
  void rejectsEverythingElse(String text) {
    assertThat(SemanticVersion.parse(text)).isEmpty();
  }

  @Test
  void ordersNumericallyNotAlphabetically() {
    List<SemanticVersion> sorted =
        List.of("v1.10.0", "v1.9.9", "v2.0.0", "v1.33.5", "v1.33.4", "v0.99.99").stream()
            .map(v -> SemanticVersion.parse(v).orElseThrow())
            .sorted()
            .toList();

    assertThat(sorted)
        .extracting(SemanticVersion::toString)
        .containsExactly("v0.99.99", "v1.9.9", "v1.10.0", "v1.33.4", "v1.33.5", "v2.0.0");
  }

  @Test
  void kubespray229SupportsExactlyKubitectsRanges() {
    KubesprayRelease release = KubesprayReleases.find("v2.29.0").orElseThrow();

    for (String supported :
        List.of(
            "v1.31.0",
            "v1.31.12",
            "v1.31.13",
            "v1.32.0",
            "v1.32.8",
            "v1.32.9",
            "v1.33.0",
            "v1.33.4",
            "v1.33.5")) {
      assertThat(release.supports(SemanticVersion.parse(supported).orElseThrow()))
          .as(supported)
          .isTrue();
    }
    for (String unsupported :
        List.of("v1.30.14", "v1.31.14", "v1.32.10", "v1.33.6", "v1.34.0", "v1.28.6", "v2.31.0")) {
      assertThat(release.supports(SemanticVersion.parse(unsupported).orElseThrow()))
          .as(unsupported)
          .isFalse();
    }
    assertThat(release.defaultKubernetesVersion()).isEqualTo("v1.33.4");
    assertThat(KubesprayReleases.DEFAULT_VERSION).isEqualTo("v2.29.0");
  }

  @Test
  void examplesUseKubernetesVersionsTheDefaultKubesprayInstalls() {
    KubesprayRelease release =
        KubesprayReleases.find(KubesprayReleases.DEFAULT_VERSION).orElseThrow();

    Examples.all()
        .filter(name -> !name.equals("ha.yaml")) // the seed pins Kubespray v2.19.0 itself
        .forEach(
            name -> {
              String version = Examples.read(name).kubernetes().version().orElseThrow();
              assertThat(SemanticVersion.parse(version))
                  .as(name)
                  .hasValueSatisfying(v -> assertThat(release.supports(v)).isTrue());
            });
  }

  @Test
  void knownReleasesAreOrderedAndParseable() {
    List<SemanticVersion> versions =
        KubesprayReleases.all().stream()
            .map(r -> SemanticVersion.parse(r.version()).orElseThrow())
            .toList();

    assertThat(versions).isSorted();
    assertThat(KubesprayReleases.find("v2.19.0").orElseThrow().defaultKubernetesVersion())
        .isEqualTo("v1.23.7");
    assertThat(KubesprayReleases.find("v9.9.9")).isEmpty();
  }
}
