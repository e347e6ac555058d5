package io.kubitect.libvirt.internal;

import io.kubitect.model.Ipv4Network;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

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

  /**
   * What matters of a network definition, comparable between the rendered XML and libvirt's
   * normalised one: forward mode, address, netmask, DHCP range and reservations (sorted).
   */
  static String summary(String xml) {
    Document doc = DomainXml.parse(xml);
    StringBuilder out = new StringBuilder();
    out.append("forward=").append(attribute(doc, "forward", "mode")).append('\n');
    out.append("ip=").append(attribute(doc, "ip", "address")).append('/');
    out.append(attribute(doc, "ip", "netmask")).append('\n');
    out.append("range=").append(attribute(doc, "range", "start")).append('-');
    out.append(attribute(doc, "range", "end")).append('\n');
    List<String> hosts = new ArrayList<>();
    NodeList nodes = doc.getElementsByTagName("host");
    for (int i = 0; i < nodes.getLength(); i++) {
      Element host = (Element) nodes.item(i);
      hosts.add(
          host.getAttribute("mac").toLowerCase(Locale.ROOT)
              + "="
              + host.getAttribute("ip")
              + " "
              + host.getAttribute("name"));
    }
    hosts.sort(null);
    hosts.forEach(h -> out.append("host ").append(h).append('\n'));
    return out.toString();
  }

  /**
   * The DHCP part of a network definition, as libvirt's dnsmasq reads it: the network's own address
   * (the gateway, never handed out), the ranges in document order and the host reservations (MAC,
   * lower-cased, to IP). Addresses are 32-bit values ({@link Ipv4Network#parseAddress}).
   */
  record Dhcp(int server, List<Range> ranges, Map<String, Integer> reservations) {
    Dhcp {
      ranges = List.copyOf(ranges);
      reservations = Collections.unmodifiableMap(new LinkedHashMap<>(reservations));
    }

    /** A DHCP range, both ends included. */
    record Range(int start, int end) {}
  }

  /** Reads the DHCP part of a network definition (rendered here, or as libvirt holds it). */
  static Dhcp dhcp(String xml) {
    Document doc = DomainXml.parse(xml);
    int server = address(attribute(doc, "ip", "address"), "ip address");
    List<Dhcp.Range> ranges = new ArrayList<>();
    NodeList rangeNodes = doc.getElementsByTagName("range");
    for (int i = 0; i < rangeNodes.getLength(); i++) {
      Element range = (Element) rangeNodes.item(i);
      ranges.add(
          new Dhcp.Range(
              address(range.getAttribute("start"), "range start"),
              address(range.getAttribute("end"), "range end")));
    }
    Map<String, Integer> reservations = new LinkedHashMap<>();
    NodeList hosts = doc.getElementsByTagName("host");
    for (int i = 0; i < hosts.getLength(); i++) {
      Element host = (Element) hosts.item(i);
      if (!host.getAttribute("mac").isEmpty() && !host.getAttribute("ip").isEmpty()) {
        reservations.put(
            host.getAttribute("mac").toLowerCase(Locale.ROOT),
            address(host.getAttribute("ip"), "host ip"));
      }
    }
    return new Dhcp(server, ranges, reservations);
  }

  private static int address(String text, String what) {
    return Ipv4Network.parseAddress(text)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "network definition: " + what + " '" + text + "' is not an IPv4 address"));
  }

  private static String attribute(Document doc, String tag, String name) {
    NodeList nodes = doc.getElementsByTagName(tag);
    return nodes.getLength() == 0 ? "" : ((Element) nodes.item(0)).getAttribute(name);
  }
}
