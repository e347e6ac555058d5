package io.kubitect.model;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import org.immutables.value.Value;

/** The cluster's nodes by role. */
@Value.Immutable
@JsonSerialize(as = ImmutableNodes.class)
@JsonDeserialize(as = ImmutableNodes.class)
public abstract class Nodes implements WithNodes {

  /** The load-balancer pair in front of the control plane. */
  @Value.Default
  public LoadBalancers loadBalancer() {
    return LoadBalancers.builder().build();
  }

  /** Control-plane nodes. */
  @Value.Default
  public NodeGroup master() {
    return NodeGroup.builder().build();
  }

  /** Worker nodes. */
  @Value.Default
  public NodeGroup worker() {
    return NodeGroup.builder().build();
  }

  /** A builder; {@code from(...)} on it copies an existing value. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link Nodes} values. */
  public static final class Builder extends ImmutableNodes.Builder {}
}
