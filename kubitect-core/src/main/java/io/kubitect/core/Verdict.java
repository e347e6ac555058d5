package io.kubitect.core;

/** How the planner judges one change. */
public enum Verdict {
  /** Applied as asked. */
  ALLOWED,
  /** Applied, but it destroys data or disturbs the cluster: shown as a warning to confirm. */
  DANGEROUS,
  /** Not applied: the whole apply stops before anything is touched. */
  REFUSED
}
