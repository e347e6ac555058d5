package io.kubitect.libvirt.internal;

import java.util.List;

/**
 * A domain's state and the reason for it, as libvirt's {@code virDomainGetState} reports them (the
 * numbers of libvirt's {@code virDomainState} and per-state reason enums), named as {@code virsh
 * domstate --reason} names them.
 *
 * @param state {@code virDomainState}: 0 no state, 1 running, 2 blocked, 3 paused, 4 shutting down,
 *     5 shut off, 6 crashed, 7 suspended by guest power management
 * @param reason the reason, numbered per state
 */
record RunState(int state, int reason) {
  static final int RUNNING = 1;
  static final int PAUSED = 3;
  static final int SHUTOFF = 5;
  static final int CRASHED = 6;

  private static final List<String> STATES =
      List.of(
          "no state",
          "running",
          "blocked",
          "paused",
          "in shutdown",
          "shut off",
          "crashed",
          "pmsuspended");

  private static final List<String> PAUSED_REASONS =
      List.of(
          "unknown",
          "user",
          "migrating",
          "saving",
          "dumping",
          "I/O error",
          "watchdog",
          "from snapshot",
          "shutting down",
          "creating snapshot",
          "crashed",
          "starting up",
          "post-copy",
          "post-copy failed",
          "api error");

  /**
   * Paused for good: by an error of the guest or the hypervisor. QEMU stops a guest it cannot run
   * (a KVM internal error), and libvirt then says paused with reason unknown; the other reasons
   * (user, migration, save, snapshot, starting up ...) are someone's doing or pass by themselves.
   */
  private static final List<Integer> PAUSED_FOR_GOOD = List.of(0, 5, 6, 10, 13, 14);

  private static final List<String> SHUTOFF_REASONS =
      List.of(
          "unknown",
          "shutdown",
          "destroyed",
          "crashed",
          "migrated",
          "saved",
          "failed",
          "from snapshot",
          "daemon");

  private static final List<String> RUNNING_REASONS =
      List.of(
          "unknown",
          "booted",
          "migrated",
          "restored",
          "from snapshot",
          "unpaused",
          "migration canceled",
          "save canceled",
          "event wakeup",
          "crashed",
          "post-copy");

  /**
   * Whether the domain will not become ready without someone's help: shut off, crashed, or paused
   * by an error. Running, blocked, shutting down (shut off soon, seen then), suspended by the guest
   * and paused for a passing or deliberate reason are not.
   */
  boolean dead() {
    return switch (state) {
      case SHUTOFF, CRASHED -> true;
      case PAUSED -> PAUSED_FOR_GOOD.contains(reason);
      default -> false;
    };
  }

  /** E.g. {@code shut off (crashed)} or {@code paused (unknown)}. */
  @Override
  public String toString() {
    String name = state >= 0 && state < STATES.size() ? STATES.get(state) : "state " + state;
    List<String> reasons =
        switch (state) {
          case RUNNING -> RUNNING_REASONS;
          case PAUSED -> PAUSED_REASONS;
          case 4 -> List.of("unknown", "user");
          case SHUTOFF -> SHUTOFF_REASONS;
          case CRASHED -> List.of("unknown", "panicked");
          default -> List.of("unknown");
        };
    String why = reason >= 0 && reason < reasons.size() ? reasons.get(reason) : "reason " + reason;
    return name + " (" + why + ")";
  }
}
