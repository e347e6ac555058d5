package io.kubitect.model;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.Map;
import org.immutables.value.Value;

/** Optional add-ons. */
@Value.Immutable
@JsonSerialize(as = ImmutableAddons.class)
@JsonDeserialize(as = ImmutableAddons.class)
public abstract class Addons implements WithAddons {

  /** Kubespray variables, written as data (never templated); {@code ansible_*} keys are refused. */
  public abstract Map<String, Object> kubespray();

  /** Rook/Ceph storage. */
  @Value.Default
  public Rook rook() {
    return Rook.builder().build();
  }

  /** A builder; {@code from(...)} on it copies an existing value. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link Addons} values. */
  public static final class Builder extends ImmutableAddons.Builder {}
}
