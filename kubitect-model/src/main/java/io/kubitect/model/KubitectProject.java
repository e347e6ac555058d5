package io.kubitect.model;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * Kubitect v2's {@code kubitect} section: the Git repository and version of Kubitect whose
 * playbooks and Terraform modules its CLI cloned for each cluster. Read and carried so that v2
 * configurations load, with no effect: this SDK brings its own provisioning, and current Kubitect
 * embeds it. The validator warns when it is set.
 */
@Value.Immutable
@JsonSerialize(as = ImmutableKubitectProject.class)
@JsonDeserialize(as = ImmutableKubitectProject.class)
public abstract class KubitectProject implements WithKubitectProject {

  /**
   * URL of the Kubitect Git repository (v2 default {@code https://github.com/MusicDin/kubitect}).
   */
  public abstract Optional<String> url();

  /** Branch or tag of that repository (v2 default {@code master}). */
  public abstract Optional<String> version();

  /** A builder; {@code from(...)} on it copies an existing value. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link KubitectProject} values. */
  public static final class Builder extends ImmutableKubitectProject.Builder {}
}
