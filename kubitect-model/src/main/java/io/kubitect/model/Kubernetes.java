package io.kubitect.model;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.Optional;
import org.immutables.value.Value;

/** Kubernetes version and how it is installed. */
@Value.Immutable
@JsonSerialize(as = ImmutableKubernetes.class)
@JsonDeserialize(as = ImmutableKubernetes.class)
public abstract class Kubernetes implements WithKubernetes {

  /** Kubernetes version, e.g. {@code v1.33.4}. */
  public abstract Optional<String> version();

  /** Installer. */
  public abstract Optional<KubernetesManager> manager();

  /** CNI plugin. */
  public abstract Optional<NetworkPlugin> networkPlugin();

  /** Cluster DNS. */
  public abstract Optional<DnsMode> dnsMode();

  /** Where Kubespray comes from (older schema; current Kubitect pins it). */
  @Value.Default
  public Kubespray kubespray() {
    return Kubespray.builder().build();
  }

  /** Other settings. */
  @Value.Default
  public KubernetesOther other() {
    return KubernetesOther.builder().build();
  }

  /** A builder; {@code from(...)} on it copies an existing value. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link Kubernetes} values. */
  public static final class Builder extends ImmutableKubernetes.Builder {}
}
