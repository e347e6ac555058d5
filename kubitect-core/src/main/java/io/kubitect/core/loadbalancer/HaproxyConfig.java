package io.kubitect.core.loadbalancer;

import java.time.Duration;

/**
 * Renders {@code /etc/haproxy/haproxy.cfg}: TCP frontends on every load balancer, the API backend
 * health-checked with HTTPS {@code GET /readyz} (so a master that is up but not ready is taken out,
 * not only a dead one), forwarded ports with TCP checks. Sessions to a server that goes down are
 * closed so clients reconnect to a good one, and a failed connect is retried on another server at
 * once ({@code option redispatch 1}) after at most one second: a master that dies with its host
 * answers no ARP, so a connect to it would otherwise hang for the whole timeout (Kubitect's 5 s)
 * until its health check takes it out, which was most of the lab's failover gap.
 */
final class HaproxyConfig {
  /** Where HAProxy reads its configuration. */
  static final String PATH = "/etc/haproxy/haproxy.cfg";

  private static final String FILE = "haproxy.cfg";

  private HaproxyConfig() {}

  /**
   * The file's content.
   *
   * @throws IllegalArgumentException when a name or address of the layout would break the file's
   *     syntax (see {@link ConfigValues})
   */
  static String render(LoadBalancerLayout layout, LoadBalancerTuning tuning) {
    StringBuilder out = new StringBuilder();
    out.append("# Managed by Kubitect for Java for cluster ")
        .append(ConfigValues.name(FILE, "cluster name", layout.cluster()))
        .append(": changes made here are overwritten on the next apply.\n")
        .append(
            """
            global
              log /dev/log local0
              log /dev/log local1 notice
              chroot /var/lib/haproxy
              stats socket /run/haproxy/admin.sock mode 660 level admin
              stats timeout 30s
              user haproxy
              group haproxy
              daemon

            defaults
              log global
              mode tcp
              option tcplog
              option dontlognull
              option redispatch 1
              retries 3
              timeout connect 1s
              timeout client 30m
              timeout server 30m
              timeout check 2s
            """);
    // fastinter: once a check failed, the next ones come twice as often, so a dead master is out
    // within inter + (fall - 1) * inter / 2 at worst
    Duration fast = tuning.apiCheckInterval().dividedBy(2);
    String checkTiming =
        "inter "
            + haproxyDuration(tuning.apiCheckInterval())
            + " fastinter "
            + haproxyDuration(fast)
            + " fall "
            + tuning.apiCheckFall()
            + " rise "
            + tuning.apiCheckRise();
    for (LoadBalancerLayout.Backend backend : layout.backends()) {
      String name =
          backend.apiServer()
              ? "kubernetes"
              : "forward-" + ConfigValues.name(FILE, "forwarded port name", backend.name());
      String backendName = backend.apiServer() ? "kubernetes-control-plane" : name;
      out.append('\n')
          .append("frontend ")
          .append(name)
          .append('\n')
          .append("  bind *:")
          .append(backend.port())
          .append('\n')
          .append("  default_backend ")
          .append(backendName)
          .append("\n\n")
          .append("backend ")
          .append(backendName)
          .append('\n')
          .append("  balance roundrobin\n");
      if (backend.apiServer()) {
        out.append("  option httpchk\n")
            .append("  http-check send meth GET uri /readyz\n")
            .append("  http-check expect status 200\n")
            .append("  default-server check check-ssl verify none ")
            .append(checkTiming)
            .append(" on-marked-down shutdown-sessions\n");
      } else {
        out.append("  default-server check ")
            .append(checkTiming)
            .append(" on-marked-down shutdown-sessions\n");
      }
      for (LoadBalancerLayout.Server server : backend.servers()) {
        out.append("  server ")
            .append(ConfigValues.name(FILE, "server name", server.name()))
            .append(' ')
            .append(
                ConfigValues.address(
                    FILE, "address of " + ConfigValues.quote(server.name()), server.ip()))
            .append(':')
            .append(server.port())
            .append('\n');
      }
    }
    return out.toString();
  }

  /** HAProxy time: {@code 1s}, {@code 500ms}. */
  static String haproxyDuration(Duration duration) {
    long ms = duration.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }
}
