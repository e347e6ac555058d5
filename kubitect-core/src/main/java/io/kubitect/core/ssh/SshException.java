package io.kubitect.core.ssh;

import io.kubitect.model.KubitectException;

/**
 * A node or host could not be reached or a command could not be run over SSH: connection refused,
 * authentication failed, no known host key, connection lost, timeout. The message names the target
 * and what was being done.
 */
public class SshException extends KubitectException {
  private static final long serialVersionUID = 1L;

  /** An SSH failure with a message naming the target. */
  public SshException(String message) {
    super(message);
  }

  /** An SSH failure with a message naming the target, and its cause. */
  public SshException(String message, Throwable cause) {
    super(message, cause);
  }
}
