package io.kubitect.core;

/** What a node does in the cluster; {@link #toString()} is the part of the node name. */
public enum NodeRole {
  LOAD_BALANCER("lb"),
  MASTER("master"),
  WORKER("worker");

  private final String namePart;

  NodeRole(String namePart) {
    this.namePart = namePart;
  }

  /** {@code lb}, {@code master} or {@code worker}, as in {@code <cluster>-<role>-<id>}. */
  @Override
  public String toString() {
    return namePart;
  }
}
