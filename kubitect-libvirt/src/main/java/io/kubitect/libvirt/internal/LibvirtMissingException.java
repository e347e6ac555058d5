package io.kubitect.libvirt.internal;

/**
 * libvirt-java cannot be used because the JVM cannot load libvirt's native library ({@code
 * libvirt.so.0}, Debian's package {@code libvirt0}): every host fails the same way, so the apply or
 * destroy stops with this one line instead of a failure per node.
 */
final class LibvirtMissingException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  LibvirtMissingException(LinkageError cause) {
    super(
        "libvirt's native library libvirt.so.0 cannot be loaded ("
            + firstLine(cause)
            + "); the libvirt provisioner needs it, for simulated hosts too: install it with"
            + " 'apt-get install libvirt0' (Debian, Ubuntu) or 'dnf install libvirt-libs' (Fedora,"
            + " RHEL)",
        cause);
  }

  private static String firstLine(Throwable error) {
    String message = error.getMessage();
    if (message == null || message.isBlank()) {
      return error.getClass().getName();
    }
    String line = message.strip().lines().findFirst().orElse("").strip();
    if (line.endsWith(":")) {
      line = line.substring(0, line.length() - 1);
    }
    return error.getClass().getSimpleName() + ": " + line;
  }
}
