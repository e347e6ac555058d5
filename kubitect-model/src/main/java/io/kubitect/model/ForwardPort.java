package io.kubitect.model;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.Optional;
import org.immutables.value.Value;

/** A port the load balancers forward to the nodes. */
@Value.Immutable
@JsonSerialize(as = ImmutableForwardPort.class)
@JsonDeserialize(as = ImmutableForwardPort.class)
public abstract class ForwardPort implements WithForwardPort {

  /** Unique name. */
  public abstract Optional<String> name();

  /** Port the load balancers listen on. */
  public abstract Optional<Integer> port();

  /** Port on the nodes; {@code port} when absent. */
  public abstract Optional<Integer> targetPort();

  /** Which nodes receive the traffic. */
  public abstract Optional<ForwardTarget> target();

  /** A builder; {@code from(...)} on it copies an existing value. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link ForwardPort} values. */
  public static final class Builder extends ImmutableForwardPort.Builder {}
}
