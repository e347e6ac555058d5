package io.kubitect.core.spi;

import io.kubitect.model.KubitectException;

/**
 * A host or node answered SSH with a key other than the one expected. Never retried and never
 * accepted silently: it may be an attacker, or a machine that was rebuilt behind the SDK's back.
 */
public class HostKeyMismatchException extends KubitectException {
  private static final long serialVersionUID = 1L;

  /** A mismatch at {@code target} (host:port), with the fingerprints expected and seen. */
  public HostKeyMismatchException(String target, String expected, String actual) {
    super(
        "host key of "
            + target
            + " does not match: expected "
            + expected
            + ", got "
            + actual
            + "; refusing to connect");
  }
}
