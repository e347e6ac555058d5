package io.kubitect.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The cluster DNS server. The YAML spelling is {@link #toString()}. */
public enum DnsMode {
  @JsonProperty("coredns")
  COREDNS("coredns");

  private final String yaml;

  DnsMode(String yaml) {
    this.yaml = yaml;
  }

  /** The value as written in Kubitect YAML. */
  @Override
  public String toString() {
    return yaml;
  }
}
