package io.kubitect.model;

import java.util.List;
import java.util.Optional;

/**
 * Kubespray releases this SDK knows, with the Kubernetes versions each one installs. The table
 * decides the default Kubernetes version for a pinned release and lets the validator say when a
 * Kubernetes version does not fit the release in use. Ranges of older releases come from their
 * release notes (supported minors, the default version as the newest known patch).
 */
public final class KubesprayReleases {
  /** The release used when the specification does not pin one (Kubitect v3.6.0's choice). */
  public static final String DEFAULT_VERSION = "v2.29.0";

  /** Repository cloned when the specification does not name one. */
  public static final String DEFAULT_URL = "https://github.com/kubernetes-sigs/kubespray";

  private static final List<KubesprayRelease> RELEASES =
      List.of(
          KubesprayRelease.of("v2.19.0", "v1.23.7", "v1.21.0", "v1.23.7"),
          KubesprayRelease.of("v2.19.1", "v1.23.7", "v1.21.0", "v1.23.7"),
          KubesprayRelease.of("v2.20.0", "v1.24.6", "v1.22.0", "v1.24.6"),
          KubesprayRelease.of("v2.21.0", "v1.25.5", "v1.23.0", "v1.25.5"),
          KubesprayRelease.of("v2.22.0", "v1.26.5", "v1.24.0", "v1.26.5"),
          KubesprayRelease.of("v2.23.0", "v1.27.5", "v1.25.0", "v1.27.5"),
          KubesprayRelease.of("v2.24.0", "v1.28.6", "v1.26.0", "v1.28.6"),
          KubesprayRelease.of("v2.25.0", "v1.29.5", "v1.27.0", "v1.29.5"),
          KubesprayRelease.of("v2.26.0", "v1.30.4", "v1.28.0", "v1.30.4"),
          KubesprayRelease.of("v2.27.0", "v1.31.4", "v1.29.0", "v1.31.4"),
          KubesprayRelease.of("v2.28.0", "v1.32.5", "v1.30.0", "v1.32.5"),
          // Kubitect v3.6.0 pins v2.29.0 and accepts exactly these ranges.
          KubesprayRelease.of(
              "v2.29.0",
              "v1.33.4",
              List.of(
                  new String[] {"v1.31.0", "v1.31.13"},
                  new String[] {"v1.32.0", "v1.32.9"},
                  new String[] {"v1.33.0", "v1.33.5"})));

  private KubesprayReleases() {}

  /** Every known release, oldest first. */
  public static List<KubesprayRelease> all() {
    return RELEASES;
  }

  /** The release with this tag, if known. */
  public static Optional<KubesprayRelease> find(String version) {
    return RELEASES.stream().filter(r -> r.version().equals(version)).findFirst();
  }
}
