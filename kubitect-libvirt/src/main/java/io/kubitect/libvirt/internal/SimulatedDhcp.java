package io.kubitect.libvirt.internal;

import io.kubitect.core.spi.ClusterNetwork;
import io.kubitect.core.spi.Node;
import io.kubitect.core.spi.Topology;
import io.kubitect.model.Ipv4Network;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * The DHCP servers behind simulated hosts, so that a node without a static address gets one as it
 * would on a real host, and the provisioner reads it the same way ({@link Hypervisor#addresses}).
 *
 * <p>Two kinds of segment hand out leases:
 *
 * <ul>
 *   <li>a host's libvirt network (nat, route): its dnsmasq, configured by the network definition
 *       the SDK renders ({@link NetworkXml}): the DHCP range, never the network's own address (the
 *       gateway), never an address reserved by a {@code <host>} element;
 *   <li>the LAN behind a bridge (bridge mode), one for all hosts attached to a bridge of that name:
 *       its DHCP server is assumed to serve the cluster's CIDR without the network and broadcast
 *       addresses, the gateway, the static addresses of the cluster's nodes and the virtual IP.
 * </ul>
 *
 * <p>An address is chosen the way dnsmasq chooses one: the SDBM hash of the MAC's six bytes picks
 * the first candidate in the range ({@code start + hash % size}), then the next free address is
 * taken, wrapping at the end of the range; addresses ending in {@code .0} or {@code .255} are
 * skipped in 192.0.0.0/3 (dnsmasq's "class C" rule). Free means: not the server's, not reserved,
 * not leased, and (unlike separate real DHCP servers, which know nothing of each other) not the
 * address of any other node of the cluster, static or leased, on whatever host.
 *
 * <p>{@link #prepare} hands out the leases of an apply before any host is worked on, in topology
 * order (load balancers, masters, workers, each in specification order), as if the VMs had booted
 * one after another: the same specification gets the same addresses on every run and machine. A
 * node keeps its lease for as long as these servers live (the provisioner's simulated hosts),
 * whatever nodes are added or removed; a node removed from the specification frees its lease.
 * {@link #forget} drops a destroyed cluster's leases. Thread-safe.
 */
final class SimulatedDhcp {
  private record Lease(int address, String cluster) {}

  /** Leases by segment, then by MAC. */
  private final Map<String, Map<String, Lease>> leases = new HashMap<>();

  /** Static addresses of bridged nodes by segment, then MAC: what their guest agent reports. */
  private final Map<String, Map<String, Lease>> fixed = new HashMap<>();

  /** The segment of a host's libvirt network. */
  static String networkSegment(String host, String network) {
    return "network " + network + " on host " + host;
  }

  /** The segment of the LAN behind a bridge (the same for every host). */
  static String bridgeSegment(String bridge) {
    return "LAN of bridge " + bridge;
  }

  /**
   * Where addresses come from in one segment, and which are never handed out there ({@code
   * reservedBy}: the MACs each reserved address is reserved for).
   */
  private record Pool(
      int server, List<NetworkXml.Dhcp.Range> ranges, Map<Integer, Set<String>> reservedBy) {
    static Pool of(int server, List<NetworkXml.Dhcp.Range> ranges, Map<String, Integer> reserved) {
      Map<Integer, Set<String>> by = new HashMap<>();
      reserved.forEach(
          (mac, address) -> by.computeIfAbsent(address, a -> new HashSet<>()).add(mac));
      return new Pool(server, ranges, by);
    }
  }

  /** A lease as the index of leased addresses holds it. */
  private record Holder(String segment, String mac, String cluster) {}

  private record Client(String mac, String segment, Pool pool) {}

  /**
   * Hands out the leases of an apply of {@code topology} (laid out as {@code plans}): frees the
   * cluster's leases of nodes that are gone, have a static address now, or moved to another
   * segment, then gives every node without a static address its lease, kept when it has one. A node
   * gets none when its range has no free address left.
   */
  synchronized void prepare(Topology topology, List<HostPlan> plans) {
    String cluster = topology.clusterName();
    ClusterNetwork network = topology.network();
    Map<String, VmPlan> vms = new HashMap<>();
    Map<String, HostPlan> hostOf = new HashMap<>();
    for (HostPlan plan : plans) {
      for (VmPlan vm : plan.vms()) {
        vms.put(vm.name(), vm);
        hostOf.put(vm.name(), plan);
      }
    }
    Set<Integer> statics = new HashSet<>();
    for (Node node : topology.nodes()) {
      node.ip().flatMap(Ipv4Network::parseAddress).ifPresent(statics::add);
    }
    Map<String, Pool> networkPools = new HashMap<>();
    List<Client> clients = new ArrayList<>();
    Map<String, String> segmentOf = new HashMap<>();
    fixed.values().forEach(t -> t.values().removeIf(l -> l.cluster().equals(cluster)));
    for (Node node : topology.nodes()) {
      VmPlan vm = vms.get(node.name());
      HostPlan plan = hostOf.get(node.name());
      if (vm == null || plan == null) {
        continue;
      }
      String segment;
      Pool pool;
      if (vm.bridged()) {
        segment = bridgeSegment(vm.networkSource());
        pool = lanPool(network, topology.loadBalancing().vip());
      } else {
        NetworkPlan libvirtNetwork = plan.network().orElseThrow();
        segment = networkSegment(plan.name(), libvirtNetwork.name());
        pool =
            networkPools.computeIfAbsent(
                segment,
                s -> {
                  NetworkXml.Dhcp dhcp =
                      NetworkXml.dhcp(NetworkXml.render(libvirtNetwork, Optional.empty()));
                  return Pool.of(dhcp.server(), dhcp.ranges(), dhcp.reservations());
                });
      }
      Optional<Integer> address = vm.staticIp().flatMap(Ipv4Network::parseAddress);
      if (address.isPresent()) {
        if (vm.bridged()) {
          fixed
              .computeIfAbsent(segment, s -> new HashMap<>())
              .put(vm.mac(), new Lease(address.get(), cluster));
        }
        continue;
      }
      clients.add(new Client(vm.mac(), segment, pool));
      segmentOf.put(vm.mac(), segment);
    }
    // Free the cluster's leases that no node asks for any more where they are.
    for (Map.Entry<String, Map<String, Lease>> segment : leases.entrySet()) {
      segment
          .getValue()
          .entrySet()
          .removeIf(
              e ->
                  e.getValue().cluster().equals(cluster)
                      && !segment.getKey().equals(segmentOf.get(e.getKey())));
    }
    // Every lease by address, so that whether an address is free costs the same however many
    // nodes hold leases (a scan of all leases per candidate made 1,000 nodes quadratic).
    Map<Integer, List<Holder>> leased = new HashMap<>();
    leases.forEach(
        (segment, table) ->
            table.forEach(
                (mac, lease) ->
                    leased
                        .computeIfAbsent(lease.address(), a -> new ArrayList<>())
                        .add(new Holder(segment, mac, lease.cluster()))));
    for (Client client : clients) {
      Map<String, Lease> table = leases.computeIfAbsent(client.segment(), s -> new HashMap<>());
      IntPredicate free = address -> isFree(address, client, cluster, statics, leased);
      Lease held = table.get(client.mac());
      if (held != null && inRange(held.address(), client.pool()) && free.test(held.address())) {
        continue;
      }
      Lease dropped = table.remove(client.mac());
      if (dropped != null) {
        leased
            .getOrDefault(dropped.address(), new ArrayList<>())
            .remove(new Holder(client.segment(), client.mac(), dropped.cluster()));
      }
      OptionalInt chosen = choose(client.mac(), client.pool().ranges(), free);
      if (chosen.isPresent()) {
        table.put(client.mac(), new Lease(chosen.getAsInt(), cluster));
        leased
            .computeIfAbsent(chosen.getAsInt(), a -> new ArrayList<>())
            .add(new Holder(client.segment(), client.mac(), cluster));
      }
    }
  }

  /** Whether {@code address} may be leased to {@code client}. */
  private static boolean isFree(
      int address,
      Client client,
      String cluster,
      Set<Integer> statics,
      Map<Integer, List<Holder>> leased) {
    if (address == client.pool().server() || statics.contains(address)) {
      return false;
    }
    for (String mac : client.pool().reservedBy().getOrDefault(address, Set.of())) {
      if (!mac.equals(client.mac())) {
        return false;
      }
    }
    for (Holder holder : leased.getOrDefault(address, List.of())) {
      if (!holder.mac().equals(client.mac())
          && (holder.segment().equals(client.segment()) || holder.cluster().equals(cluster))) {
        return false;
      }
    }
    return true;
  }

  private static boolean inRange(int address, Pool pool) {
    long a = Integer.toUnsignedLong(address);
    for (NetworkXml.Dhcp.Range range : pool.ranges()) {
      if (a >= Integer.toUnsignedLong(range.start()) && a <= Integer.toUnsignedLong(range.end())) {
        return true;
      }
    }
    return false;
  }

  /** The LAN's pool in bridge mode: the CIDR's hosts; never the gateway, nor the VIP. */
  private static Pool lanPool(ClusterNetwork network, Optional<String> vip) {
    Ipv4Network cidr = network.cidr();
    int gateway = Ipv4Network.parseAddress(network.gateway()).orElse(cidr.host(1));
    List<NetworkXml.Dhcp.Range> ranges = new ArrayList<>();
    long first = Integer.toUnsignedLong(cidr.host(1));
    long last = Integer.toUnsignedLong(cidr.broadcast()) - 1;
    if (first <= last) {
      ranges.add(new NetworkXml.Dhcp.Range((int) first, (int) last));
    }
    Map<String, Integer> reserved = new LinkedHashMap<>();
    vip.flatMap(Ipv4Network::parseAddress).ifPresent(a -> reserved.put("(virtual IP)", a));
    return Pool.of(gateway, ranges, reserved);
  }

  /**
   * dnsmasq's choice for a MAC: the SDBM hash of its bytes picks the first candidate of a range,
   * then the next address {@code free} accepts, wrapping within the range; ranges in order. Empty
   * when no range has a free address.
   */
  static OptionalInt choose(String mac, List<NetworkXml.Dhcp.Range> ranges, IntPredicate free) {
    String hex = mac.replaceAll("[^0-9A-Fa-f]", "");
    int hash = 0;
    for (int i = 0; i + 1 < hex.length(); i += 2) {
      int b = Integer.parseInt(hex.substring(i, i + 2), 16);
      hash = b + (hash << 6) + (hash << 16) - hash;
    }
    if (hash == 0) {
      hash = 1;
    }
    for (NetworkXml.Dhcp.Range range : ranges) {
      long start = Integer.toUnsignedLong(range.start());
      long end = Integer.toUnsignedLong(range.end());
      if (start > end) {
        continue;
      }
      long first = start + Integer.toUnsignedLong(hash) % (end - start + 1);
      long candidate = first;
      do {
        int address = (int) candidate;
        if (!classCEdge(address) && free.test(address)) {
          return OptionalInt.of(address);
        }
        candidate = candidate == end ? start : candidate + 1;
      } while (candidate != first);
    }
    return OptionalInt.empty();
  }

  /** dnsmasq never hands out x.y.z.0 or x.y.z.255 in 192.0.0.0/3 (Windows clients choke). */
  private static boolean classCEdge(int address) {
    int last = address & 0xff;
    return (address & 0xe0000000) == 0xc0000000 && (last == 0 || last == 0xff);
  }

  /** The address leased (or, bridged, fixed) to {@code mac} in {@code segment}. */
  synchronized Optional<String> address(String segment, String mac) {
    Lease lease = leases.getOrDefault(segment, Map.of()).get(mac);
    if (lease != null) {
      return Optional.of(Ipv4Network.format(lease.address()));
    }
    Lease address = fixed.getOrDefault(segment, Map.of()).get(mac);
    return address == null ? Optional.empty() : Optional.of(Ipv4Network.format(address.address()));
  }

  /** Drops every lease of a destroyed cluster. */
  synchronized void forget(String cluster) {
    leases.values().forEach(t -> t.values().removeIf(l -> l.cluster().equals(cluster)));
    fixed.values().forEach(t -> t.values().removeIf(l -> l.cluster().equals(cluster)));
  }
}
