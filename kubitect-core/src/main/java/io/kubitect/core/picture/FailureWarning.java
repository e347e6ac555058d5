package io.kubitect.core.picture;

/**
 * A host whose loss alone would take something down.
 *
 * @param kind what losing the host takes down
 * @param host the host's name
 * @param mark the short text drawn in the host's box
 * @param text the whole sentence drawn in the failure-domain panel
 */
record FailureWarning(Kind kind, String host, String mark, String text) {

  /** What losing the host takes down. */
  enum Kind {
    /** The host holds a majority of the masters (or all of them): etcd loses its quorum. */
    CONTROL_PLANE,
    /** The host holds every load balancer (or the only one): the API endpoint goes. */
    VIP
  }
}
