package io.kubitect.examples;

import io.kubitect.core.SpecValidator;
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
import io.kubitect.model.Kubespray;
import io.kubitect.model.LoadBalancerInstance;
import io.kubitect.model.LoadBalancers;
import io.kubitect.model.Network;
import io.kubitect.model.NetworkMode;
import io.kubitect.model.NodeGroup;
import io.kubitect.model.NodeInstance;
import io.kubitect.model.NodeSsh;
import io.kubitect.model.NodeTemplate;
import io.kubitect.model.Nodes;
import io.kubitect.model.OperatingSystem;

/**
 * The seed's highly available cluster (examples/ha.yaml) written with the builders: two load
 * balancers, three masters and three workers with Rook data disks, spread over five hosts on a
 * bridged LAN. {@code HaClusterExampleTest} keeps it equal to the YAML file.
 */
public final class HaClusterExample {
  private HaClusterExample() {}

  /** Builds the specification. */
  public static ClusterSpec spec() {
    ClusterSpec.Builder spec = ClusterSpec.builder();
    for (int i = 1; i <= 5; i++) {
      Host.Builder host =
          Host.builder()
              .name("host" + i)
              .connection(
                  Connection.builder()
                      .type(ConnectionType.REMOTE)
                      .user("kubitect")
                      .ip(
                          new String[] {
                                "10.10.0.5", "10.10.0.6", "10.10.0.10", "10.10.0.11", "10.10.0.12"
                              }
                              [i - 1])
                      .ssh(HostSsh.builder().keyfile("~/.ssh/id_rsa_ha").build())
                      .build());
      if (i >= 3) {
        host.addDataResourcePool(
            DataResourcePool.builder().name("data-pool").path("/mnt/libvirt/pools/").build());
      }
      spec.addHost(host.build());
    }
    NodeGroup.Builder masters = NodeGroup.builder();
    NodeGroup.Builder workers = NodeGroup.builder();
    for (int i = 1; i <= 3; i++) {
      masters.addInstance(
          NodeInstance.builder()
              .id(String.valueOf(i))
              .ip("10.10.13." + (9 + i))
              .host("host" + (i + 2))
              .build());
      workers.addInstance(
          NodeInstance.builder()
              .id(String.valueOf(i))
              .ip("10.10.13." + (19 + i))
              .host("host" + (i + 2))
              .addDataDisk(DataDisk.builder().name("rook").pool("data-pool").size(512).build())
              .build());
    }
    return spec.cluster(
            Cluster.builder()
                .name("kubitect-ha")
                .network(
                    Network.builder()
                        .mode(NetworkMode.BRIDGE)
                        .cidr("10.10.0.0/20")
                        .bridge("br0")
                        .build())
                .nodeTemplate(
                    NodeTemplate.builder()
                        .user("k8s")
                        .updateOnBoot(true)
                        .ssh(NodeSsh.builder().addToKnownHosts(true).build())
                        .os(OperatingSystem.builder().distro(Distro.UBUNTU).build())
                        .build())
                .nodes(
                    Nodes.builder()
                        .loadBalancer(
                            LoadBalancers.builder()
                                .vip("10.10.13.200")
                                .addInstance(
                                    LoadBalancerInstance.builder()
                                        .id("1")
                                        .ip("10.10.13.201")
                                        .host("host1")
                                        .build())
                                .addInstance(
                                    LoadBalancerInstance.builder()
                                        .id("2")
                                        .ip("10.10.13.202")
                                        .host("host2")
                                        .build())
                                .build())
                        .master(masters.build())
                        .worker(workers.build())
                        .build())
                .build())
        .kubernetes(
            Kubernetes.builder()
                .version("v1.23.7")
                .kubespray(Kubespray.builder().version("v2.19.0").build())
                .build())
        .build();
  }

  /** Prints what the validator says about the specification. */
  public static void main(String[] args) {
    SpecValidator.validate(spec()).violations().forEach(System.out::println);
  }
}
