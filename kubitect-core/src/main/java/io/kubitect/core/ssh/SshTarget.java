package io.kubitect.core.ssh;

import java.util.Objects;

/**
 * Where to connect and as whom.
 *
 * @param host IP address or name, as written in the known_hosts file
 * @param port TCP port of the SSH server
 * @param user login user; commands that need root go through {@code sudo -n} unless it is root
 */
public record SshTarget(String host, int port, String user) {

  /** Checks the values. */
  public SshTarget {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(user, "user");
    if (host.isBlank() || user.isBlank()) {
      throw new IllegalArgumentException("host and user must not be blank");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535, was " + port);
    }
  }

  /** A target on the standard port 22. */
  public static SshTarget of(String host, String user) {
    return new SshTarget(host, 22, user);
  }

  /** Whether the user is root, so no {@code sudo} is needed. */
  public boolean isRoot() {
    return user.equals("root");
  }

  /** {@code user@host:port}. */
  @Override
  public String toString() {
    return user + "@" + host + ":" + port;
  }
}
