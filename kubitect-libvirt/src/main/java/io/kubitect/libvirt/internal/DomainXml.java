package io.kubitect.libvirt.internal;

import io.kubitect.model.CpuMode;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Renders a node's domain and reads back the ownership mark. The {@code <metadata>} element holds
 * {@code <kubitect:node cluster= node= role= host= spec=/>} in namespace {@link #NAMESPACE}: the
 * cluster and node that own the domain, and a hash of everything the definition was rendered from
 * ({@code spec}), so a re-apply compares one attribute instead of libvirt's normalised XML.
 */
final class DomainXml {
  static final String NAMESPACE = "https://kubitect.io/xmlns/libvirt/node/1";

  private DomainXml() {}

  /** What the {@code <metadata>} mark of an owned domain says. */
  record Ownership(String cluster, String node, String role, String host, String spec) {}

  /**
   * The definition of a VM.
   *
   * @param domainType {@code kvm} or {@code qemu} (software emulation)
   * @param uuid an existing domain's UUID when redefining it
   */
  static String render(VmPlan vm, String domainType, Optional<String> uuid) {
    return render(vm, domainType, uuid, specHash(vm, domainType));
  }

  /**
   * The hash stored in the ownership mark: the definition without mark and UUID, and disk sizes.
   */
  static String specHash(VmPlan vm, String domainType) {
    StringBuilder input = new StringBuilder(render(vm, domainType, Optional.empty(), ""));
    for (VolumePlan volume : vm.disks()) {
      input.append(volume.pool()).append('/').append(volume.name()).append('=');
      input.append(volume.bytes()).append('\n');
    }
    return HexFormat.of().formatHex(MacAddresses.sha256(input.toString())).substring(0, 32);
  }

  private static String render(
      VmPlan vm, String domainType, Optional<String> uuid, String specHash) {
    StringBuilder xml = new StringBuilder();
    xml.append("<domain type='").append(Xml.escape(domainType)).append("'>\n");
    xml.append("  <name>").append(Xml.escape(vm.name())).append("</name>\n");
    uuid.ifPresent(u -> xml.append("  <uuid>").append(Xml.escape(u)).append("</uuid>\n"));
    xml.append("  <metadata>\n");
    xml.append("    <kubitect:node xmlns:kubitect='")
        .append(NAMESPACE)
        .append("' cluster='")
        .append(Xml.escape(vm.cluster()))
        .append("' node='")
        .append(Xml.escape(vm.name()))
        .append("' role='")
        .append(vm.node().role())
        .append("' host='")
        .append(Xml.escape(vm.host()))
        .append("' spec='")
        .append(Xml.escape(specHash))
        .append("'/>\n");
    xml.append("  </metadata>\n");
    long mib = vm.node().ramGib() * 1024L;
    xml.append("  <memory unit='MiB'>").append(mib).append("</memory>\n");
    xml.append("  <currentMemory unit='MiB'>").append(mib).append("</currentMemory>\n");
    xml.append("  <vcpu placement='static'>").append(vm.node().cpu()).append("</vcpu>\n");
    xml.append("  <os>\n");
    xml.append("    <type arch='x86_64' machine='pc'>hvm</type>\n");
    xml.append("    <boot dev='hd'/>\n");
    xml.append("  </os>\n");
    xml.append("  <features>\n    <acpi/>\n    <apic/>\n  </features>\n");
    if (vm.cpuMode() != CpuMode.CUSTOM) {
      // custom without a model is the hypervisor's default CPU: no <cpu> element at all
      xml.append("  <cpu mode='").append(vm.cpuMode()).append("'/>\n");
    }
    xml.append("  <clock offset='utc'/>\n");
    xml.append("  <on_poweroff>destroy</on_poweroff>\n");
    xml.append("  <on_reboot>restart</on_reboot>\n");
    xml.append("  <on_crash>destroy</on_crash>\n");
    xml.append("  <devices>\n");
    int index = 0;
    for (VolumePlan disk : vm.disks()) {
      disk(xml, "disk", disk, "vd" + driveLetters(index++), "virtio");
    }
    disk(xml, "cdrom", vm.cloudInit(), "hdd", "ide");
    if (vm.bridged()) {
      xml.append("    <interface type='bridge'>\n");
      xml.append("      <mac address='").append(Xml.escape(vm.mac())).append("'/>\n");
      xml.append("      <source bridge='").append(Xml.escape(vm.networkSource())).append("'/>\n");
    } else {
      xml.append("    <interface type='network'>\n");
      xml.append("      <mac address='").append(Xml.escape(vm.mac())).append("'/>\n");
      xml.append("      <source network='").append(Xml.escape(vm.networkSource())).append("'/>\n");
    }
    xml.append("      <model type='virtio'/>\n");
    xml.append("    </interface>\n");
    xml.append("    <serial type='pty'>\n      <target port='0'/>\n    </serial>\n");
    xml.append(
        "    <console type='pty'>\n      <target type='serial' port='0'/>\n    </console>\n");
    xml.append(
        "    <console type='pty'>\n      <target type='virtio' port='1'/>\n    </console>\n");
    xml.append("    <channel type='unix'>\n");
    xml.append("      <target type='virtio' name='org.qemu.guest_agent.0'/>\n");
    xml.append("    </channel>\n");
    xml.append("    <graphics type='vnc' port='-1' autoport='yes'>\n");
    xml.append("      <listen type='address' address='127.0.0.1'/>\n");
    xml.append("    </graphics>\n");
    xml.append("    <rng model='virtio'>\n");
    xml.append("      <backend model='random'>/dev/urandom</backend>\n");
    xml.append("    </rng>\n");
    xml.append("  </devices>\n");
    xml.append("</domain>\n");
    return xml.toString();
  }

  private static void disk(StringBuilder xml, String device, VolumePlan v, String dev, String bus) {
    xml.append("    <disk type='volume' device='").append(device).append("'>\n");
    xml.append("      <driver name='qemu' type='").append(Xml.escape(v.format())).append("'/>\n");
    xml.append("      <source pool='")
        .append(Xml.escape(v.pool()))
        .append("' volume='")
        .append(Xml.escape(v.name()))
        .append("'/>\n");
    xml.append("      <target dev='").append(dev).append("' bus='").append(bus).append("'/>\n");
    if (device.equals("cdrom")) {
      xml.append("      <readonly/>\n");
    }
    xml.append("    </disk>\n");
  }

  /** a, b, ..., z, aa, ab, ... as in the kernel's vda..vdz, vdaa... */
  static String driveLetters(int index) {
    String letters = "";
    int i = index;
    do {
      letters = (char) ('a' + i % 26) + letters;
      i = i / 26 - 1;
    } while (i >= 0);
    return letters;
  }

  /** The ownership mark of a domain's XML, when it has one. */
  static Optional<Ownership> ownership(String domainXml) {
    Document doc = parse(domainXml);
    NodeList marks = doc.getElementsByTagNameNS(NAMESPACE, "node");
    if (marks.getLength() == 0) {
      return Optional.empty();
    }
    Element mark = (Element) marks.item(0);
    return Optional.of(
        new Ownership(
            mark.getAttribute("cluster"),
            mark.getAttribute("node"),
            mark.getAttribute("role"),
            mark.getAttribute("host"),
            mark.getAttribute("spec")));
  }

  /** The {@code <uuid>} of a domain's XML. */
  static Optional<String> uuid(String domainXml) {
    return firstText(parse(domainXml), "uuid");
  }

  /** The MAC address of a domain's first interface. */
  static Optional<String> mac(String domainXml) {
    NodeList macs = parse(domainXml).getElementsByTagName("mac");
    return macs.getLength() == 0
        ? Optional.empty()
        : Optional.of(((Element) macs.item(0)).getAttribute("address"));
  }

  /**
   * A network interface of a domain: its type ({@code network} or {@code bridge}), what it is
   * attached to (the network's or the bridge's name) and its MAC address, lower-cased.
   */
  record Nic(String type, String source, String mac) {}

  /** The network interfaces of a domain's XML, in document order. */
  static List<Nic> nics(String domainXml) {
    NodeList interfaces = parse(domainXml).getElementsByTagName("interface");
    List<Nic> nics = new ArrayList<>();
    for (int i = 0; i < interfaces.getLength(); i++) {
      Element nic = (Element) interfaces.item(i);
      String type = nic.getAttribute("type");
      String source = "";
      String mac = "";
      NodeList sources = nic.getElementsByTagName("source");
      if (sources.getLength() > 0) {
        Element s = (Element) sources.item(0);
        source = type.equals("bridge") ? s.getAttribute("bridge") : s.getAttribute("network");
      }
      NodeList macs = nic.getElementsByTagName("mac");
      if (macs.getLength() > 0) {
        mac = ((Element) macs.item(0)).getAttribute("address").toLowerCase(Locale.ROOT);
      }
      nics.add(new Nic(type, source, mac));
    }
    return nics;
  }

  static Optional<String> firstText(Document doc, String tag) {
    NodeList nodes = doc.getElementsByTagName(tag);
    return nodes.getLength() == 0
        ? Optional.empty()
        : Optional.of(nodes.item(0).getTextContent().strip());
  }

  /**
   * The JDK's own parser, configured once: {@code newInstance()} searched the class path's service
   * files for another parser on every call, and libvirt's XML needs nothing but the built-in one.
   * No DTDs, no entity expansion.
   */
  private static final DocumentBuilderFactory FACTORY = newFactory();

  /**
   * A builder per thread, reused: making one sets up a whole parser, which cost as much as parsing
   * a domain. Builders are not thread-safe; the provisioner's threads parse at the same time.
   */
  private static final ThreadLocal<DocumentBuilder> BUILDER =
      ThreadLocal.withInitial(DomainXml::newBuilder);

  private static DocumentBuilderFactory newFactory() {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
    try {
      factory.setNamespaceAware(true);
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setExpandEntityReferences(false);
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("the JDK's XML parser lacks a feature: " + e, e);
    }
    return factory;
  }

  private static DocumentBuilder newBuilder() {
    // The factory is not thread-safe either.
    synchronized (FACTORY) {
      try {
        return FACTORY.newDocumentBuilder();
      } catch (ParserConfigurationException e) {
        throw new IllegalStateException("the JDK's XML parser cannot be configured: " + e, e);
      }
    }
  }

  /** Errors become the exception below; the parser's default handler would also print them. */
  private static final ErrorHandler QUIET =
      new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {}

        @Override
        public void error(SAXParseException e) throws SAXException {
          throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
          throw e;
        }
      };

  static Document parse(String xml) {
    DocumentBuilder builder = BUILDER.get();
    // Set each time: reset() puts the builder's own handler back.
    builder.setErrorHandler(QUIET);
    try {
      return builder.parse(new InputSource(new StringReader(xml)));
    } catch (SAXException | IOException e) {
      throw new IllegalArgumentException("libvirt returned XML that does not parse: " + e, e);
    } finally {
      // A parse that failed half-way leaves state behind; the next one starts clean.
      builder.reset();
    }
  }
}
