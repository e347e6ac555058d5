package io.kubitect.core.spi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What one load balancer says about itself, read over SSH without changing anything.
 *
 * @param node the load balancer's node name
 * @param error why the node could not be asked; the other fields are then false or empty
 * @param keepalivedRunning whether keepalived runs (false when the cluster uses no virtual IP)
 * @param haproxyRunning whether HAProxy runs
 * @param holdsVirtualIp whether the node holds the virtual IP: with keepalived running, the VRRP
 *     MASTER; without it, a BACKUP
 * @param backends HAProxy's view of each API-server backend from its stats socket, by server (the
 *     master's node name): {@code UP}, {@code DOWN}, {@code MAINT}, ...; empty when HAProxy does
 *     not run
 * @param backendsDetail why {@code backends} is empty although HAProxy runs (its stats socket could
 *     not be read)
 */
public record LoadBalancerInspection(
    String node,
    Optional<String> error,
    boolean keepalivedRunning,
    boolean haproxyRunning,
    boolean holdsVirtualIp,
    Map<String, String> backends,
    Optional<String> backendsDetail) {

  /** Copies the map so the record stays immutable. */
  public LoadBalancerInspection {
    backends = Collections.unmodifiableMap(new LinkedHashMap<>(backends));
  }

  /** A load balancer that could not be asked. */
  public static LoadBalancerInspection unreachable(String node, String why) {
    return new LoadBalancerInspection(
        node, Optional.of(why), false, false, false, Map.of(), Optional.empty());
  }
}
