package io.kubitect.libvirt.internal;

import io.kubitect.model.Connection;
import io.kubitect.model.ConnectionType;
import io.kubitect.model.HostSsh;
import io.kubitect.model.SpecDefaults;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The libvirt URI of a host (reference §3.2, with host keys verified by default): {@code
 * qemu:///system} for a local host; {@code
 * qemu+ssh://USER@IP:PORT/system?no_tty=1&keyfile=KEY&command=WRAPPER} for a remote one. libvirt
 * runs {@code WRAPPER} instead of {@code ssh}: a short script that execs the system ssh with {@code
 * StrictHostKeyChecking=yes} and {@code UserKnownHostsFile=<the provisioner's known_hosts>}; {@code
 * no_tty=1} adds BatchMode, so an unknown or changed host key fails the connection instead of
 * asking. {@code verify: false} replaces the wrapper with {@code no_verify=1} (and the provisioner
 * logs a warning).
 */
final class HostUris {
  private HostUris() {}

  /** A URI with the query (key and known_hosts paths) left out, for messages and events. */
  static String display(String uri) {
    int query = uri.indexOf('?');
    return query < 0 ? uri : uri.substring(0, query);
  }

  static String of(Connection connection, Path home, Path knownHosts, Path sshWrapper) {
    ConnectionType type = connection.type().orElse(ConnectionType.LOCAL);
    if (type != ConnectionType.REMOTE) {
      return "qemu:///system";
    }
    return remote(connection, home, knownHosts, sshWrapper);
  }

  /**
   * {@code qemu+ssh} through the system ssh. With verification (the default) libvirt runs {@code
   * sshWrapper}, which calls {@code ssh -o StrictHostKeyChecking=yes -o
   * UserKnownHostsFile=<knownHosts>}; {@code no_tty=1} adds BatchMode, so nothing is ever asked.
   */
  static String remote(Connection connection, Path home, Path knownHosts, Path sshWrapper) {
    String name = connection.ip().orElse("?");
    HostSsh ssh = connection.ssh();
    String user = connection.user().orElse("root");
    int port = ssh.port().orElse(SpecDefaults.SSH_PORT);
    StringBuilder uri =
        new StringBuilder("qemu+ssh://")
            .append(encode(user))
            .append('@')
            .append(name)
            .append(':')
            .append(port)
            .append("/system?no_tty=1");
    ssh.keyfile()
        .ifPresent(key -> uri.append("&keyfile=").append(encode(Layout.expand(key, home))));
    if (ssh.verify().orElse(true)) {
      uri.append("&command=").append(encode(sshWrapper.toString()));
    } else {
      uri.append("&no_verify=1");
    }
    return uri.toString();
  }

  /** The file the wrapper writes its process id to (the id ssh keeps once exec'd). */
  static final String WRAPPER_PID = "pid";

  /** The file whose presence makes the wrapper exit instead of running ssh. */
  static final String WRAPPER_CANCELLED = "cancelled";

  /**
   * The wrapper script's text: the system ssh, strict about host keys, with our known_hosts. It
   * first writes its process id (which ssh keeps: {@code exec}) to {@code dir/pid}, then exits
   * without running ssh when {@code dir/cancelled} exists, so a cancelled apply stops a connect in
   * progress: it creates {@code cancelled}, then stops the process named in {@code pid} (see {@code
   * Engine}). Whichever comes first, ssh either never starts or is stopped.
   */
  static String sshWrapper(Path knownHosts, Path dir) {
    String d = dir.toString().replace("'", "");
    return "#!/bin/sh\n"
        + "# Written by Kubitect: libvirt's ssh transport, verifying host keys against\n"
        + "# the known_hosts file below only; a cancelled connect stops it (pid, cancelled).\n"
        + "echo $$ > '"
        + d
        + "/"
        + WRAPPER_PID
        + "'\n"
        + "[ -e '"
        + d
        + "/"
        + WRAPPER_CANCELLED
        + "' ] && exit 1\n"
        + "exec ssh -o StrictHostKeyChecking=yes -o 'UserKnownHostsFile="
        + knownHosts.toString().replace("'", "")
        + "' -o GlobalKnownHostsFile=/dev/null \"$@\"\n";
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
