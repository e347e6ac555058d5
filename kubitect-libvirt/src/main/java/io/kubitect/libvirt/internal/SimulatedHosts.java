package io.kubitect.libvirt.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Simulated hosts: one private hypervisor of libvirt's test driver per host, {@code
 * test:///DIR/HOST.xml}. Each connection to such a file is its own hypervisor, so the simulated
 * host's state lives as long as the provisioner's connection to it. The file declares the bridge
 * when the cluster attaches to one, so bridge mode is checked as on a real host.
 */
final class SimulatedHosts {
  private SimulatedHosts() {}

  /** Writes the host file and returns its URI. */
  static String uri(Path dir, HostPlan plan) {
    StringBuilder xml = new StringBuilder("<node>\n");
    plan.bridge()
        .ifPresent(
            bridge ->
                xml.append("  <interface type='bridge' name='")
                    .append(Xml.escape(bridge))
                    .append("'>\n")
                    .append("    <start mode='onboot'/>\n")
                    .append("    <bridge stp='off'/>\n")
                    .append("  </interface>\n"));
    xml.append("</node>\n");
    try {
      Files.createDirectories(dir);
      Path file =
          dir.toAbsolutePath().resolve(plan.name().replaceAll("[^A-Za-z0-9_-]", "_") + ".xml");
      Files.writeString(file, xml);
      return "test://" + file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the simulated host file in " + dir, e);
    }
  }
}
