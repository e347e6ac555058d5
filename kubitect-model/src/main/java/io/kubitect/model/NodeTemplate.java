package io.kubitect.model;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/** Settings shared by every node. */
@Value.Immutable
@JsonSerialize(as = ImmutableNodeTemplate.class)
@JsonDeserialize(as = ImmutableNodeTemplate.class)
public abstract class NodeTemplate implements WithNodeTemplate {

  /** User created on every node. */
  public abstract Optional<String> user();

  /** Node image. */
  @Value.Default
  public OperatingSystem os() {
    return OperatingSystem.builder().build();
  }

  /** SSH settings for reaching the nodes. */
  @Value.Default
  public NodeSsh ssh() {
    return NodeSsh.builder().build();
  }

  /** DNS servers of the nodes; the gateway when empty. */
  public abstract List<String> dns();

  /** Whether packages are upgraded on first boot. */
  public abstract Optional<Boolean> updateOnBoot();

  /** libvirt CPU mode. */
  public abstract Optional<CpuMode> cpuMode();

  /**
   * Name of the node's NIC in Kubitect v2.0's schema; since v2.1 it is {@link
   * OperatingSystem#networkInterface()}, which {@link ClusterSpec#resolveDefaults()} moves it to.
   */
  public abstract Optional<String> networkInterface();

  /**
   * The node image in Kubitect v2.0's schema; since v2.1 it is {@link #os()}, which {@link
   * ClusterSpec#resolveDefaults()} moves it to.
   */
  @Value.Default
  public LegacyImage image() {
    return LegacyImage.builder().build();
  }

  /** A builder; {@code from(...)} on it copies an existing value. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link NodeTemplate} values. */
  public static final class Builder extends ImmutableNodeTemplate.Builder {}
}
