package io.kubitect.model;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.Optional;
import org.immutables.value.Value;

/** Other Kubernetes settings. */
@Value.Immutable
@JsonSerialize(as = ImmutableKubernetesOther.class)
@JsonDeserialize(as = ImmutableKubernetesOther.class)
public abstract class KubernetesOther implements WithKubernetesOther {

  /** Whether control-plane certificates renew automatically. */
  public abstract Optional<Boolean> autoRenewCertificates();

  /** Whether the kubeconfig is merged into the user's ~/.kube/config. */
  public abstract Optional<Boolean> mergeKubeconfig();

  /**
   * Kubitect v2.1 to v3.3's predecessor of {@link #mergeKubeconfig()}, which copied the kubeconfig
   * over ~/.kube/config; {@link ClusterSpec#resolveDefaults()} reads {@code true} as {@code
   * mergeKubeconfig: true}.
   */
  public abstract Optional<Boolean> copyKubeconfig();

  /** A builder; {@code from(...)} on it copies an existing value. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link KubernetesOther} values. */
  public static final class Builder extends ImmutableKubernetesOther.Builder {}
}
