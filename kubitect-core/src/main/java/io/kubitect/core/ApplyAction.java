package io.kubitect.core;

/** What an apply is asked to do (Kubitect's {@code --action}). */
public enum ApplyAction {
  /** Create the cluster, or converge an existing one with allowed in-place changes. */
  CREATE,
  /** Add or remove nodes (and hosts). */
  SCALE,
  /** Upgrade Kubernetes. */
  UPGRADE
}
