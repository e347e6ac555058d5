package io.kubitect.model;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.Optional;
import org.immutables.value.Value;

/** A storage pool for data disks on one host. */
@Value.Immutable
@JsonSerialize(as = ImmutableDataResourcePool.class)
@JsonDeserialize(as = ImmutableDataResourcePool.class)
public abstract class DataResourcePool implements WithDataResourcePool {

  /** Name that data disks refer to with {@code pool}. */
  public abstract Optional<String> name();

  /** Directory under which the pool lives. */
  public abstract Optional<String> path();

  /** A builder; {@code from(...)} on it copies an existing value. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link DataResourcePool} values. */
  public static final class Builder extends ImmutableDataResourcePool.Builder {}
}
