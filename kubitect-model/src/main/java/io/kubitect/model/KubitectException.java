package io.kubitect.model;

/**
 * Base of every exception the SDK throws for a problem with a specification, a host or a tool.
 * Caller bugs (a null argument, a closed object) stay plain JDK exceptions.
 */
public class KubitectException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An exception with a message that says what failed and where. */
  public KubitectException(String message) {
    super(message);
  }

  /** An exception with a message that says what failed and where, and its cause. */
  public KubitectException(String message, Throwable cause) {
    super(message, cause);
  }
}
