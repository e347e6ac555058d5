package io.kubitect.core;

import static io.kubitect.core.Violations.quote;

import io.kubitect.model.Connection;
import io.kubitect.model.ConnectionType;
import io.kubitect.model.DataResourcePool;
import io.kubitect.model.Host;
import io.kubitect.model.HostSsh;
import io.kubitect.model.SpecDefaults;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Rules of the {@code hosts} section. */
final class HostRules {
  private HostRules() {}

  static void check(SpecContext context, Violations v) {
    List<Host> hosts = context.spec().hosts();
    if (hosts.isEmpty()) {
      v.error(
          "hosts",
          "no host is configured; at least one host (connection type local or remote) is needed"
              + " to run the node VMs");
      return;
    }
    Map<String, Integer> names = new HashMap<>();
    int defaultIndex = -1;
    int localIndex = -1;
    for (int i = 0; i < hosts.size(); i++) {
      Host host = hosts.get(i);
      String path = "hosts[" + i + "]";
      name(host.name(), path + ".name", names, i, v);
      if (host.defaultHost().orElse(false)) {
        if (defaultIndex >= 0) {
          v.error(
              path + ".default",
              "hosts["
                  + defaultIndex
                  + "] is already the default host; at most one host may have default: true");
        } else {
          defaultIndex = i;
        }
      }
      Connection connection = host.connection();
      Optional<ConnectionType> type = connection.type();
      if (type.isEmpty()) {
        v.error(path + ".connection.type", "is required; allowed are local, localhost and remote");
      } else if (type.get() == ConnectionType.REMOTE) {
        remote(connection, path + ".connection", v);
      } else {
        if (localIndex >= 0) {
          v.error(
              path + ".connection.type",
              quote(type.get())
                  + " is this machine's libvirt (qemu:///system), which hosts["
                  + localIndex
                  + "] already uses; at most one host may be local or localhost");
        } else {
          localIndex = i;
        }
        if (hasRemoteSettings(connection)) {
          v.warning(
              path + ".connection",
              "ip, user and ssh are set but apply to remote hosts only; they are ignored for a "
                  + quote(type.get())
                  + " host");
        }
      }
      host.mainResourcePoolPath().ifPresent(p -> directory(p, path + ".mainResourcePoolPath", v));
      pools(host.dataResourcePools(), path + ".dataResourcePools", v);
    }
  }

  private static void name(
      Optional<String> name, String path, Map<String, Integer> names, int index, Violations v) {
    if (name.isEmpty() || name.get().isBlank()) {
      v.error(
          path,
          "is required: a unique name that nodes refer to with 'host' (letters, digits, '-' and"
              + " '_')");
    } else if (!Syntax.NAME_HYPHEN_UNDERSCORE.matcher(name.get()).matches()) {
      v.error(path, quote(name.get()) + " may contain only letters, digits, '-' and '_'");
    } else {
      Integer first = names.putIfAbsent(name.get(), index);
      if (first != null) {
        v.error(
            path,
            quote(name.get())
                + " is already the name of hosts["
                + first
                + "]; host names must be unique");
      }
    }
  }

  private static boolean hasRemoteSettings(Connection connection) {
    HostSsh ssh = connection.ssh();
    return connection.ip().isPresent()
        || connection.user().isPresent()
        || ssh.keyfile().isPresent()
        || ssh.port().isPresent()
        || ssh.verify().isPresent();
  }

  private static void remote(Connection connection, String path, Violations v) {
    Optional<String> ip = connection.ip();
    if (ip.isEmpty() || ip.get().isBlank()) {
      v.error(path + ".ip", "is required for a remote host: its IPv4 address");
    } else if (Syntax.ipv4(ip.get()).isEmpty()) {
      v.error(
          path + ".ip",
          quote(ip.get()) + " is not an IPv4 address (a.b.c.d); host names are not accepted");
    }
    Optional<String> user = connection.user();
    if (user.isEmpty() || user.get().isBlank()) {
      v.error(path + ".user", "is required for a remote host: the SSH user with access to libvirt");
    } else if (!Syntax.USER.matcher(user.get()).matches()) {
      v.error(
          path + ".user",
          quote(user.get()) + " is not a valid user name: 1 to 32 letters, digits, '-' and '_'");
    }
    HostSsh ssh = connection.ssh();
    Optional<String> keyfile = ssh.keyfile();
    if (keyfile.isEmpty() || keyfile.get().isBlank()) {
      v.error(
          path + ".ssh.keyfile",
          "is required for a remote host: the path of a password-less private SSH key"
              + " (a leading ~ is the home directory)");
    } else {
      ClusterRules.path(keyfile.get(), path + ".ssh.keyfile", v);
    }
    ssh.port()
        .ifPresent(
            port -> {
              if (port == 0) {
                v.warning(
                    path + ".ssh.port",
                    "is 0, which Kubitect's configuration reads as not set: the default port "
                        + SpecDefaults.SSH_PORT
                        + " applies; leave port out to say so");
              } else if (port < 1 || port > 65535) {
                v.error(path + ".ssh.port", "must be a port from 1 to 65535 (found " + port + ")");
              }
            });
    if (ssh.verify().isPresent() && !ssh.verify().get()) {
      v.warning(
          path + ".ssh.verify",
          "is false: the host's SSH key is not checked against known_hosts, so a machine in the"
              + " middle could impersonate the host; leave it out or set true");
    }
  }

  private static void pools(List<DataResourcePool> pools, String path, Violations v) {
    Map<String, Integer> names = new HashMap<>();
    for (int j = 0; j < pools.size(); j++) {
      DataResourcePool pool = pools.get(j);
      String poolPath = path + "[" + j + "]";
      Optional<String> name = pool.name();
      if (name.isEmpty() || name.get().isBlank()) {
        v.error(
            poolPath + ".name",
            "is required: the name data disks refer to with 'pool' (letters, digits and '-')");
      } else if (!Syntax.NAME_HYPHEN.matcher(name.get()).matches()) {
        v.error(
            poolPath + ".name", quote(name.get()) + " may contain only letters, digits and '-'");
      } else if (name.get().equals(SpecDefaults.MAIN_POOL)) {
        v.error(
            poolPath + ".name",
            "'main' is reserved: data disks with pool 'main' (or none) go to the host's main"
                + " resource pool; choose another name");
      } else {
        Integer first = names.putIfAbsent(name.get(), j);
        if (first != null) {
          v.error(
              poolPath + ".name",
              quote(name.get())
                  + " is already the name of dataResourcePools["
                  + first
                  + "] of this host; pool names must be unique per host");
        }
      }
      pool.path().ifPresent(p -> directory(p, poolPath + ".path", v));
    }
  }

  private static void directory(String directory, String path, Violations v) {
    if (directory.isBlank()) {
      v.error(
          path, "is empty; leave it out for " + SpecDefaults.POOL_PATH + " or give a directory");
    } else if (!ClusterRules.path(directory, path, v) && !directory.startsWith("/")) {
      v.error(
          path,
          quote(directory)
              + " is not an absolute path; libvirt storage pools need an absolute directory"
              + " on the host, e.g. "
              + SpecDefaults.POOL_PATH);
    }
  }
}
