package io.kubitect.model;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.Optional;
import org.immutables.value.Value;

/** SSH settings used to reach a remote host's libvirt ({@code qemu+ssh}). */
@Value.Immutable
@JsonSerialize(as = ImmutableHostSsh.class)
@JsonDeserialize(as = ImmutableHostSsh.class)
public abstract class HostSsh implements WithHostSsh {

  /** Path of the password-less private key; a leading {@code ~} means the user's home. */
  public abstract Optional<String> keyfile();

  /** SSH port. */
  public abstract Optional<Integer> port();

  /** Whether the host key is verified against known_hosts (default true in this SDK). */
  public abstract Optional<Boolean> verify();

  /** A builder; {@code from(...)} on it copies an existing value. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link HostSsh} values. */
  public static final class Builder extends ImmutableHostSsh.Builder {}
}
