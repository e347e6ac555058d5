package io.kubitect.core;

import io.kubitect.model.KubitectException;

/**
 * Another apply or destroy of the same cluster is running (in this process or another); the message
 * names the holder of the cluster lock. Nothing was touched: try again when it finished.
 */
public final class ClusterBusyException extends KubitectException {
  private static final long serialVersionUID = 1L;

  ClusterBusyException(String cluster, String holder) {
    super("cluster " + cluster + " is busy: " + holder.trim() + "; try again when it has finished");
  }
}
