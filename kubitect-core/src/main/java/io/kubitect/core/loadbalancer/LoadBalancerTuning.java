package io.kubitect.core.loadbalancer;

import java.time.Duration;

/**
 * How fast the load balancers notice failures. The defaults move the virtual IP about one second
 * after the primary crashes and take a master whose {@code /readyz} fails out of rotation within
 * about two seconds.
 *
 * @param apiCheckInterval HAProxy's {@code inter}: how often each master's {@code /readyz} is
 *     checked over HTTPS
 * @param apiCheckFall failed checks before a master is taken out ({@code fall})
 * @param apiCheckRise good checks before it is taken back ({@code rise})
 * @param advertInterval keepalived's {@code advert_int} (sub-second values use VRRP version 3); a
 *     crashed primary is replaced after about three of these
 * @param haproxyCheckInterval how often keepalived checks that the local HAProxy accepts
 *     connections on the API port (whole seconds: keepalived's {@code vrrp_script} allows no less)
 * @param haproxyCheckFall failed HAProxy checks before the node gives up the virtual IP
 * @param haproxyCheckRise good HAProxy checks before it may hold it again
 * @param convergeTimeout how long the apply waits for exactly one node to hold the virtual IP
 */
public record LoadBalancerTuning(
    Duration apiCheckInterval,
    int apiCheckFall,
    int apiCheckRise,
    Duration advertInterval,
    Duration haproxyCheckInterval,
    int haproxyCheckFall,
    int haproxyCheckRise,
    Duration convergeTimeout) {

  /** Checks the values. */
  public LoadBalancerTuning {
    requireAtLeast(apiCheckInterval, Duration.ofMillis(100), "apiCheckInterval");
    requireAtLeast(advertInterval, Duration.ofMillis(10), "advertInterval");
    requireAtLeast(haproxyCheckInterval, Duration.ofSeconds(1), "haproxyCheckInterval");
    if (haproxyCheckInterval.toMillis() % 1000 != 0) {
      throw new IllegalArgumentException(
          "haproxyCheckInterval must be whole seconds (keepalived's vrrp_script interval)");
    }
    requireAtLeast(convergeTimeout, Duration.ofSeconds(1), "convergeTimeout");
    if (advertInterval.toMillis() % 10 != 0 || advertInterval.toMillis() > 40_950) {
      throw new IllegalArgumentException(
          "advertInterval must be a multiple of 10 ms up to 40.95 s (VRRP v3 centiseconds)");
    }
    if (apiCheckFall < 1 || apiCheckRise < 1 || haproxyCheckFall < 1 || haproxyCheckRise < 1) {
      throw new IllegalArgumentException("fall and rise counts must be at least 1");
    }
  }

  private static void requireAtLeast(Duration value, Duration min, String name) {
    if (value.compareTo(min) < 0) {
      throw new IllegalArgumentException(name + " must be at least " + min + ", was " + value);
    }
  }

  /**
   * {@code /readyz} every 1 s, out after 2 failures, back after 2 successes; VRRP adverts every 250
   * ms; HAProxy checked every 500 ms, 2 failures give up the VIP; 20 s to converge.
   */
  public static LoadBalancerTuning defaults() {
    return new LoadBalancerTuning(
        Duration.ofSeconds(1),
        2,
        2,
        Duration.ofMillis(250),
        Duration.ofSeconds(1),
        2,
        2,
        Duration.ofSeconds(20));
  }

  /** A copy with other API health-check timings. */
  public LoadBalancerTuning withApiCheck(Duration interval, int fall, int rise) {
    return new LoadBalancerTuning(
        interval,
        fall,
        rise,
        advertInterval,
        haproxyCheckInterval,
        haproxyCheckFall,
        haproxyCheckRise,
        convergeTimeout);
  }

  /** A copy with another VRRP advert interval. */
  public LoadBalancerTuning withAdvertInterval(Duration value) {
    return new LoadBalancerTuning(
        apiCheckInterval,
        apiCheckFall,
        apiCheckRise,
        value,
        haproxyCheckInterval,
        haproxyCheckFall,
        haproxyCheckRise,
        convergeTimeout);
  }

  /** A copy with other timings of keepalived's HAProxy check. */
  public LoadBalancerTuning withHaproxyCheck(Duration interval, int fall, int rise) {
    return new LoadBalancerTuning(
        apiCheckInterval,
        apiCheckFall,
        apiCheckRise,
        advertInterval,
        interval,
        fall,
        rise,
        convergeTimeout);
  }

  /** A copy with another convergence timeout. */
  public LoadBalancerTuning withConvergeTimeout(Duration value) {
    return new LoadBalancerTuning(
        apiCheckInterval,
        apiCheckFall,
        apiCheckRise,
        advertInterval,
        haproxyCheckInterval,
        haproxyCheckFall,
        haproxyCheckRise,
        value);
  }
}
