package io.kubitect.core;

import io.kubitect.model.KubitectException;

/**
 * A file of a cluster's state cannot be read: empty, truncated, edited by hand or of the wrong
 * kind. The cluster can still be destroyed from what is left ({@link Kubitect#destroy}); plans and
 * applies refuse, since they would compare against a state nobody knows.
 */
public final class DamagedStateException extends KubitectException {
  private static final long serialVersionUID = 1L;

  DamagedStateException(String cluster, String problem) {
    super("state of cluster " + cluster + " is damaged: " + problem);
  }

  DamagedStateException(String cluster, String problem, Throwable cause) {
    super("state of cluster " + cluster + " is damaged: " + problem, cause);
  }
}
