package io.kubitect.core.loadbalancer;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * Renders {@code /etc/keepalived/keepalived.conf} for one load balancer: one VRRP instance holding
 * the virtual IP, unicast adverts to the other load balancers (works where multicast is filtered),
 * VRRP version 3 so the advert interval may be below a second, and a track script whose weight is
 * larger than the spread of priorities, so a node whose HAProxy stops accepting connections always
 * drops below every healthy node and gives up the virtual IP.
 */
final class KeepalivedConfig {
  /** Where keepalived reads its configuration. */
  static final String PATH = "/etc/keepalived/keepalived.conf";

  private static final String FILE = "keepalived.conf";

  /** The track script: succeeds while the local HAProxy accepts connections on the API port. */
  static final String CHECK_SCRIPT_PATH = "/etc/keepalived/kubitect-check-haproxy.sh";

  private KeepalivedConfig() {}

  /** The check script's content. */
  static String checkScript(LoadBalancerTuning tuning) {
    Duration limit =
        tuning.haproxyCheckInterval().compareTo(Duration.ofSeconds(1)) < 0
            ? tuning.haproxyCheckInterval()
            : Duration.ofSeconds(1);
    return "#!/bin/sh\n"
        + "# Managed by Kubitect for Java: succeeds while HAProxy accepts connections on the API"
        + " port.\n"
        + "exec timeout "
        + seconds(limit)
        + " bash -c 'exec 3<>/dev/tcp/127.0.0.1/"
        + LoadBalancerLayout.API_PORT
        + "' 2>/dev/null\n";
  }

  /**
   * The weight subtracted from a node's priority while its HAProxy check fails: one more than the
   * spread of priorities, so the failing node drops below every other one (at most 253, the largest
   * weight keepalived accepts).
   */
  static int trackWeight(LoadBalancerLayout layout) {
    return Math.min(253, layout.prioritySpread() + 1);
  }

  /**
   * The file's content for {@code self}, binding the virtual IP to {@code networkInterface}.
   *
   * @throws IllegalArgumentException when the interface, a name or an address would break the
   *     file's syntax (see {@link ConfigValues})
   */
  static String render(
      LoadBalancerLayout layout,
      LoadBalancerLayout.Peer self,
      String networkInterface,
      LoadBalancerTuning tuning) {
    String vip =
        ConfigValues.address(
            FILE,
            "virtual IP",
            layout.vip().orElseThrow(() -> new IllegalStateException("no virtual IP")));
    String iface = ConfigValues.networkInterface(FILE, networkInterface);
    String name = ConfigValues.name(FILE, "load balancer name", self.name());
    StringBuilder out = new StringBuilder();
    out.append("# Managed by Kubitect for Java for cluster ")
        .append(ConfigValues.name(FILE, "cluster name", layout.cluster()))
        .append(", node ")
        .append(name)
        .append(": changes made here are overwritten on the next apply.\n")
        .append("global_defs {\n")
        .append("  router_id ")
        .append(name)
        .append('\n')
        .append("  enable_script_security\n")
        .append("  script_user root\n")
        .append("  vrrp_version 3\n")
        .append("  vrrp_garp_master_refresh 5\n")
        .append("}\n\n")
        .append("vrrp_script check_haproxy {\n")
        .append("  script \"")
        .append(CHECK_SCRIPT_PATH)
        .append("\"\n")
        .append("  interval ")
        .append(seconds(tuning.haproxyCheckInterval()))
        .append('\n')
        .append("  timeout ")
        .append(seconds(tuning.haproxyCheckInterval().plusSeconds(1)))
        .append('\n')
        .append("  fall ")
        .append(tuning.haproxyCheckFall())
        .append('\n')
        .append("  rise ")
        .append(tuning.haproxyCheckRise())
        .append('\n')
        .append("  weight -")
        .append(trackWeight(layout))
        .append('\n')
        .append("}\n\n")
        .append("vrrp_instance kubernetes_api {\n")
        .append("  state BACKUP\n")
        .append("  interface ")
        .append(iface)
        .append('\n')
        .append("  virtual_router_id ")
        .append(layout.virtualRouterId())
        .append('\n')
        .append("  priority ")
        .append(self.priority())
        .append('\n')
        .append("  advert_int ")
        .append(seconds(tuning.advertInterval()))
        .append('\n')
        .append("  unicast_src_ip ")
        .append(ConfigValues.address(FILE, "address of " + ConfigValues.quote(name), self.ip()))
        .append('\n')
        .append("  unicast_peer {\n");
    for (LoadBalancerLayout.Peer peer : layout.loadBalancers()) {
      if (!peer.name().equals(self.name())) {
        out.append("    ")
            .append(
                ConfigValues.address(
                    FILE, "address of " + ConfigValues.quote(peer.name()), peer.ip()))
            .append('\n');
      }
    }
    out.append("  }\n")
        .append("  virtual_ipaddress {\n")
        .append("    ")
        .append(vip)
        .append("/32 dev ")
        .append(iface)
        .append('\n')
        .append("  }\n")
        .append("  track_script {\n")
        .append("    check_haproxy\n")
        .append("  }\n")
        .append("}\n");
    return out.toString();
  }

  /** keepalived time: seconds with fractions, {@code 0.25}, {@code 1}. */
  static String seconds(Duration duration) {
    return BigDecimal.valueOf(duration.toMillis(), 3).stripTrailingZeros().toPlainString();
  }
}
