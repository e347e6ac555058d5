package io.kubitect.kubespray.internal;

import io.kubitect.model.KubesprayReleases;
import io.kubitect.model.SemanticVersion;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How a Kubespray release names what this installer passes to it. The model's {@link
 * KubesprayReleases} says which Kubernetes versions a release installs; this table says how to talk
 * to it. Each row applies from its release up to the next row's.
 *
 * @param since first release the row applies to
 * @param kubeVersionWithV whether {@code kube_version} carries the leading {@code v} ({@code
 *     v1.23.7}); Kubespray v2.28.0 dropped it ({@code 1.33.4}, PR kubernetes-sigs/kubespray#11890)
 * @param factsPlaybook the playbook that refreshes the fact cache before a limited run; it moved
 *     from the repository root to {@code playbooks/} in v2.23.0
 * @param confirmationVariable the extra variable that answers {@code remove-node.yml}'s "are you
 *     sure" prompt ({@code skip_confirmation} since v2.16.0, PR kubernetes-sigs/kubespray#7610)
 */
public record ReleaseVariables(
    SemanticVersion since,
    boolean kubeVersionWithV,
    String factsPlaybook,
    String confirmationVariable) {

  private static final List<ReleaseVariables> TABLE =
      List.of(
          row("v2.19.0", true, "facts.yml"),
          row("v2.23.0", true, "playbooks/facts.yml"),
          row("v2.28.0", false, "playbooks/facts.yml"));

  private static ReleaseVariables row(String since, boolean withV, String facts) {
    return new ReleaseVariables(
        SemanticVersion.parse(since).orElseThrow(), withV, facts, "skip_confirmation");
  }

  /** The rows, oldest first. */
  public static List<ReleaseVariables> table() {
    return TABLE;
  }

  /**
   * The row for a Kubespray release tag ({@code v2.29.0}). A tag that is not a version (a branch or
   * a commit) or that is newer than every row gets the newest row; one older than the oldest row is
   * refused, because the group names this installer writes ({@code kube_control_plane}, {@code
   * k8s_cluster}) do not exist there.
   */
  public static ReleaseVariables forRelease(String release) {
    Optional<SemanticVersion> version = SemanticVersion.parse(release);
    if (version.isEmpty()) {
      return TABLE.get(TABLE.size() - 1);
    }
    @Nullable ReleaseVariables chosen = null;
    for (ReleaseVariables row : TABLE) {
      if (version.get().compareTo(row.since()) >= 0) {
        chosen = row;
      }
    }
    if (chosen == null) {
      throw new IllegalArgumentException(
          "Kubespray "
              + release
              + " is older than "
              + TABLE.get(0).since()
              + ", the oldest release this installer supports");
    }
    return chosen;
  }

  /** {@code kube_version} as this release wants it, from a Kubernetes version with or without v. */
  public String kubeVersion(String kubernetesVersion) {
    String bare =
        kubernetesVersion.startsWith("v") ? kubernetesVersion.substring(1) : kubernetesVersion;
    return kubeVersionWithV ? "v" + bare : bare;
  }
}
