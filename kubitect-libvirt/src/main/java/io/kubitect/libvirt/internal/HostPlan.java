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
    List<VmPlan> vms) {

  HostPlan {
    dataPools = List.copyOf(dataPools);
    vms = List.copyOf(vms);
  }

  /** Every pool: main first, then the data pools. */
  List<PoolPlan> pools() {
    List<PoolPlan> all = new java.util.ArrayList<>();
    all.add(mainPool);
    all.addAll(dataPools);
    return all;
  }
}
