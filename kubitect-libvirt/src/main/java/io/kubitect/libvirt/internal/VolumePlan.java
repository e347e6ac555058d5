package io.kubitect.libvirt.internal;

import java.util.Optional;

/**
 * A volume the cluster owns: pool, name, capacity in bytes, format ({@code qcow2} or {@code raw})
 * and, for an overlay, the path and format of its backing file.
 */
record VolumePlan(
    String pool,
    String name,
    long bytes,
    String format,
    Optional<String> backingPath,
    Optional<String> backingFormat) {

  static VolumePlan plain(String pool, String name, long bytes, String format) {
    return new VolumePlan(pool, name, bytes, format, Optional.empty(), Optional.empty());
  }

  VolumePlan withBytes(long newBytes) {
    return new VolumePlan(pool, name, newBytes, format, backingPath, backingFormat);
  }
}
