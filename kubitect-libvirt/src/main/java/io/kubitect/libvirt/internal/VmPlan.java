package io.kubitect.libvirt.internal;

import io.kubitect.core.spi.Node;
import io.kubitect.model.CpuMode;
import java.util.List;
import java.util.Optional;

/**
 * One node's VM on its host, resolved: everything the domain XML, the volumes and the cloud-init
 * files are rendered from.
 *
 * @param networkSource the libvirt network name, or the bridge name when {@code bridged}
 * @param staticIp the node's address when the specification gives one
 * @param prefix prefix length of the cluster network
 * @param interfaceName the name the guest gives the NIC (set-name in network-config)
 */
record VmPlan(
    Node node,
    String cluster,
    String mac,
    Optional<String> staticIp,
    int prefix,
    String gateway,
    List<String> dns,
    String user,
    String interfaceName,
    boolean updateOnBoot,
    CpuMode cpuMode,
    boolean bridged,
    String networkSource,
    VolumePlan mainDisk,
    List<VolumePlan> dataDisks,
    VolumePlan cloudInit) {

  VmPlan {
    dns = List.copyOf(dns);
    dataDisks = List.copyOf(dataDisks);
  }

  String name() {
    return node.name();
  }

  String host() {
    return node.host();
  }

  /** The disks the guest boots from and stores data on: main disk, then data disks. */
  List<VolumePlan> disks() {
    List<VolumePlan> all = new java.util.ArrayList<>();
    all.add(mainDisk);
    all.addAll(dataDisks);
    return all;
  }

  /** Every volume of the VM: main disk, data disks, cloud-init ISO. */
  List<VolumePlan> volumes() {
    List<VolumePlan> all = new java.util.ArrayList<>();
    all.add(mainDisk);
    all.addAll(dataDisks);
    all.add(cloudInit);
    return all;
  }
}
