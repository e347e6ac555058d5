package io.kubitect.core.spi;

import java.util.Map;

/**
 * What one host's hypervisor says about the cluster, read without changing anything.
 *
 * @param host the host's name in the specification
 * @param reachability whether the hypervisor answered
 * @param detail why the host is unreachable or was not inspected; empty when it answered
 * @param domains the libvirt state of every node the topology places on the host, by node name:
 *     {@code running}, {@code paused}, {@code shut off}, ... or {@code missing} when the host has
 *     no such domain; empty unless {@link Reachability#REACHABLE}
 */
public record HostInspection(
    String host, Reachability reachability, String detail, Map<String, String> domains) {

  /** The state a running domain has in {@link #domains()}. */
  public static final String RUNNING = "running";

  /** The state of a domain the host does not have. */
  public static final String MISSING = "missing";

  /** Copies the map so the record stays immutable. */
  public HostInspection {
    domains = Map.copyOf(domains);
  }

  /** Whether the hypervisor answered. */
  public enum Reachability {
    /** The hypervisor answered; {@link #domains()} holds its view. */
    REACHABLE,
    /** The hypervisor could not be reached; {@link #detail()} says why. */
    UNREACHABLE,
    /** Not asked; {@link #detail()} says why (simulated hosts that no longer exist, ...). */
    NOT_INSPECTED
  }
}
