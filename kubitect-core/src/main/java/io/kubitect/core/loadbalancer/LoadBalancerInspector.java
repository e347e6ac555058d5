package io.kubitect.core.loadbalancer;

import io.kubitect.core.spi.LoadBalancerInspection;
import io.kubitect.core.ssh.CommandResult;
import io.kubitect.core.ssh.RemoteCommand;
import io.kubitect.core.ssh.SshConnection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Reads one load balancer's state in a single SSH command, changing nothing: which daemons run
 * (through systemd, or the pid files of {@link ServiceControl.Direct}), whether the node holds the
 * virtual IP, and HAProxy's view of the API-server backends from its stats socket.
 */
final class LoadBalancerInspector {
  static final String STATS_SOCKET = "/run/haproxy/admin.sock";

  /** The API-server backend's name in haproxy.cfg. */
  static final String API_BACKEND = "kubernetes-control-plane";

  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  /** Prints {@code key=value} lines; $1 virtual IP (may be empty), $2 socket, $3 backend. */
  private static final String INSPECT =
      """
      if [ -d /run/systemd/system ]; then
        for s in keepalived haproxy; do
          if systemctl is-active --quiet "$s"; then echo "$s=running"; else echo "$s=stopped"; fi
        done
      else
        for s in keepalived haproxy; do
          state=stopped
          pid=$(cat "/run/kubitect/$s.pid" 2>/dev/null)
          if [ -n "$pid" ] && read -r _ name st _ 2>/dev/null < "/proc/$pid/stat" \\
              && [ "$name" = "($s)" ] && [ "$st" != Z ] && [ "$st" != X ]; then
            state=running
          fi
          echo "$s=$state"
        done
      fi
      if [ -n "$1" ] && [ -n "$(ip -o -4 addr show to "$1/32" 2>/dev/null)" ]; then
        echo vip=held
      else
        echo vip=free
      fi
      if ! command -v python3 >/dev/null 2>&1; then
        echo "stats_error=python3 is not installed to read HAProxy's stats socket"
      elif [ ! -S "$2" ]; then
        echo "stats_error=no stats socket at $2"
      else
        python3 -c "$4" "$2" "$3"
      fi
      """;

  /** Asks HAProxy for {@code show stat} and prints each server's status of one backend. */
  private static final String STATS =
      """
      import socket, sys
      try:
          s = socket.socket(socket.AF_UNIX)
          s.settimeout(5)
          s.connect(sys.argv[1])
          s.sendall(b"show stat\\n")
          data = b""
          while len(data) < 4000000:
              chunk = s.recv(65536)
              if not chunk:
                  break
              data += chunk
      except OSError as e:
          print("stats_error=" + str(e).replace("\\n", " "))
          sys.exit(0)
      for line in data.decode("utf-8", "replace").splitlines():
          f = line.split(",")
          if len(f) > 17 and f[0] == sys.argv[2] and f[1] not in ("FRONTEND", "BACKEND"):
              print("backend=" + f[1] + "=" + f[17])
      """;

  private LoadBalancerInspector() {}

  static LoadBalancerInspection inspect(String name, SshConnection node, Optional<String> vip) {
    CommandResult result;
    try {
      result =
          node.run(
              RemoteCommand.script(
                      "inspect load balancer",
                      INSPECT,
                      vip.orElse(""),
                      STATS_SOCKET,
                      API_BACKEND,
                      STATS)
                  .asRoot()
                  .withTimeout(TIMEOUT));
    } catch (RuntimeException e) {
      return LoadBalancerInspection.unreachable(name, oneLine(e.getMessage()));
    }
    boolean keepalived = false;
    boolean haproxy = false;
    boolean holds = false;
    Map<String, String> backends = new LinkedHashMap<>();
    Optional<String> statsError = Optional.empty();
    for (String line : result.stdout().split("\n", -1)) {
      int eq = line.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String key = line.substring(0, eq);
      String value = line.substring(eq + 1);
      switch (key) {
        case "keepalived" -> keepalived = value.equals("running");
        case "haproxy" -> haproxy = value.equals("running");
        case "vip" -> holds = value.equals("held");
        case "stats_error" -> statsError = Optional.of(oneLine(value));
        case "backend" -> {
          int split = value.lastIndexOf('=');
          if (split > 0) {
            backends.put(value.substring(0, split), value.substring(split + 1));
          }
        }
        default -> {
          // a line this version does not know: ignored
        }
      }
    }
    return new LoadBalancerInspection(
        name,
        Optional.empty(),
        keepalived,
        haproxy,
        holds,
        haproxy ? backends : Map.of(),
        haproxy ? statsError : Optional.empty());
  }

  private static String oneLine(@Nullable String text) {
    String flat = String.valueOf(text).replaceAll("\\s+", " ").strip();
    return flat.length() > 300 ? flat.substring(0, 300) + "..." : flat;
  }
}
