package io.kubitect.model;

/**
 * The two forms {@link KubitectYaml#write(ClusterSpec, ConfigFormat)} writes a configuration in.
 */
public enum ConfigFormat {
  /**
   * Kubitect's current schema, which current Kubitect reads: every default written out, keys of
   * older schemas at their current place, and the keys only this SDK has (the pinned Kubespray
   * release) left out and named in a comment at the top.
   */
  KUBITECT,

  /** This SDK's own form: every key it knows, so reading it back gives the same specification. */
  SDK
}
