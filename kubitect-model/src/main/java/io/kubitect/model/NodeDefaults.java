package io.kubitect.model;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/** Values merged into every master or worker instance; the instance wins. */
@Value.Immutable
@JsonSerialize(as = ImmutableNodeDefaults.class)
@JsonDeserialize(as = ImmutableNodeDefaults.class)
public abstract class NodeDefaults implements WithNodeDefaults {

  /** Virtual CPUs. */
  public abstract Optional<Integer> cpu();

  /** Memory in GiB. */
  public abstract Optional<Integer> ram();

  /** Main disk size in GiB. */
  public abstract Optional<Integer> mainDiskSize();

  /** Kubernetes node labels. */
  public abstract Map<String, String> labels();

  /** Kubernetes node taints ({@code key=value:Effect}). */
  public abstract List<String> taints();

  /** Extra disks. */
  public abstract List<DataDisk> dataDisks();

  /** A builder; {@code from(...)} on it copies an existing value. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link NodeDefaults} values. */
  public static final class Builder extends ImmutableNodeDefaults.Builder {}
}
