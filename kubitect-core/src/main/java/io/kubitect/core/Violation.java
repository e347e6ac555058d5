package io.kubitect.core;

import java.io.Serializable;

/**
 * One problem found in a cluster specification.
 *
 * @param severity whether the problem blocks an apply
 * @param path where the problem is, in YAML keys and list indexes (e.g. {@code
 *     cluster.nodes.master.instances[1].ip}); empty when it concerns the whole specification
 * @param message what is wrong, the value found and what is allowed
 */
public record Violation(Severity severity, String path, String message) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Formats the violation as {@code ERROR cluster.network.cidr: message}. */
  @Override
  public String toString() {
    return path.isEmpty() ? severity + " " + message : severity + " " + path + ": " + message;
  }
}
