package io.kubitect.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How nodes are attached to the network: a libvirt NAT or routed network, or an existing bridge.
 * The YAML spelling is {@link #toString()}.
 */
public enum NetworkMode {
  @JsonProperty("nat")
  NAT("nat"),
  @JsonProperty("route")
  ROUTE("route"),
  @JsonProperty("bridge")
  BRIDGE("bridge");

  private final String yaml;

  NetworkMode(String yaml) {
    this.yaml = yaml;
  }

  /** The value as written in Kubitect YAML. */
  @Override
  public String toString() {
    return yaml;
  }
}
