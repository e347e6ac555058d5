package io.kubitect.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The tool that installs Kubernetes on the nodes. The YAML spelling is {@link #toString()}. */
public enum KubernetesManager {
  @JsonProperty("kubespray")
  KUBESPRAY("kubespray"),
  @JsonProperty("k3s")
  K3S("k3s");

  private final String yaml;

  KubernetesManager(String yaml) {
    this.yaml = yaml;
  }

  /** The value as written in Kubitect YAML. */
  @Override
  public String toString() {
    return yaml;
  }
}
