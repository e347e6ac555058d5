package io.kubitect.core.picture;

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
import io.kubitect.model.KubitectYaml;
import io.kubitect.model.LoadBalancerInstance;
import io.kubitect.model.LoadBalancers;
import io.kubitect.model.Network;
import io.kubitect.model.NetworkMode;
import io.kubitect.model.NodeGroup;
import io.kubitect.model.NodeInstance;
import io.kubitect.model.NodeTemplate;
import io.kubitect.model.Nodes;
import io.kubitect.model.OperatingSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Specifications the picture tests draw, and where the repository's files are. */
final class PictureSpecs {
  private PictureSpecs() {}

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

  static ClusterSpec example(String file) {
    return KubitectYaml.read(repositoryRoot().resolve("examples").resolve(file));
  }

  static Host local(String name) {
    return Host.builder()
        .name(name)
        .connection(Connection.builder().type(ConnectionType.LOCAL).build())
        .build();
  }

  static Host remote(String name, String ip) {
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

  static LoadBalancerInstance lb(String id, String host, String ip) {
    return LoadBalancerInstance.builder().id(id).host(host).ip(ip).build();
  }

  static NodeInstance node(String id, String host, String ip) {
    return NodeInstance.builder().id(id).host(host).ip(ip).build();
  }

  /**
   * A bridged cluster {@code pic} on 10.10.0.0/20 with the given hosts and nodes: load balancers at
   * 10.10.13.20x with VIP 10.10.13.200 when there are several, masters at 10.10.13.1x, workers at
   * 10.10.13.3x; the hosts are remote h1, h2, ... unless named in {@code hostNames}.
   */
  static ClusterSpec cluster(
      List<String> hostNames,
      List<String> lbHosts,
      List<String> masterHosts,
      List<String> workers) {
    List<Host> hosts = new ArrayList<>();
    for (int i = 0; i < hostNames.size(); i++) {
      hosts.add(remote(hostNames.get(i), "10.10.0." + (i + 5)));
    }
    LoadBalancers.Builder lbs = LoadBalancers.builder();
    for (int i = 0; i < lbHosts.size(); i++) {
      lbs.addInstances(lb(String.valueOf(i + 1), lbHosts.get(i), "10.10.13." + (201 + i)));
    }
    if (lbHosts.size() > 1) {
      lbs.vip("10.10.13.200");
    }
    NodeGroup.Builder masters = NodeGroup.builder();
    for (int i = 0; i < masterHosts.size(); i++) {
      masters.addInstances(node(String.valueOf(i + 1), masterHosts.get(i), "10.10.13." + (10 + i)));
    }
    NodeGroup.Builder workerGroup = NodeGroup.builder();
    for (int i = 0; i < workers.size(); i++) {
      workerGroup.addInstances(node(String.valueOf(i + 1), workers.get(i), "10.10.13." + (30 + i)));
    }
    return ClusterSpec.builder()
        .hosts(hosts)
        .cluster(
            Cluster.builder()
                .name("pic")
                .network(bridged("10.10.0.0/20"))
                .nodeTemplate(template())
                .nodes(
                    Nodes.builder()
                        .loadBalancer(lbs.build())
                        .master(masters.build())
                        .worker(workerGroup.build())
                        .build())
                .build())
        .kubernetes(Kubernetes.builder().version("v1.33.4").build())
        .build();
  }

  static Network bridged(String cidr) {
    return Network.builder().mode(NetworkMode.BRIDGE).cidr(cidr).bridge("br0").build();
  }

  static NodeTemplate template() {
    return NodeTemplate.builder()
        .user("k8s")
        .os(OperatingSystem.builder().distro(Distro.UBUNTU22).build())
        .build();
  }

  /**
   * Twenty hosts {@code rack01..rack20}: two load balancers (rack01, rack02) behind a VIP, five
   * masters (rack03..rack07), 34 workers over rack03..rack19 (two per host, the odd ones with a
   * data disk, every fifth on DHCP, rack08's bigger), and rack20 empty (spare capacity).
   */
  static ClusterSpec twentyHosts() {
    List<Host> hosts = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      hosts.add(remote(rack(i), "10.20.0." + (10 + i)));
    }
    NodeGroup.Builder masters = NodeGroup.builder();
    for (int i = 1; i <= 5; i++) {
      masters.addInstances(
          NodeInstance.builder()
              .id(String.valueOf(i))
              .host(rack(i + 2))
              .ip("10.20.1." + (10 + i))
              .cpu(4)
              .ram(8)
              .build());
    }
    NodeGroup.Builder workers = NodeGroup.builder();
    int id = 1;
    for (int host = 3; host <= 19; host++) {
      for (int k = 0; k < 2; k++, id++) {
        NodeInstance.Builder worker =
            NodeInstance.builder().id(String.valueOf(id)).host(rack(host));
        if (id % 5 != 0) {
          worker.ip("10.20.2." + (10 + id));
        }
        if (id % 2 == 1) {
          worker.addDataDisks(DataDisk.builder().name("rook").pool("data-pool").size(256).build());
        }
        if (host == 8) {
          worker.cpu(16).ram(64).mainDiskSize(200);
          worker.addDataDisks(DataDisk.builder().name("scratch").size(100).build());
        }
        workers.addInstances(worker.build());
      }
    }
    return ClusterSpec.builder()
        .hosts(hosts)
        .cluster(
            Cluster.builder()
                .name("fleet")
                .network(bridged("10.20.0.0/16"))
                .nodeTemplate(template())
                .nodes(
                    Nodes.builder()
                        .loadBalancer(
                            LoadBalancers.builder()
                                .vip("10.20.0.200")
                                .addInstances(
                                    LoadBalancerInstance.builder()
                                        .id("1")
                                        .host(rack(1))
                                        .ip("10.20.0.201")
                                        .priority(20)
                                        .build(),
                                    lb("2", rack(2), "10.20.0.202"))
                                .build())
                        .master(masters.build())
                        .worker(workers.build())
                        .build())
                .build())
        .kubernetes(Kubernetes.builder().version("v1.33.4").build())
        .build();
  }

  /**
   * Three hosts where h3 holds two of the three masters and both load balancers, so losing it stops
   * the control plane and takes down the VIP; a worker on DHCP with a data disk in the main pool.
   */
  static ClusterSpec warned() {
    ClusterSpec spec =
        cluster(
            List.of("h1", "h2", "h3"), List.of("h3", "h3"), List.of("h3", "h3", "h1"), List.of());
    return spec.withCluster(
        spec.cluster()
            .withNodes(
                spec.cluster()
                    .nodes()
                    .withWorker(
                        NodeGroup.builder()
                            .addInstances(
                                NodeInstance.builder()
                                    .id("1")
                                    .host("h2")
                                    .addDataDisks(DataDisk.builder().name("logs").size(20).build())
                                    .build())
                            .build())));
  }

  private static String rack(int i) {
    return String.format(Locale.ROOT, "rack%02d", i);
  }
}
