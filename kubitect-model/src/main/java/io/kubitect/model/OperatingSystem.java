package io.kubitect.model;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.Optional;
import org.immutables.value.Value;

/** The node image. */
@Value.Immutable
@JsonSerialize(as = ImmutableOperatingSystem.class)
@JsonDeserialize(as = ImmutableOperatingSystem.class)
public abstract class OperatingSystem implements WithOperatingSystem {

  /** Preset that gives the image source and interface name. */
  public abstract Optional<Distro> distro();

  /** Image URL or local path; the preset's image when absent. */
  public abstract Optional<String> source();

  /** Name given to the node's NIC; the preset's name when absent. */
  public abstract Optional<String> networkInterface();

  /** A builder; {@code from(...)} on it copies an existing value. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link OperatingSystem} values. */
  public static final class Builder extends ImmutableOperatingSystem.Builder {}
}
