package io.kubitect.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The Kubernetes network plugin (CNI). The YAML spelling is {@link #toString()}. */
public enum NetworkPlugin {
  @JsonProperty("calico")
  CALICO("calico"),
  @JsonProperty("cilium")
  CILIUM("cilium"),
  @JsonProperty("flannel")
  FLANNEL("flannel"),
  @JsonProperty("kube-router")
  KUBE_ROUTER("kube-router");

  private final String yaml;

  NetworkPlugin(String yaml) {
    this.yaml = yaml;
  }

  /** The value as written in Kubitect YAML. */
  @Override
  public String toString() {
    return yaml;
  }
}
