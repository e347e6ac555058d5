package io.kubitect.libvirt.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The machine's real libvirtd (started by scripts/setup-machine) and a tiny disk image for it. */
final class Libvirtd {
  private Libvirtd() {}

  /** Skips (fails in CI) unless libvirtd answers on qemu:///system. */
  static void require() {
    Tools.requireTool("virsh");
    Tools.Result version = Tools.run(List.of("virsh", "-c", "qemu:///system", "version"));
    Tools.require(
        version.exitCode() == 0,
        "libvirtd does not answer on qemu:///system: " + version.output().strip());
  }

  /** A 64 MiB qcow2 image (header only, a few hundred KiB): enough to define and start domains. */
  static Path tinyImage(Path dir) throws java.io.IOException {
    Tools.requireTool("qemu-img");
    Files.createDirectories(dir);
    Path image = dir.resolve("tiny.qcow2");
    if (!Files.exists(image)) {
      Tools.ok(List.of("qemu-img", "create", "-q", "-f", "qcow2", image.toString(), "64M"));
    }
    return image;
  }
}
