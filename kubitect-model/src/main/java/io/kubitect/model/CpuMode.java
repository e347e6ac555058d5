package io.kubitect.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** libvirt CPU mode of the node domains. The YAML spelling is {@link #toString()}. */
public enum CpuMode {
  @JsonProperty("custom")
  CUSTOM("custom"),
  @JsonProperty("host-model")
  HOST_MODEL("host-model"),
  @JsonProperty("host-passthrough")
  HOST_PASSTHROUGH("host-passthrough"),
  @JsonProperty("maximum")
  MAXIMUM("maximum");

  private final String yaml;

  CpuMode(String yaml) {
    this.yaml = yaml;
  }

  /** The value as written in Kubitect YAML. */
  @Override
  public String toString() {
    return yaml;
  }
}
