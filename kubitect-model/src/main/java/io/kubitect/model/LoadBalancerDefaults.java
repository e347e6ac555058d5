package io.kubitect.model;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.Optional;
import org.immutables.value.Value;

/** Sizing of load-balancer instances that do not set their own. */
@Value.Immutable
@JsonSerialize(as = ImmutableLoadBalancerDefaults.class)
@JsonDeserialize(as = ImmutableLoadBalancerDefaults.class)
public abstract class LoadBalancerDefaults implements WithLoadBalancerDefaults {

  /** Virtual CPUs. */
  public abstract Optional<Integer> cpu();

  /** Memory in GiB. */
  public abstract Optional<Integer> ram();

  /** Main disk size in GiB. */
  public abstract Optional<Integer> mainDiskSize();

  /** A builder; {@code from(...)} on it copies an existing value. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link LoadBalancerDefaults} values. */
  public static final class Builder extends ImmutableLoadBalancerDefaults.Builder {}
}
