package io.kubitect.model;

import java.util.ArrayList;
import java.util.List;

/**
 * One Kubespray release: its tag, the Kubernetes version it installs by default and the Kubernetes
 * version ranges it supports (inclusive).
 */
public record KubesprayRelease(
    String version, String defaultKubernetesVersion, List<VersionRange> kubernetesVersions) {

  /** An inclusive range of Kubernetes versions. */
  public record VersionRange(SemanticVersion min, SemanticVersion max) {
    /** Whether {@code version} lies in this range. */
    public boolean contains(SemanticVersion version) {
      return version.compareTo(min) >= 0 && version.compareTo(max) <= 0;
    }

    @Override
    public String toString() {
      return min + " - " + max;
    }
  }

  /** Copies the list so the record stays immutable. */
  public KubesprayRelease {
    kubernetesVersions = List.copyOf(kubernetesVersions);
  }

  static KubesprayRelease of(String version, String defaultVersion, String min, String max) {
    return of(version, defaultVersion, List.<String[]>of(new String[] {min, max}));
  }

  static KubesprayRelease of(String version, String defaultVersion, List<String[]> ranges) {
    List<VersionRange> parsed = new ArrayList<>();
    for (String[] range : ranges) {
      parsed.add(
          new VersionRange(
              SemanticVersion.parse(range[0]).orElseThrow(),
              SemanticVersion.parse(range[1]).orElseThrow()));
    }
    return new KubesprayRelease(version, defaultVersion, parsed);
  }

  /** Whether this release installs the given Kubernetes version. */
  public boolean supports(SemanticVersion kubernetesVersion) {
    return kubernetesVersions.stream().anyMatch(r -> r.contains(kubernetesVersion));
  }
}
