package io.kubitect.libvirt.internal;

/**
 * Renders a volume: a plain one (base image, data disk, cloud-init ISO) or a qcow2 overlay whose
 * backing file is the base image (a node's main disk, created at its full size).
 */
final class VolumeXml {
  private VolumeXml() {}

  static String render(VolumePlan volume) {
    StringBuilder xml = new StringBuilder();
    xml.append("<volume>\n");
    xml.append("  <name>").append(Xml.escape(volume.name())).append("</name>\n");
    xml.append("  <capacity unit='bytes'>").append(volume.bytes()).append("</capacity>\n");
    // sparse: space is taken as the guest writes (and the test driver's 100 GiB pools suffice)
    xml.append("  <allocation unit='bytes'>0</allocation>\n");
    xml.append("  <target>\n");
    xml.append("    <format type='").append(Xml.escape(volume.format())).append("'/>\n");
    xml.append("  </target>\n");
    if (volume.backingPath().isPresent()) {
      xml.append("  <backingStore>\n");
      xml.append("    <path>").append(Xml.escape(volume.backingPath().get())).append("</path>\n");
      xml.append("    <format type='")
          .append(Xml.escape(volume.backingFormat().orElse("qcow2")))
          .append("'/>\n");
      xml.append("  </backingStore>\n");
    }
    xml.append("</volume>\n");
    return xml.toString();
  }
}
