package io.kubitect.libvirt.internal;

import io.kubitect.core.spi.ClusterNetwork;
import io.kubitect.core.spi.HostLayout;
import io.kubitect.core.spi.Node;
import io.kubitect.core.spi.NodeAccess;
import io.kubitect.core.spi.Topology;
import io.kubitect.model.Ipv4Network;
import io.kubitect.model.NetworkMode;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves a topology into one {@link HostPlan} per host, with Kubitect's resource names (reference
 * §3.4): pools {@code <cluster>-main-resource-pool} and {@code
 * <cluster>-<pool>-data-resource-pool}, network {@code <cluster>-network}, volumes {@code
 * base_volume}, {@code <vm>-main-disk}, {@code <vm>-<disk>-data-disk} and {@code
 * <vm>-cloud-init.iso}.
 */
final class Layout {
  static final String BASE_VOLUME = "base_volume";
  static final long GIB = 1024L * 1024 * 1024;

  private Layout() {}

  /** The network name of a cluster. */
  static String networkName(String cluster) {
    return cluster + "-network";
  }

  static String mainPoolName(String cluster) {
    return cluster + "-main-resource-pool";
  }

  static String dataPoolName(String cluster, String pool) {
    return cluster + "-" + pool + "-data-resource-pool";
  }

  static String mainDiskName(String vm) {
    return vm + "-main-disk";
  }

  static String dataDiskName(String vm, String disk) {
    return vm + "-" + disk + "-data-disk";
  }

  static String cloudInitName(String vm) {
    return vm + "-cloud-init.iso";
  }

  /**
   * The plans of every host of the topology, in the specification's host order ({@code home}
   * replaces a leading {@code ~} in paths).
   */
  static List<HostPlan> of(Topology topology, Path home) {
    String cluster = topology.clusterName();
    ClusterNetwork network = topology.network();
    NetworkMode mode = network.mode();
    Ipv4Network cidr = network.cidr();
    String gateway = network.gateway();
    NodeAccess access = topology.nodeAccess();
    String user = access.user();
    String image = expand(topology.image().source(), home);
    String nic = access.networkInterface();
    List<String> dns = network.dns();
    // The overlays' backing format: a local image says what it is; the presets' URLs are qcow2.
    String baseFormat =
        !BaseImage.isUrl(image) && java.nio.file.Files.isRegularFile(Path.of(image))
            ? BaseImage.probe(Path.of(image)).format()
            : "qcow2";

    List<Map.Entry<String, Optional<String>>> named = new ArrayList<>();
    for (Node node : topology.nodes()) {
      named.add(new AbstractMap.SimpleImmutableEntry<>(node.name(), node.mac()));
    }
    Map<String, String> macs = MacAddresses.assign(cluster, named);
    // every host's nodes in topology order, in one pass (not one scan of all nodes per host)
    Map<String, List<Node>> nodesByHost = new LinkedHashMap<>();
    for (Node node : topology.nodes()) {
      nodesByHost.computeIfAbsent(node.host(), h -> new ArrayList<>()).add(node);
    }

    List<HostPlan> hosts = new ArrayList<>();
    for (HostLayout host : topology.hostLayouts()) {
      String hostName = host.name();
      PoolPlan main =
          new PoolPlan(
              mainPoolName(cluster),
              join(expand(host.mainPoolPath(), home), mainPoolName(cluster)));
      Map<String, PoolPlan> dataPools = new LinkedHashMap<>();
      for (HostLayout.DataPool pool : host.dataPools()) {
        String poolName = pool.name();
        dataPools.put(
            poolName,
            new PoolPlan(
                dataPoolName(cluster, poolName),
                join(expand(pool.path(), home), dataPoolName(cluster, poolName))));
      }
      String networkSource =
          network.bridged() ? network.bridge().orElseThrow() : networkName(cluster);
      String basePath = main.path() + "/" + BASE_VOLUME;
      List<VmPlan> vms = new ArrayList<>();
      List<NetworkPlan.DhcpHost> reservations = new ArrayList<>();
      for (Node node : nodesByHost.getOrDefault(hostName, List.of())) {
        String mac = macs.get(node.name());
        if (mac == null) {
          throw new IllegalStateException("no MAC for " + node.name());
        }
        node.ip().ifPresent(ip -> reservations.add(new NetworkPlan.DhcpHost(mac, node.name(), ip)));
        List<VolumePlan> dataDisks = new ArrayList<>();
        for (Node.Disk disk : node.dataDisks()) {
          String diskName = disk.name();
          String poolRef = disk.pool();
          PoolPlan pool = disk.onMainPool() ? main : dataPools.get(poolRef);
          if (pool == null) {
            throw invalid(
                "data disk "
                    + diskName
                    + " of "
                    + node.name()
                    + " names pool "
                    + poolRef
                    + ", which host "
                    + hostName
                    + " does not have");
          }
          dataDisks.add(
              VolumePlan.plain(
                  pool.name(), dataDiskName(node.name(), diskName), disk.sizeGib() * GIB, "qcow2"));
        }
        vms.add(
            new VmPlan(
                node,
                cluster,
                mac,
                node.ip(),
                cidr.prefix(),
                gateway,
                dns,
                user,
                nic,
                topology.image().updateOnBoot(),
                topology.image().cpuMode(),
                mode == NetworkMode.BRIDGE,
                networkSource,
                new VolumePlan(
                    main.name(),
                    mainDiskName(node.name()),
                    node.mainDiskGib() * GIB,
                    "qcow2",
                    Optional.of(basePath),
                    Optional.of(baseFormat)),
                dataDisks,
                VolumePlan.plain(main.name(), cloudInitName(node.name()), 0, "raw")));
      }
      Optional<NetworkPlan> libvirtNetwork = Optional.empty();
      if (mode != NetworkMode.BRIDGE) {
        int gw = Ipv4Network.parseAddress(gateway).orElseThrow(() -> invalid("bad gateway"));
        int start = cidr.host(1) == gw ? cidr.host(2) : cidr.host(1);
        int end = cidr.broadcast() - 1 == gw ? cidr.broadcast() - 2 : cidr.broadcast() - 1;
        libvirtNetwork =
            Optional.of(
                new NetworkPlan(
                    networkName(cluster),
                    mode,
                    gateway,
                    cidr.prefix(),
                    Ipv4Network.format(start),
                    Ipv4Network.format(end),
                    reservations));
      }
      hosts.add(
          new HostPlan(
              hostName,
              cluster,
              main,
              List.copyOf(dataPools.values()),
              libvirtNetwork,
              mode == NetworkMode.BRIDGE ? Optional.of(networkSource) : Optional.empty(),
              image,
              new VolumePlan(
                  main.name(), BASE_VOLUME, 0, "qcow2", Optional.empty(), Optional.empty()),
              vms,
              List.of()));
    }
    return hosts;
  }

  /** {@code ~} or {@code ~/x} becomes the home directory; other text is kept. */
  static String expand(String path, Path home) {
    if (path.equals("~")) {
      return home.toString();
    }
    if (path.startsWith("~/")) {
      return home.resolve(path.substring(2)).toString();
    }
    return path;
  }

  private static String join(String dir, String name) {
    String trimmed = dir;
    while (trimmed.length() > 1 && trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    return trimmed.equals("/") ? "/" + name : trimmed + "/" + name;
  }

  private static IllegalArgumentException invalid(String what) {
    return new IllegalArgumentException(what + ": validate the specification first");
  }
}
