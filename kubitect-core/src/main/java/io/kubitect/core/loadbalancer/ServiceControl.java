package io.kubitect.core.loadbalancer;

import io.kubitect.core.ssh.CommandResult;
import io.kubitect.core.ssh.RemoteCommand;
import io.kubitect.core.ssh.SshConnection;
import java.time.Duration;

/**
 * Starts and reloads HAProxy and keepalived on a node. With systemd ({@code /run/systemd/system}
 * exists) it uses {@code systemctl}, which also enables them at boot. Without an init system
 * (containers, the network-namespace test nodes) it runs the daemons directly with pid files in
 * {@code /run/kubitect}: HAProxy reloads by starting a new process that takes over the listeners
 * ({@code -sf}), keepalived by {@code SIGHUP}.
 */
abstract class ServiceControl {
  /** A daemon the load balancer runs. */
  enum Service {
    HAPROXY("haproxy", HaproxyConfig.PATH),
    KEEPALIVED("keepalived", KeepalivedConfig.PATH);

    final String unit;
    final String config;

    Service(String unit, String config) {
      this.unit = unit;
      this.config = config;
    }

    /** The pid file of the direct-run daemon (keepalived's parent process). */
    String pidFile() {
      return DIRECT_RUN_DIR + "/" + unit + ".pid";
    }
  }

  static final String DIRECT_RUN_DIR = "/run/kubitect";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  final SshConnection node;

  ServiceControl(SshConnection node) {
    this.node = node;
  }

  /** The control for a node with ({@code systemd}) or without an init system. */
  static ServiceControl on(SshConnection node, boolean systemd) {
    return systemd ? new Systemd(node) : new Direct(node);
  }

  /** {@code systemd} or {@code direct}. */
  abstract String kind();

  /** Whether the daemon runs. */
  abstract boolean isRunning(Service service);

  /** Starts the daemon (and enables it at boot where the init system can). */
  abstract void start(Service service);

  /** Makes the running daemon read its changed configuration, keeping connections and the VIP. */
  abstract void reload(Service service);

  /** Stops the daemon. */
  abstract void stop(Service service);

  CommandResult run(String name, String script, String... args) {
    return node.run(RemoteCommand.script(name, script, args).asRoot().withTimeout(START_TIMEOUT));
  }

  static final class Systemd extends ServiceControl {
    Systemd(SshConnection node) {
      super(node);
    }

    @Override
    String kind() {
      return "systemd";
    }

    @Override
    boolean isRunning(Service service) {
      return node.exec(RemoteCommand.of("systemctl", "is-active", "--quiet", service.unit).asRoot())
          .succeeded();
    }

    @Override
    void start(Service service) {
      run(
          "start " + service.unit,
          "systemctl enable \"$1\" >/dev/null 2>&1 || true; systemctl restart \"$1\"",
          service.unit);
    }

    @Override
    void reload(Service service) {
      run("reload " + service.unit, "systemctl reload \"$1\"", service.unit);
    }

    @Override
    void stop(Service service) {
      run("stop " + service.unit, "systemctl stop \"$1\"", service.unit);
    }
  }

  static final class Direct extends ServiceControl {
    /**
     * The pid file names a live process of the right name. A killed daemon may linger as a zombie
     * until its (re)parent reaps it; its /proc entry still shows the name, so the state counts.
     */
    private static final String RUNNING =
        """
        pid=$(cat "$1" 2>/dev/null) || exit 1
        [ -n "$pid" ] || exit 1
        read -r _ name state _ 2>/dev/null < /proc/"$pid"/stat || exit 1
        [ "$name" = "($2)" ] && [ "$state" != Z ] && [ "$state" != X ]
        """;

    private static final String START_HAPROXY =
        """
        mkdir -p "$3" /run/haproxy
        haproxy -D -f "$1" -p "$2" </dev/null >>"$3/haproxy.log" 2>&1 || {
          tail -n 20 "$3/haproxy.log" >&2; exit 1; }
        """;

    private static final String RELOAD_HAPROXY =
        """
        mkdir -p /run/haproxy
        old=$(cat "$2")
        haproxy -D -f "$1" -p "$2" -sf $old </dev/null >>"$3/haproxy.log" 2>&1 || {
          tail -n 20 "$3/haproxy.log" >&2; exit 1; }
        """;

    private static final String START_KEEPALIVED =
        """
        mkdir -p "$3"
        rm -f "$2" "$3/keepalived-vrrp.pid"
        keepalived --vrrp -f "$1" -p "$2" -r "$3/keepalived-vrrp.pid" \\
          </dev/null >>"$3/keepalived.log" 2>&1 || { tail -n 20 "$3/keepalived.log" >&2; exit 1; }
        i=0
        while [ ! -s "$2" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
        [ -s "$2" ] || { echo "keepalived wrote no pid file" >&2; exit 1; }
        """;

    Direct(SshConnection node) {
      super(node);
    }

    @Override
    String kind() {
      return "direct";
    }

    @Override
    boolean isRunning(Service service) {
      return node.exec(
              RemoteCommand.script(
                      "is " + service.unit + " running", RUNNING, service.pidFile(), service.unit)
                  .asRoot())
          .succeeded();
    }

    @Override
    void start(Service service) {
      switch (service) {
        case HAPROXY ->
            run("start haproxy", START_HAPROXY, service.config, service.pidFile(), DIRECT_RUN_DIR);
        case KEEPALIVED ->
            run(
                "start keepalived",
                START_KEEPALIVED,
                service.config,
                service.pidFile(),
                DIRECT_RUN_DIR);
      }
    }

    @Override
    void reload(Service service) {
      if (!isRunning(service)) {
        start(service);
        return;
      }
      switch (service) {
        case HAPROXY ->
            run(
                "reload haproxy",
                RELOAD_HAPROXY,
                service.config,
                service.pidFile(),
                DIRECT_RUN_DIR);
        case KEEPALIVED ->
            run("reload keepalived", "kill -HUP \"$(cat \"$1\")\"", service.pidFile());
      }
    }

    @Override
    void stop(Service service) {
      run(
          "stop " + service.unit,
          "pid=$(cat \"$1\" 2>/dev/null) && kill \"$pid\" 2>/dev/null; rm -f \"$1\"",
          service.pidFile());
    }
  }
}
