package io.kubitect.core;

import java.util.Optional;

/**
 * One cluster of the state directory as {@link Kubitect#summaries()} sees it, without failing on a
 * damaged one.
 *
 * @param name the cluster name (its directory name)
 * @param status applied, not applied yet, or damaged
 * @param problem why the state is damaged, when it is
 * @param provisioning how the cluster was provisioned, when it was and the record is readable
 */
public record ClusterSummary(
    String name,
    ClusterSummary.Status status,
    Optional<String> problem,
    Optional<ProvisioningRecord> provisioning) {

  /** The state of a cluster directory. */
  public enum Status {
    /** An apply finished; {@link Kubitect#cluster(String)} describes it. */
    APPLIED,
    /** No apply finished yet (the first one is running, failed or was interrupted). */
    NOT_APPLIED,
    /** A state file cannot be read; the cluster can still be destroyed. */
    DAMAGED
  }
}
