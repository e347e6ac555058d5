package com.example.platform;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * A libvirt domain definition as a simulated host was given it: {@code
 * artifacts/hosts/<host>/domains/<node>.xml} under the cluster directory.
 */
final class Domain {
  private final Document xml;
  private final XPath xpath = XPathFactory.newInstance().newXPath();

  private Domain(Document xml) {
    this.xml = xml;
  }

  static Domain read(Path clusterDirectory, String host, String node) throws IOException {
    Path file = clusterDirectory.resolve("artifacts/hosts/" + host + "/domains/" + node + ".xml");
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      return new Domain(factory.newDocumentBuilder().parse(file.toFile()));
    } catch (ParserConfigurationException | SAXException e) {
      throw new IOException("cannot read the domain XML " + file + ": " + e.getMessage(), e);
    }
  }

  String name() {
    return text("/domain/name");
  }

  int vcpus() {
    return Integer.parseInt(text("/domain/vcpu"));
  }

  /** {@code <memory>} in KiB (libvirt's default unit, the one the SDK writes). */
  long memoryKib() {
    String unit = text("/domain/memory/@unit");
    if (!unit.isEmpty() && !unit.equals("KiB")) {
      throw new AssertionError("memory in " + unit + ", not KiB");
    }
    return Long.parseLong(text("/domain/memory"));
  }

  String mac() {
    return text("/domain/devices/interface/mac/@address");
  }

  /** {@code network} on a libvirt network (nat, route), {@code bridge} on a host bridge. */
  String interfaceType() {
    return text("/domain/devices/interface/@type");
  }

  String bridge() {
    return text("/domain/devices/interface/source/@bridge");
  }

  /** The storage volumes of the domain's disks (main disk, data disks, cloud-init seed). */
  List<String> volumes() {
    NodeList nodes = nodes("/domain/devices/disk/source/@volume");
    List<String> volumes = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      volumes.add(nodes.item(i).getNodeValue());
    }
    return volumes;
  }

  private String text(String expression) {
    try {
      return xpath.evaluate(expression, xml).trim();
    } catch (XPathExpressionException e) {
      throw new IllegalArgumentException(expression, e);
    }
  }

  private NodeList nodes(String expression) {
    try {
      return (NodeList) xpath.evaluate(expression, xml, XPathConstants.NODESET);
    } catch (XPathExpressionException e) {
      throw new IllegalArgumentException(expression, e);
    }
  }
}
