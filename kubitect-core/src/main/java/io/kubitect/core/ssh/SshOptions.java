package io.kubitect.core.ssh;

import java.time.Duration;

/**
 * Timeouts and limits of SSH connections.
 *
 * @param connectTimeout TCP connect, key exchange and authentication, each
 * @param keepAliveInterval how often an idle connection is probed; after {@code keepAliveMaxMissed}
 *     unanswered probes it is considered lost
 * @param keepAliveMaxMissed unanswered keepalive probes before a connection is dropped
 * @param maxSessionsPerTarget commands running at once on one connection (OpenSSH allows 10)
 * @param commandTimeout how long a command may run when it does not say otherwise
 */
public record SshOptions(
    Duration connectTimeout,
    Duration keepAliveInterval,
    int keepAliveMaxMissed,
    int maxSessionsPerTarget,
    Duration commandTimeout) {

  /** Checks the values. */
  public SshOptions {
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("connectTimeout must be positive");
    }
    if (keepAliveInterval.toSeconds() < 1) {
      throw new IllegalArgumentException("keepAliveInterval must be at least 1 s");
    }
    if (keepAliveMaxMissed < 1 || maxSessionsPerTarget < 1) {
      throw new IllegalArgumentException(
          "keepAliveMaxMissed and maxSessionsPerTarget must be >= 1");
    }
    if (commandTimeout.isNegative() || commandTimeout.isZero()) {
      throw new IllegalArgumentException("commandTimeout must be positive");
    }
  }

  /** 10 s to connect, keepalive every 15 s (3 missed drop it), 8 sessions, commands 5 min. */
  public static SshOptions defaults() {
    return new SshOptions(
        Duration.ofSeconds(10), Duration.ofSeconds(15), 3, 8, Duration.ofMinutes(5));
  }

  /** A copy with another connect timeout. */
  public SshOptions withConnectTimeout(Duration value) {
    return new SshOptions(
        value, keepAliveInterval, keepAliveMaxMissed, maxSessionsPerTarget, commandTimeout);
  }

  /** A copy with another keepalive interval. */
  public SshOptions withKeepAliveInterval(Duration value) {
    return new SshOptions(
        connectTimeout, value, keepAliveMaxMissed, maxSessionsPerTarget, commandTimeout);
  }

  /** A copy with another session limit. */
  public SshOptions withMaxSessionsPerTarget(int value) {
    return new SshOptions(
        connectTimeout, keepAliveInterval, keepAliveMaxMissed, value, commandTimeout);
  }

  /** A copy with another default command timeout. */
  public SshOptions withCommandTimeout(Duration value) {
    return new SshOptions(
        connectTimeout, keepAliveInterval, keepAliveMaxMissed, maxSessionsPerTarget, value);
  }
}
