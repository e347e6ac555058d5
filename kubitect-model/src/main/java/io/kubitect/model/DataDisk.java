package io.kubitect.model;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.Optional;
import org.immutables.value.Value;

/** An extra disk attached to a node. */
@Value.Immutable
@JsonSerialize(as = ImmutableDataDisk.class)
@JsonDeserialize(as = ImmutableDataDisk.class)
public abstract class DataDisk implements WithDataDisk {

  /** Name, unique per node. */
  public abstract Optional<String> name();

  /** Data resource pool on the node's host; the main pool when absent or {@code main}. */
  public abstract Optional<String> pool();

  /** Size in GiB. */
  public abstract Optional<Integer> size();

  /** A builder; {@code from(...)} on it copies an existing value. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link DataDisk} values. */
  public static final class Builder extends ImmutableDataDisk.Builder {}
}
