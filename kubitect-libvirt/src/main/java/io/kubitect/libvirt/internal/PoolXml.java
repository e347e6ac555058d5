package io.kubitect.libvirt.internal;

/** Renders a {@code dir} storage pool. */
final class PoolXml {
  private PoolXml() {}

  static String render(PoolPlan pool) {
    return "<pool type='dir'>\n"
        + "  <name>"
        + Xml.escape(pool.name())
        + "</name>\n"
        + "  <target>\n"
        + "    <path>"
        + Xml.escape(pool.path())
        + "</path>\n"
        + "  </target>\n"
        + "</pool>\n";
  }
}
