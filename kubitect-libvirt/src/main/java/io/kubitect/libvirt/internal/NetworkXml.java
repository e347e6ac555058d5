package io.kubitect.libvirt.internal;

import io.kubitect.model.Ipv4Network;
import java.util.Optional;

/**
 * Renders a cluster's libvirt network (nat or route mode): gateway address and netmask, DNS, DHCP
 * over the CIDR (without the gateway) and one host reservation per node with an IP, so DHCP never
 * hands a node's static address to another machine. libvirt picks the bridge name.
 */
final class NetworkXml {
  private NetworkXml() {}

  /** The network definition; {@code uuid} keeps an existing network's identity on redefinition. */
  static String render(NetworkPlan network, Optional<String> uuid) {
    StringBuilder xml = new StringBuilder();
    xml.append("<network>\n");
    xml.append("  <name>").append(Xml.escape(network.name())).append("</name>\n");
    uuid.ifPresent(u -> xml.append("  <uuid>").append(Xml.escape(u)).append("</uuid>\n"));
    xml.append("  <forward mode='").append(network.mode()).append("'/>\n");
    xml.append("  <dns enable='yes'/>\n");
    int mask = new Ipv4Network(0, network.prefix()).mask();
    xml.append("  <ip address='")
        .append(Xml.escape(network.gateway()))
        .append("' netmask='")
        .append(Ipv4Network.format(mask))
        .append("'>\n");
    xml.append("    <dhcp>\n");
    xml.append("      <range start='")
        .append(network.rangeStart())
        .append("' end='")
        .append(network.rangeEnd())
        .append("'/>\n");
    for (NetworkPlan.DhcpHost host : network.reservations()) {
      xml.append("      <host mac='")
          .append(Xml.escape(host.mac()))
          .append("' name='")
          .append(Xml.escape(host.name()))
          .append("' ip='")
          .append(Xml.escape(host.ip()))
          .append("'/>\n");
    }
    xml.append("    </dhcp>\n");
    xml.append("  </ip>\n");
    xml.append("</network>\n");
    return xml.toString();
  }
}
