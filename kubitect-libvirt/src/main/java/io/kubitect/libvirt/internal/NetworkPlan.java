package io.kubitect.libvirt.internal;

import io.kubitect.model.NetworkMode;
import java.util.List;

/**
 * The libvirt network of a cluster on one host (nat or route mode): address and prefix of the
 * gateway, the DHCP range and a reservation (MAC to IP) for every node of the host with an IP.
 */
record NetworkPlan(
    String name,
    NetworkMode mode,
    String gateway,
    int prefix,
    String rangeStart,
    String rangeEnd,
    List<DhcpHost> reservations) {

  NetworkPlan {
    reservations = List.copyOf(reservations);
  }

  /** A DHCP host reservation. */
  record DhcpHost(String mac, String name, String ip) {}
}
