package io.kubitect.model;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.List;
import org.immutables.value.Value;

/** The whole cluster specification: the root of Kubitect's YAML. */
@Value.Immutable
@JsonSerialize(as = ImmutableClusterSpec.class)
@JsonDeserialize(as = ImmutableClusterSpec.class)
public abstract class ClusterSpec implements WithClusterSpec {

  /** Physical hosts that run the node VMs. */
  public abstract List<Host> hosts();

  /** The cluster: name, network, node template and nodes. */
  @Value.Default
  public Cluster cluster() {
    return Cluster.builder().build();
  }

  /** Kubernetes version and installer settings. */
  @Value.Default
  public Kubernetes kubernetes() {
    return Kubernetes.builder().build();
  }

  /** Optional add-ons. */
  @Value.Default
  public Addons addons() {
    return Addons.builder().build();
  }

  /**
   * Kubitect v2's project section (the Kubitect repository and version its CLI cloned). Read and
   * carried, with no effect: this SDK brings its own provisioning. {@link #resolveDefaults()} drops
   * it.
   */
  @Value.Default
  public KubitectProject kubitect() {
    return KubitectProject.builder().build();
  }

  /**
   * This specification with every default written out (reference §1.3, with the differences listed
   * in {@link SpecDefaults}). Idempotent; never fails, invalid values stay for the validator.
   */
  public final ClusterSpec resolveDefaults() {
    return SpecDefaults.resolve(this);
  }

  /**
   * This specification with {@code worker} appended to the workers. This and the other {@code
   * with}/{@code without} methods for nodes return a changed copy, not validated.
   *
   * @throws IllegalArgumentException when {@code worker} has no id or a worker already has its id
   */
  public final ClusterSpec withWorker(NodeInstance worker) {
    return Scaling.withWorker(this, worker);
  }

  /**
   * This specification with {@code master} appended to the masters.
   *
   * @throws IllegalArgumentException when {@code master} has no id or a master already has its id
   */
  public final ClusterSpec withMaster(NodeInstance master) {
    return Scaling.withMaster(this, master);
  }

  /**
   * This specification with {@code loadBalancer} appended to the load balancers.
   *
   * @throws IllegalArgumentException when {@code loadBalancer} has no id or a load balancer already
   *     has its id
   */
  public final ClusterSpec withLoadBalancer(LoadBalancerInstance loadBalancer) {
    return Scaling.withLoadBalancer(this, loadBalancer);
  }

  /**
   * This specification without the worker with this id. Ids are compared as text: {@code "01"} is
   * not {@code "1"}.
   *
   * @throws IllegalArgumentException when no worker has this id
   */
  public final ClusterSpec withoutWorker(String id) {
    return Scaling.withoutWorker(this, id);
  }

  /**
   * This specification without the master with this id.
   *
   * @throws IllegalArgumentException when no master has this id
   */
  public final ClusterSpec withoutMaster(String id) {
    return Scaling.withoutMaster(this, id);
  }

  /**
   * This specification without the load balancer with this id.
   *
   * @throws IllegalArgumentException when no load balancer has this id
   */
  public final ClusterSpec withoutLoadBalancer(String id) {
    return Scaling.withoutLoadBalancer(this, id);
  }

  /**
   * This specification without the node of this name: {@code <cluster>-lb-<id>}, {@code
   * <cluster>-master-<id>} or {@code <cluster>-worker-<id>}, with this specification's {@code
   * cluster.name}, as the VMs are named.
   *
   * @throws IllegalArgumentException when the name is not of that form, or names no node
   */
  public final ClusterSpec withoutNode(String nodeName) {
    return Scaling.withoutNode(this, nodeName);
  }

  /** A builder; {@code from(...)} on it copies an existing value. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link ClusterSpec} values. */
  public static final class Builder extends ImmutableClusterSpec.Builder {}
}
