package io.kubitect.model;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.List;
import org.immutables.value.Value;

/** The whole cluster specification: the root of Kubitect's YAML. */
@Value.Immutable
@JsonSerialize(as = ImmutableClusterSpec.class)
@JsonDeserialize(as = ImmutableClusterSpec.class)
public abstract class ClusterSpec implements WithClusterSpec {

  /** Physical hosts that run the node VMs. */
  public abstract List<Host> hosts();

  /** The cluster: name, network, node template and nodes. */
  @Value.Default
  public Cluster cluster() {
    return Cluster.builder().build();
  }

  /** Kubernetes version and installer settings. */
  @Value.Default
  public Kubernetes kubernetes() {
    return Kubernetes.builder().build();
  }

  /** Optional add-ons. */
  @Value.Default
  public Addons addons() {
    return Addons.builder().build();
  }

  /**
   * This specification with every default written out (reference §1.3, with the differences listed
   * in {@link SpecDefaults}). Idempotent; never fails, invalid values stay for the validator.
   */
  public final ClusterSpec resolveDefaults() {
    return SpecDefaults.resolve(this);
  }

  /** A builder; {@code from(...)} on it copies an existing value. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link ClusterSpec} values. */
  public static final class Builder extends ImmutableClusterSpec.Builder {}
}
