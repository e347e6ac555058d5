package io.kubitect.examples.lab;

import java.time.Duration;

/**
 * The lab's time limits, derived from how fast this machine booted one node just before (the
 * calibration boot), never from fixed guesses: a machine busy with other work boots slower and gets
 * longer limits, an idle one fails fast. Each limit has a floor, so a lucky calibration cannot make
 * it unreasonably short.
 *
 * @param bootAlone the calibration: one node from its domain started to SSH-ready, nothing else
 *     booting
 * @param cores the processors QEMU's software emulation shares (one vCPU per node)
 */
record LabWaits(Duration bootAlone, int cores) {
  /** Below this, a limit is not trusted to cover a scheduling hiccup. */
  static final Duration FLOOR = Duration.ofMinutes(10);

  /**
   * How much slower than {@code nodesAtOnce / cores} boots alone a boot may be before the lab calls
   * it stuck. Measured: 8 nodes on 2 cores took 5.7-6.0 times one alone (not 4: QEMU's I/O threads,
   * libvirtd and the readiness probes share the cores too).
   */
  static final int MARGIN = 4;

  LabWaits {
    if (bootAlone.isNegative() || bootAlone.isZero()) {
      throw new IllegalArgumentException("the calibration boot must have taken some time");
    }
    if (cores < 1) {
      throw new IllegalArgumentException("cores must be at least 1, was " + cores);
    }
  }

  /**
   * How long a node may take to become ready when {@code nodesAtOnce} boot together: under software
   * emulation each boot is CPU-bound, so they take about {@code nodesAtOnce / cores} times as long
   * as one alone; the limit allows {@link #MARGIN} times that.
   */
  Duration readiness(int nodesAtOnce) {
    double share = Math.max(1.0, (double) nodesAtOnce / cores);
    return atLeastFloor(bootAlone.multipliedBy(Math.round(share * MARGIN * 100)).dividedBy(100));
  }

  /**
   * How long one playbook may run: the stand-in's work is emulated Python on the nodes, like most
   * of a boot, so it scales with the same figure (ten boots' worth covers every lab playbook).
   */
  Duration playbook() {
    return atLeastFloor(bootAlone.multipliedBy(10));
  }

  private static Duration atLeastFloor(Duration d) {
    return d.compareTo(FLOOR) < 0 ? FLOOR : d;
  }
}
