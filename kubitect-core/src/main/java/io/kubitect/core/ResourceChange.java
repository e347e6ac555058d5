package io.kubitect.core;

/** What an executor did to a resource (a node's VM, say) to make it match the specification. */
public enum ResourceChange {
  CREATED,
  UPDATED,
  UNCHANGED,
  REMOVED,
  FAILED
}
