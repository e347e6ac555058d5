package io.kubitect.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/** A physical host whose libvirt runs some of the node VMs. */
@Value.Immutable
@JsonSerialize(as = ImmutableHost.class)
@JsonDeserialize(as = ImmutableHost.class)
public abstract class Host implements WithHost {

  /** Unique name that nodes refer to with {@code host}. */
  public abstract Optional<String> name();

  /** Whether nodes without {@code host} go here (YAML key {@code default}). */
  @JsonProperty("default")
  public abstract Optional<Boolean> defaultHost();

  /** How the hypervisor is reached. */
  @Value.Default
  public Connection connection() {
    return Connection.builder().build();
  }

  /** Directory under which the main storage pool lives. */
  public abstract Optional<String> mainResourcePoolPath();

  /** Extra storage pools for data disks. */
  public abstract List<DataResourcePool> dataResourcePools();

  /** A builder; {@code from(...)} on it copies an existing value. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link Host} values. */
  public static final class Builder extends ImmutableHost.Builder {}
}
