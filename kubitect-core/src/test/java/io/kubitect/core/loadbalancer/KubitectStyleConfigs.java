package io.kubitect.core.loadbalancer;

/**
 * HAProxy and keepalived configurations rendered the way Kubitect's Ansible role does (reference
 * §4), for side-by-side measurements: multicast VRRP with {@code advert_int 1}, a {@code killall -0
 * haproxy} track script with {@code weight 2}, and plain TCP checks {@code fall 3 rise 2} at
 * HAProxy's default two-second interval.
 */
final class KubitectStyleConfigs {
  private KubitectStyleConfigs() {}

  static String haproxy(LoadBalancerLayout layout) {
    StringBuilder out =
        new StringBuilder(
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
              ca-base /etc/ssl/certs
              crt-base /etc/ssl/private
              ssl-default-bind-ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256
              ssl-default-bind-options no-sslv3

            defaults
              log global
              mode http
              option httplog
              option dontlognull
              timeout connect 5000
              timeout client 50000
              timeout server 50000

            frontend kubernetes
              bind *:6443
              option tcplog
              mode tcp
              default_backend kubernetes-control-plane

            backend kubernetes-control-plane
              mode tcp
              balance roundrobin
            """);
    for (LoadBalancerLayout.Server server : layout.api().servers()) {
      out.append("  server ")
          .append(server.name())
          .append(' ')
          .append(server.ip())
          .append(":6443 check fall 3 rise 2\n");
    }
    return out.toString();
  }

  static String keepalived(LoadBalancerLayout layout, LoadBalancerLayout.Peer self, String iface) {
    return """
        global_defs {
          enable_script_security
          script_user root
        }

        vrrp_script check_haproxy {
          script "/usr/bin/killall -0 haproxy"
          interval 2
          weight 2
        }

        vrrp_instance VI_01 {
          state BACKUP
          interface %s
          virtual_router_id %d
          priority %d
          advert_int 1
          virtual_ipaddress {
            %s
          }
          track_script {
            check_haproxy
          }
        }
        """
        .formatted(iface, layout.virtualRouterId(), self.priority(), layout.vip().orElseThrow());
  }
}
