package io.kubitect.model;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.Optional;
import org.immutables.value.Value;

/** Where Kubespray comes from. */
@Value.Immutable
@JsonSerialize(as = ImmutableKubespray.class)
@JsonDeserialize(as = ImmutableKubespray.class)
public abstract class Kubespray implements WithKubespray {

  /** Git repository URL or local directory. */
  public abstract Optional<String> url();

  /** Release tag, e.g. {@code v2.29.0}. */
  public abstract Optional<String> version();

  /** A builder; {@code from(...)} on it copies an existing value. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link Kubespray} values. */
  public static final class Builder extends ImmutableKubespray.Builder {}
}
