package io.kubitect.model;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * The node image in Kubitect v2.0's schema ({@code cluster.nodeTemplate.image}), replaced by {@link
 * OperatingSystem} ({@code cluster.nodeTemplate.os}) in v2.1. {@link ClusterSpec#resolveDefaults()}
 * moves it there: {@code source} becomes {@code os.source}; {@code distro} ({@code ubuntu}, {@code
 * debian}, {@code centos}, or any text for another image) becomes the matching {@code os.distro},
 * and, as in v2.0, gives the NIC name when none is set: {@code ens3} for {@code ubuntu}, {@code
 * eth0} for anything else.
 */
@Value.Immutable
@JsonSerialize(as = ImmutableLegacyImage.class)
@JsonDeserialize(as = ImmutableLegacyImage.class)
public abstract class LegacyImage implements WithLegacyImage {

  /** v2.0's distribution name: {@code ubuntu}, {@code debian}, {@code centos} or other text. */
  public abstract Optional<String> distro();

  /** Image URL or local path (required in v2.0). */
  public abstract Optional<String> source();

  /** The current preset a v2.0 distribution name stands for, if any. */
  public static Optional<Distro> presetOf(String distro) {
    return switch (distro) {
      case "ubuntu" -> Optional.of(Distro.UBUNTU);
      case "debian" -> Optional.of(Distro.DEBIAN);
      case "centos" -> Optional.of(Distro.CENTOS);
      default -> Optional.empty();
    };
  }

  /** The NIC name v2.0 gave a distribution name: {@code ens3} for ubuntu, else {@code eth0}. */
  public static String networkInterfaceOf(String distro) {
    return distro.equals("ubuntu") ? "ens3" : "eth0";
  }

  /** A builder; {@code from(...)} on it copies an existing value. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link LegacyImage} values. */
  public static final class Builder extends ImmutableLegacyImage.Builder {}
}
