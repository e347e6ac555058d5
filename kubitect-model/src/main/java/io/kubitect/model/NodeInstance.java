package io.kubitect.model;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/** One master or worker node. */
@Value.Immutable
@JsonSerialize(as = ImmutableNodeInstance.class)
@JsonDeserialize(as = ImmutableNodeInstance.class)
public abstract class NodeInstance implements WithNodeInstance {

  /** Id, unique within its group; part of the node name. */
  public abstract Optional<String> id();

  /**
   * Kubitect's {@code name} of an instance: read and carried, with no effect. Kubitect ignores it
   * too: VMs and Kubernetes nodes are named {@code <cluster>-<role>-<id>} from the id (the
   * validator warns when a name differs from that), and changing it is no change to the cluster.
   */
  public abstract Optional<String> name();

  /** Host that runs the node; the default host when absent. */
  public abstract Optional<String> host();

  /** Static IPv4 address; DHCP when absent. */
  public abstract Optional<String> ip();

  /** MAC address of the NIC. */
  public abstract Optional<String> mac();

  /** Virtual CPUs. */
  public abstract Optional<Integer> cpu();

  /** Memory in GiB. */
  public abstract Optional<Integer> ram();

  /** Main disk size in GiB. */
  public abstract Optional<Integer> mainDiskSize();

  /** Extra disks. */
  public abstract List<DataDisk> dataDisks();

  /** Kubernetes node labels. */
  public abstract Map<String, String> labels();

  /** Kubernetes node taints ({@code key=value:Effect}). */
  public abstract List<String> taints();

  /** A node with only an id and a host; the rest comes from its group's defaults. */
  public static NodeInstance of(String id, String host) {
    return builder().id(id).host(host).build();
  }

  /** A builder; {@code from(...)} on it copies an existing value. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link NodeInstance} values. */
  public static final class Builder extends ImmutableNodeInstance.Builder {}
}
