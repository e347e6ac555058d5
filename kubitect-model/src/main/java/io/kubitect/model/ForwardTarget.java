package io.kubitect.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Which nodes receive a port forwarded by the load balancers. The YAML spelling is {@link
 * #toString()}.
 */
public enum ForwardTarget {
  @JsonProperty("workers")
  WORKERS("workers"),
  @JsonProperty("masters")
  MASTERS("masters"),
  @JsonProperty("all")
  ALL("all");

  private final String yaml;

  ForwardTarget(String yaml) {
    this.yaml = yaml;
  }

  /** The value as written in Kubitect YAML. */
  @Override
  public String toString() {
    return yaml;
  }
}
