package io.kubitect.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.List;
import org.immutables.value.Value;

/** Masters or workers: defaults and instances. */
@Value.Immutable
@JsonSerialize(as = ImmutableNodeGroup.class)
@JsonDeserialize(as = ImmutableNodeGroup.class)
public abstract class NodeGroup implements WithNodeGroup {

  /** Values merged into every instance (YAML key {@code default}). */
  @JsonProperty("default")
  @Value.Default
  public NodeDefaults defaults() {
    return NodeDefaults.builder().build();
  }

  /** The nodes. */
  public abstract List<NodeInstance> instances();

  /** A builder; {@code from(...)} on it copies an existing value. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link NodeGroup} values. */
  public static final class Builder extends ImmutableNodeGroup.Builder {}
}
