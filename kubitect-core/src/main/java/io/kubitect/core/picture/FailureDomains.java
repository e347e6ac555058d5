package io.kubitect.core.picture;

import io.kubitect.core.NodeRole;
import io.kubitect.core.spi.Node;
import io.kubitect.core.spi.Topology;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the hosts whose loss alone takes down the control plane or the virtual IP.
 *
 * <ul>
 *   <li>Control plane: a host holding a majority of the masters (for the odd counts the validator
 *       allows this is exactly when etcd loses its quorum with the host), which includes a host
 *       holding all of them and the only master.
 *   <li>VIP: a host holding every load balancer when there are several, or the only load balancer.
 * </ul>
 *
 * Warnings come in host order (the specification's), a host's control-plane warning first.
 */
final class FailureDomains {
  private FailureDomains() {}

  static List<FailureWarning> of(Topology topology, List<String> hosts) {
    List<Node> masters = topology.nodes(NodeRole.MASTER);
    List<Node> balancers = topology.nodes(NodeRole.LOAD_BALANCER);
    Map<String, Integer> mastersPerHost = countPerHost(masters);
    Map<String, Integer> balancersPerHost = countPerHost(balancers);
    Optional<String> vip = topology.loadBalancing().vip();
    List<FailureWarning> warnings = new ArrayList<>();
    for (String host : hosts) {
      int held = mastersPerHost.getOrDefault(host, 0);
      int total = masters.size();
      if (total > 0 && 2 * held > total) {
        String what;
        if (total == 1) {
          what = "the only master";
        } else if (held == total) {
          what = "all " + total + " masters";
        } else {
          what = held + " of " + total + " masters";
        }
        warnings.add(
            new FailureWarning(
                FailureWarning.Kind.CONTROL_PLANE,
                host,
                "control plane: " + what,
                "Losing host "
                    + host
                    + " stops the control plane: it holds "
                    + what
                    + (total == 1 ? "." : " (etcd loses its quorum).")));
      }
      int lbs = balancersPerHost.getOrDefault(host, 0);
      if (lbs > 0 && lbs == balancers.size()) {
        String endpoint = vip.map(v -> "the VIP " + v).orElse("the API endpoint");
        String what = lbs == 1 ? "the only load balancer" : "all " + lbs + " load balancers";
        warnings.add(
            new FailureWarning(
                FailureWarning.Kind.VIP,
                host,
                (vip.isPresent() ? "VIP: " : "endpoint: ") + what,
                "Losing host " + host + " takes down " + endpoint + ": it holds " + what + "."));
      }
    }
    return List.copyOf(warnings);
  }

  /** How many of the nodes each host holds, in order of first appearance. */
  static Map<String, Integer> countPerHost(List<Node> nodes) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (Node node : nodes) {
      counts.merge(node.host(), 1, Integer::sum);
    }
    return counts;
  }
}
