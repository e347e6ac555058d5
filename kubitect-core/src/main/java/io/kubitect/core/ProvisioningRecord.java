package io.kubitect.core;

import java.util.List;

/**
 * How a cluster was provisioned, as its state records it before any host is touched: on simulated
 * hosts or real ones, and the names of its hosts. Destroy honours it; an apply or destroy with the
 * other kind of provisioner is refused.
 *
 * @param simulated true for simulated hosts (nothing real was created)
 * @param hosts the host names of the specification that was provisioned
 */
public record ProvisioningRecord(boolean simulated, List<String> hosts) {

  /** Copies the list so the record stays immutable. */
  public ProvisioningRecord {
    hosts = List.copyOf(hosts);
  }

  /** "simulated hosts" or "real hosts (a, b)", for messages. */
  public String describe() {
    return simulated
        ? "simulated hosts"
        : "real hosts" + (hosts.isEmpty() ? "" : " (" + String.join(", ", hosts) + ")");
  }
}
