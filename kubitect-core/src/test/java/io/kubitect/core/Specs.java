package io.kubitect.core;

import io.kubitect.model.Cluster;
import io.kubitect.model.ClusterSpec;
import io.kubitect.model.Connection;
import io.kubitect.model.ConnectionType;
import io.kubitect.model.DataDisk;
import io.kubitect.model.DataResourcePool;
import io.kubitect.model.Distro;
import io.kubitect.model.Host;
import io.kubitect.model.HostSsh;
import io.kubitect.model.Kubernetes;
import io.kubitect.model.LoadBalancerInstance;
import io.kubitect.model.LoadBalancers;
import io.kubitect.model.Network;
import io.kubitect.model.NetworkMode;
import io.kubitect.model.NodeGroup;
import io.kubitect.model.NodeInstance;
import io.kubitect.model.NodeTemplate;
import io.kubitect.model.Nodes;
import io.kubitect.model.OperatingSystem;
import io.kubitect.model.Rook;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A valid specification with no violation at all, and copy-and-change helpers that reach into it.
 *
 * <p>Hosts: {@code h1} local (the default host, no data pools), {@code h2} and {@code h3} remote
 * with a data pool {@code data-pool}. Bridge network {@code 10.10.0.0/20}. Load balancers 1 and 2
 * on h1 and h2 with VIP {@code 10.10.13.200}; masters 1, 2, 3 on h1, h2, h3; workers 1 and 2 on h2
 * and h3, each with a data disk in {@code data-pool} and the label {@code disk: ssd}.
 */
final class Specs {
  private Specs() {}

  static ClusterSpec valid() {
    return ClusterSpec.builder()
        .addHosts(
            Host.builder()
                .name("h1")
                .connection(Connection.builder().type(ConnectionType.LOCAL).build())
                .build(),
            remoteHost("h2", "10.10.0.5"),
            remoteHost("h3", "10.10.0.6"))
        .cluster(
            Cluster.builder()
                .name("k8s")
                .network(
                    Network.builder()
                        .mode(NetworkMode.BRIDGE)
                        .cidr("10.10.0.0/20")
                        .bridge("br0")
                        .build())
                .nodeTemplate(
                    NodeTemplate.builder()
                        .user("k8s")
                        .os(OperatingSystem.builder().distro(Distro.UBUNTU22).build())
                        .build())
                .nodes(
                    Nodes.builder()
                        .loadBalancer(
                            LoadBalancers.builder()
                                .vip("10.10.13.200")
                                .addInstances(
                                    lbInstance("1", "h1", "10.10.13.201"),
                                    lbInstance("2", "h2", "10.10.13.202"))
                                .build())
                        .master(
                            NodeGroup.builder()
                                .addInstances(
                                    instance("1", "h1", "10.10.13.10"),
                                    instance("2", "h2", "10.10.13.11"),
                                    instance("3", "h3", "10.10.13.12"))
                                .build())
                        .worker(
                            NodeGroup.builder()
                                .addInstances(
                                    storageWorker("1", "h2", "10.10.13.20"),
                                    storageWorker("2", "h3", "10.10.13.21"))
                                .build())
                        .build())
                .build())
        .kubernetes(Kubernetes.builder().version("v1.33.4").build())
        .build();
  }

  static Host remoteHost(String name, String ip) {
    return Host.builder()
        .name(name)
        .connection(
            Connection.builder()
                .type(ConnectionType.REMOTE)
                .ip(ip)
                .user("kubitect")
                .ssh(HostSsh.builder().keyfile("~/.ssh/id_rsa").build())
                .build())
        .addDataResourcePools(
            DataResourcePool.builder().name("data-pool").path("/mnt/pools/").build())
        .build();
  }

  static LoadBalancerInstance lbInstance(String id, String host, String ip) {
    return LoadBalancerInstance.builder().id(id).host(host).ip(ip).build();
  }

  static NodeInstance instance(String id, String host, String ip) {
    return NodeInstance.builder().id(id).host(host).ip(ip).build();
  }

  static NodeInstance storageWorker(String id, String host, String ip) {
    return NodeInstance.builder()
        .from(instance(id, host, ip))
        .addDataDisks(DataDisk.builder().name("rook").pool("data-pool").size(64).build())
        .putLabel("disk", "ssd")
        .build();
  }

  static ClusterSpec addHost(ClusterSpec s, Host host) {
    List<Host> hosts = new ArrayList<>(s.hosts());
    hosts.add(host);
    return s.withHosts(hosts);
  }

  static ClusterSpec host(ClusterSpec s, int i, UnaryOperator<Host> change) {
    return s.withHosts(set(s.hosts(), i, change));
  }

  static ClusterSpec connection(ClusterSpec s, int i, UnaryOperator<Connection> change) {
    return host(s, i, h -> h.withConnection(change.apply(h.connection())));
  }

  static ClusterSpec hostSsh(ClusterSpec s, int i, UnaryOperator<HostSsh> change) {
    return connection(s, i, c -> c.withSsh(change.apply(c.ssh())));
  }

  static ClusterSpec pool(ClusterSpec s, int i, UnaryOperator<DataResourcePool> change) {
    return host(s, i, h -> h.withDataResourcePools(set(h.dataResourcePools(), 0, change)));
  }

  static ClusterSpec cluster(ClusterSpec s, UnaryOperator<Cluster> change) {
    return s.withCluster(change.apply(s.cluster()));
  }

  static ClusterSpec network(ClusterSpec s, UnaryOperator<Network> change) {
    return cluster(s, c -> c.withNetwork(change.apply(c.network())));
  }

  static ClusterSpec template(ClusterSpec s, UnaryOperator<NodeTemplate> change) {
    return cluster(s, c -> c.withNodeTemplate(change.apply(c.nodeTemplate())));
  }

  static ClusterSpec os(ClusterSpec s, UnaryOperator<OperatingSystem> change) {
    return template(s, t -> t.withOs(change.apply(t.os())));
  }

  static ClusterSpec nodes(ClusterSpec s, UnaryOperator<Nodes> change) {
    return cluster(s, c -> c.withNodes(change.apply(c.nodes())));
  }

  static ClusterSpec lbs(ClusterSpec s, UnaryOperator<LoadBalancers> change) {
    return nodes(s, n -> n.withLoadBalancer(change.apply(n.loadBalancer())));
  }

  static ClusterSpec lb(ClusterSpec s, int i, UnaryOperator<LoadBalancerInstance> change) {
    return lbs(s, l -> l.withInstances(set(l.instances(), i, change)));
  }

  static ClusterSpec masters(ClusterSpec s, UnaryOperator<NodeGroup> change) {
    return nodes(s, n -> n.withMaster(change.apply(n.master())));
  }

  static ClusterSpec master(ClusterSpec s, int i, UnaryOperator<NodeInstance> change) {
    return masters(s, g -> g.withInstances(set(g.instances(), i, change)));
  }

  static ClusterSpec workers(ClusterSpec s, UnaryOperator<NodeGroup> change) {
    return nodes(s, n -> n.withWorker(change.apply(n.worker())));
  }

  static ClusterSpec worker(ClusterSpec s, int i, UnaryOperator<NodeInstance> change) {
    return workers(s, g -> g.withInstances(set(g.instances(), i, change)));
  }

  static ClusterSpec kubernetes(ClusterSpec s, UnaryOperator<Kubernetes> change) {
    return s.withKubernetes(change.apply(s.kubernetes()));
  }

  static ClusterSpec rook(ClusterSpec s, UnaryOperator<Rook> change) {
    return s.withAddons(s.addons().withRook(change.apply(s.addons().rook())));
  }

  static <T> List<T> set(List<T> list, int i, UnaryOperator<T> change) {
    List<T> copy = new ArrayList<>(list);
    copy.set(i, change.apply(copy.get(i)));
    return copy;
  }

  /** The repository root: the nearest directory upwards that holds {@code examples/ha.yaml}. */
  static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.isRegularFile(dir.resolve("examples").resolve("ha.yaml"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("no examples/ha.yaml above " + Path.of("").toAbsolutePath());
  }
}
