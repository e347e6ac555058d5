package io.kubitect.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/** Load balancers (keepalived + HAProxy) in front of the control plane. */
@Value.Immutable
@JsonSerialize(as = ImmutableLoadBalancers.class)
@JsonDeserialize(as = ImmutableLoadBalancers.class)
public abstract class LoadBalancers implements WithLoadBalancers {

  /** Virtual IP held by one load balancer at a time. */
  public abstract Optional<String> vip();

  /** VRRP virtual router id. */
  public abstract Optional<Integer> virtualRouterId();

  /** Extra ports forwarded to the nodes. */
  public abstract List<ForwardPort> forwardPorts();

  /** Values of instances that do not set their own (YAML key {@code default}). */
  @JsonProperty("default")
  @Value.Default
  public LoadBalancerDefaults defaults() {
    return LoadBalancerDefaults.builder().build();
  }

  /** The load-balancer nodes. */
  public abstract List<LoadBalancerInstance> instances();

  /** A builder; {@code from(...)} on it copies an existing value. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link LoadBalancers} values. */
  public static final class Builder extends ImmutableLoadBalancers.Builder {}
}
