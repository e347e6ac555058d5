package io.kubitect.core.loadbalancer;

import io.kubitect.core.spi.InfrastructureStatus;
import io.kubitect.core.spi.Topology;
import io.kubitect.model.Cluster;
import io.kubitect.model.ClusterSpec;
import io.kubitect.model.Connection;
import io.kubitect.model.ConnectionType;
import io.kubitect.model.ForwardPort;
import io.kubitect.model.Host;
import io.kubitect.model.Kubernetes;
import io.kubitect.model.LoadBalancerInstance;
import io.kubitect.model.LoadBalancers;
import io.kubitect.model.Network;
import io.kubitect.model.NetworkMode;
import io.kubitect.model.NodeGroup;
import io.kubitect.model.NodeInstance;
import io.kubitect.model.NodeTemplate;
import io.kubitect.model.Nodes;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Cluster specifications for load-balancer tests: one local host, static addresses. */
public final class LabSpecs {
  private LabSpecs() {}

  /**
   * A spec with load balancers {@code lbs} (IP to priority, in order), masters and workers with the
   * given IPs, and the forwarded ports.
   */
  static ClusterSpec spec(
      String cidr,
      Optional<String> vip,
      Map<String, Integer> lbs,
      List<String> masters,
      List<String> workers,
      List<ForwardPort> forwardPorts) {
    LoadBalancers.Builder lb = LoadBalancers.builder().virtualRouterId(51);
    vip.ifPresent(lb::vip);
    int id = 1;
    for (Map.Entry<String, Integer> e : lbs.entrySet()) {
      lb.addInstances(
          LoadBalancerInstance.builder()
              .id(Integer.toString(id++))
              .ip(e.getKey())
              .priority(e.getValue())
              .build());
    }
    lb.addAllForwardPorts(forwardPorts);
    return ClusterSpec.builder()
        .addHosts(
            Host.builder()
                .name("local")
                .connection(Connection.builder().type(ConnectionType.LOCAL).build())
                .build())
        .cluster(
            Cluster.builder()
                .name("k8s")
                .network(
                    Network.builder().mode(NetworkMode.BRIDGE).cidr(cidr).bridge("br0").build())
                .nodeTemplate(NodeTemplate.builder().user("root").build())
                .nodes(
                    Nodes.builder()
                        .loadBalancer(lb.build())
                        .master(group(masters))
                        .worker(group(workers))
                        .build())
                .build())
        .kubernetes(Kubernetes.builder().version("v1.33.4").build())
        .build();
  }

  private static NodeGroup group(List<String> ips) {
    NodeGroup.Builder group = NodeGroup.builder();
    int id = 1;
    for (String ip : ips) {
      group.addInstances(NodeInstance.builder().id(Integer.toString(id++)).ip(ip).build());
    }
    return group.build();
  }

  static ForwardPort port(String name, int port, Optional<Integer> target, String to) {
    ForwardPort.Builder b = ForwardPort.builder().name(name).port(port);
    target.ifPresent(b::targetPort);
    b.target(io.kubitect.model.ForwardTarget.valueOf(to));
    return b.build();
  }

  /** No provisioner output: every address comes from the specification. */
  public static InfrastructureStatus noStatus() {
    return new InfrastructureStatus(List.of(), true, 0);
  }

  static LoadBalancerLayout layout(ClusterSpec spec) {
    return LoadBalancerLayout.of(Topology.of(spec), noStatus());
  }
}
