package io.kubitect.model;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/** Rook/Ceph storage add-on. */
@Value.Immutable
@JsonSerialize(as = ImmutableRook.class)
@JsonDeserialize(as = ImmutableRook.class)
public abstract class Rook implements WithRook {

  /** Whether Rook is installed. */
  public abstract Optional<Boolean> enabled();

  /** Rook version. */
  public abstract Optional<String> version();

  /** Labels that select the storage nodes. */
  public abstract Map<String, String> nodeSelector();

  /** A builder; {@code from(...)} on it copies an existing value. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link Rook} values. */
  public static final class Builder extends ImmutableRook.Builder {}
}
