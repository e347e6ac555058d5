package io.kubitect.model;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.Optional;
import org.immutables.value.Value;

/** How the SDK reaches a host's hypervisor. */
@Value.Immutable
@JsonSerialize(as = ImmutableConnection.class)
@JsonDeserialize(as = ImmutableConnection.class)
public abstract class Connection implements WithConnection {

  /** local, localhost or remote. */
  public abstract Optional<ConnectionType> type();

  /** SSH user on a remote host. */
  public abstract Optional<String> user();

  /** IPv4 address of a remote host. */
  public abstract Optional<String> ip();

  /** SSH settings for a remote host. */
  @Value.Default
  public HostSsh ssh() {
    return HostSsh.builder().build();
  }

  /** A builder; {@code from(...)} on it copies an existing value. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link Connection} values. */
  public static final class Builder extends ImmutableConnection.Builder {}
}
