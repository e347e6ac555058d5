package io.kubitect.core.spi;

import io.kubitect.model.CpuMode;
import io.kubitect.model.Distro;

/**
 * What every node VM boots, resolved from {@code cluster.nodeTemplate}.
 *
 * @param distro the operating-system preset (legacy spellings replaced by their preset)
 * @param source the image: a URL or a local path as written, so a leading {@code ~} is left for the
 *     provisioner to expand
 * @param updateOnBoot whether packages are upgraded on first boot
 * @param cpuMode the libvirt CPU mode of the VMs
 */
public record NodeImage(Distro distro, String source, boolean updateOnBoot, CpuMode cpuMode) {}
