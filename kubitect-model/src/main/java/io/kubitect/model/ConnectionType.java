package io.kubitect.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How the SDK reaches a host's hypervisor. The YAML spelling is {@link #toString()}. */
public enum ConnectionType {
  @JsonProperty("local")
  LOCAL("local"),
  @JsonProperty("localhost")
  LOCALHOST("localhost"),
  @JsonProperty("remote")
  REMOTE("remote");

  private final String yaml;

  ConnectionType(String yaml) {
    this.yaml = yaml;
  }

  /** The value as written in Kubitect YAML. */
  @Override
  public String toString() {
    return yaml;
  }
}
