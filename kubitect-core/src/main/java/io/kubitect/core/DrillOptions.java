package io.kubitect.core;

import java.time.Duration;

/**
 * How {@link Kubitect#drill} runs a failover drill.
 *
 * @param probeInterval how often a client asks the API server's {@code /readyz} through the virtual
 *     IP while the drill runs; the measured gap is exact to about this much
 * @param requestTimeout how long one such request may take before it counts as unanswered
 * @param takeOverTimeout how long another load balancer may take to hold the virtual IP and answer
 *     after the primary's daemons were stopped, and the primary to take it back after the restore
 * @param observe how long the drill keeps watching after the take-over, before it restores
 */
public record DrillOptions(
    Duration probeInterval, Duration requestTimeout, Duration takeOverTimeout, Duration observe) {

  /** Checks that every duration is positive and the probe is not busier than every 20 ms. */
  public DrillOptions {
    positive("probeInterval", probeInterval);
    positive("requestTimeout", requestTimeout);
    positive("takeOverTimeout", takeOverTimeout);
    positive("observe", observe);
    if (probeInterval.toMillis() < 20) {
      throw new IllegalArgumentException(
          "probeInterval must be at least 20 ms, was " + probeInterval.toMillis() + " ms");
    }
  }

  /** A request every 100 ms, 1 s each, 60 s to take over, 3 s of watching. */
  public static DrillOptions defaults() {
    return new DrillOptions(
        Duration.ofMillis(100),
        Duration.ofSeconds(1),
        Duration.ofSeconds(60),
        Duration.ofSeconds(3));
  }

  /** These options with another take-over timeout. */
  public DrillOptions withTakeOverTimeout(Duration timeout) {
    return new DrillOptions(probeInterval, requestTimeout, timeout, observe);
  }

  private static void positive(String name, Duration value) {
    if (value == null || value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(name + " must be a positive duration, was " + value);
    }
  }
}
