package io.kubitect.core;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a failover drill ({@link Kubitect#drill}) did and saw.
 *
 * @param cluster the cluster name
 * @param virtualIp the virtual IP the clients asked through
 * @param stopped the load balancer whose keepalived and HAProxy were stopped (it held the IP)
 * @param takenOverBy the load balancer that held the IP next, if one did
 * @param longestGap the longest time no request through the virtual IP was answered, from the stop
 *     until the end of the watch
 * @param restoreGap the same while the stopped load balancer was restored and took the IP back
 * @param requests requests made through the virtual IP during the drill
 * @param unanswered those that were not answered with 200
 * @param mostHoldersAtOnce the most load balancers seen holding the IP at the same moment (1 is
 *     right; 2 means a split brain)
 * @param steps what was done and seen, each with its time from the start
 * @param problems what went wrong; empty when the drill passed
 */
public record DrillReport(
    String cluster,
    String virtualIp,
    String stopped,
    Optional<String> takenOverBy,
    Duration longestGap,
    Duration restoreGap,
    int requests,
    int unanswered,
    int mostHoldersAtOnce,
    List<String> steps,
    List<String> problems) {

  /** Copies the lists so the record stays immutable. */
  public DrillReport {
    steps = List.copyOf(steps);
    problems = List.copyOf(problems);
  }

  /** Whether the backup took over, no two held the IP at once and the cluster was restored. */
  public boolean passed() {
    return problems.isEmpty();
  }
}
