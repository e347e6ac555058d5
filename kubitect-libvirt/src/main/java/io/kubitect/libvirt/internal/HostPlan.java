package io.kubitect.libvirt.internal;

import java.util.List;
import java.util.Optional;

/**
 * What the cluster wants on one host: its pools, its network (nat/route) or the bridge it attaches
 * to, the base image, and its VMs.
 *
 * @param network the libvirt network to create, empty in bridge mode
 * @param bridge the existing bridge to attach to, in bridge mode
 * @param imageSource the OS image: an http(s) URL or a local path ({@code ~} expanded)
 * @param baseVolume the base image volume in the main pool; capacity known once the image is read
 * @param retiredPools data pools the applied topology had on this host and this one has not:
 *     removed once the VMs no longer use them
 */
record HostPlan(
    String name,
    String cluster,
    PoolPlan mainPool,
    List<PoolPlan> dataPools,
    Optional<NetworkPlan> network,
    Optional<String> bridge,
    String imageSource,
    VolumePlan baseVolume,
    List<VmPlan> vms,
    List<PoolPlan> retiredPools) {

  HostPlan {
    dataPools = List.copyOf(dataPools);
    vms = List.copyOf(vms);
    retiredPools = List.copyOf(retiredPools);
  }

  /** This plan, with the data pools of {@code applied} (the same host, applied last) it lacks. */
  HostPlan retiring(HostPlan applied) {
    List<String> kept = dataPools.stream().map(PoolPlan::name).toList();
    List<PoolPlan> gone =
        applied.dataPools().stream().filter(p -> !kept.contains(p.name())).toList();
    return new HostPlan(
        name, cluster, mainPool, dataPools, network, bridge, imageSource, baseVolume, vms, gone);
  }

  /** Every pool: main first, then the data pools. */
  List<PoolPlan> pools() {
    List<PoolPlan> all = new java.util.ArrayList<>();
    all.add(mainPool);
    all.addAll(dataPools);
    return all;
  }
}
