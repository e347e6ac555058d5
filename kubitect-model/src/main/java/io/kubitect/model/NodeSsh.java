package io.kubitect.model;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.Optional;
import org.immutables.value.Value;

/** SSH settings for reaching the nodes. */
@Value.Immutable
@JsonSerialize(as = ImmutableNodeSsh.class)
@JsonDeserialize(as = ImmutableNodeSsh.class)
public abstract class NodeSsh implements WithNodeSsh {

  /** Existing private key for the nodes; one is generated when absent. */
  public abstract Optional<String> privateKeyPath();

  /** Whether node host keys are also added to the user's known_hosts. */
  public abstract Optional<Boolean> addToKnownHosts();

  /** A builder; {@code from(...)} on it copies an existing value. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link NodeSsh} values. */
  public static final class Builder extends ImmutableNodeSsh.Builder {}
}
