package io.kubitect.model;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.Optional;
import org.immutables.value.Value;

/** One load-balancer node. */
@Value.Immutable
@JsonSerialize(as = ImmutableLoadBalancerInstance.class)
@JsonDeserialize(as = ImmutableLoadBalancerInstance.class)
public abstract class LoadBalancerInstance implements WithLoadBalancerInstance {

  /** Id, unique among load balancers; part of the node name. */
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

  /** VRRP priority; the highest live one holds the VIP. */
  public abstract Optional<Integer> priority();

  /** A load balancer with only an id and a host; the rest comes from its group's defaults. */
  public static LoadBalancerInstance of(String id, String host) {
    return builder().id(id).host(host).build();
  }

  /** A builder; {@code from(...)} on it copies an existing value. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link LoadBalancerInstance} values. */
  public static final class Builder extends ImmutableLoadBalancerInstance.Builder {}
}
