package io.kubitect.core;

import java.util.Optional;

/**
 * A node as the provisioner left it.
 *
 * @param ip the address the node answers on (configured, or observed from DHCP)
 * @param ready whether the node answered over SSH with its expected host key and finished
 *     cloud-init; always false on simulated hosts, which boot nothing
 * @param error what went wrong when {@code change} is {@link ResourceChange#FAILED}
 */
public record NodeStatus(
    String name,
    String host,
    Optional<String> ip,
    Optional<String> mac,
    ResourceChange change,
    boolean ready,
    Optional<String> error) {}
