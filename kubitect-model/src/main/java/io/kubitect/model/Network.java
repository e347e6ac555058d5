package io.kubitect.model;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/** The network the nodes are attached to. */
@Value.Immutable
@JsonSerialize(as = ImmutableNetwork.class)
@JsonDeserialize(as = ImmutableNetwork.class)
public abstract class Network implements WithNetwork {

  /** nat, route or bridge. */
  public abstract Optional<NetworkMode> mode();

  /** IPv4 network of the nodes, e.g. {@code 10.10.0.0/20}. */
  public abstract Optional<String> cidr();

  /** Gateway of the network; the first host address of the CIDR when absent. */
  public abstract Optional<String> gateway();

  /** Existing bridge on each host (bridge mode). */
  public abstract Optional<String> bridge();

  /**
   * DNS servers of the nodes in Kubitect v2.0's schema, where they were a network setting; since
   * v2.1 they are {@link NodeTemplate#dns()}, which {@link ClusterSpec#resolveDefaults()} moves
   * them to.
   */
  public abstract List<String> dns();

  /** A builder; {@code from(...)} on it copies an existing value. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link Network} values. */
  public static final class Builder extends ImmutableNetwork.Builder {}
}
