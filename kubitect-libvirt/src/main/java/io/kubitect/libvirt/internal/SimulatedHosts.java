package io.kubitect.libvirt.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Simulated hosts: one private hypervisor of libvirt's test driver per host, {@code test:///FILE}.
 * Each connection to such a file is its own hypervisor, so the simulated host's state lives as long
 * as the provisioner's connection to it; the driver reads the file only while connecting. The file
 * declares the bridge when the cluster attaches to one, so bridge mode is checked as on a real
 * host.
 */
final class SimulatedHosts {
  private SimulatedHosts() {}

  /** Writes the host file {@code DIR/HOST.xml}; returns its absolute path. */
  static Path write(Path dir, HostPlan plan) {
    try {
      Files.createDirectories(dir);
      Path file =
          dir.toAbsolutePath().resolve(plan.name().replaceAll("[^A-Za-z0-9_-]", "_") + ".xml");
      Files.writeString(file, xml(plan));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the simulated host file in " + dir, e);
    }
  }

  /**
   * Writes the host file into the temporary directory, named {@code kubitect-simulated-PID-*.xml};
   * the caller deletes it once connected.
   */
  static Path writeTemporary(HostPlan plan) {
    try {
      Path file =
          Files.createTempFile("kubitect-simulated-" + ProcessHandle.current().pid() + "-", ".xml");
      Files.writeString(file, xml(plan));
      return file.toAbsolutePath();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a simulated host file", e);
    }
  }

  private static String xml(HostPlan plan) {
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
    return xml.toString();
  }
}
