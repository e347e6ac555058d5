package io.kubitect.model;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.Optional;
import org.immutables.value.Value;

/** The cluster: its name, network, node template and nodes. */
@Value.Immutable
@JsonSerialize(as = ImmutableCluster.class)
@JsonDeserialize(as = ImmutableCluster.class)
public abstract class Cluster implements WithCluster {

  /** Cluster name, prefix of every resource name. */
  public abstract Optional<String> name();

  /** The network nodes are attached to. */
  @Value.Default
  public Network network() {
    return Network.builder().build();
  }

  /** Settings shared by every node. */
  @Value.Default
  public NodeTemplate nodeTemplate() {
    return NodeTemplate.builder().build();
  }

  /** Load balancers, masters and workers. */
  @Value.Default
  public Nodes nodes() {
    return Nodes.builder().build();
  }

  /** A builder; {@code from(...)} on it copies an existing value. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link Cluster} values. */
  public static final class Builder extends ImmutableCluster.Builder {}
}
