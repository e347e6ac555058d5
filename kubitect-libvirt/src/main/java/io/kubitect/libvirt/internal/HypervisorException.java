package io.kubitect.libvirt.internal;

/**
 * A libvirt call failed: which call, on which connection, libvirt's error code and message, and
 * whether the connection was lost (then the next apply reconnects).
 */
final class HypervisorException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String code;
  private final boolean connectionLost;

  HypervisorException(String message, String code, boolean connectionLost, Throwable cause) {
    super(message, cause);
    this.code = code;
    this.connectionLost = connectionLost;
  }

  HypervisorException(String message, String code, boolean connectionLost) {
    super(message);
    this.code = code;
    this.connectionLost = connectionLost;
  }

  HypervisorException(String message) {
    super(message);
    this.code = "";
    this.connectionLost = false;
  }

  /** libvirt's error code ({@code VIR_ERR_...}), or empty. */
  String code() {
    return code;
  }

  boolean connectionLost() {
    return connectionLost;
  }
}
