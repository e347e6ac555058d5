package io.kubitect.kubespray.internal;

import java.util.Optional;

/** What {@link AnsibleOutput} recognised in a line of {@code ansible-playbook}'s output. */
public sealed interface AnsibleEvent {

  /** A host's result of one task (one line; a loop gives one per item). */
  enum Status {
    OK,
    CHANGED,
    SKIPPED,
    FAILED,
    UNREACHABLE,
    IGNORED;

    /** Lower-case, as Ansible prints it. */
    @Override
    public String toString() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** {@code PLAY [name]}: the {@code index}-th play (from 1) of the run begins. */
  record PlayStarted(int index, String name) implements AnsibleEvent {}

  /** {@code TASK [name]} or {@code RUNNING HANDLER [name]}: the {@code index}-th task begins. */
  record TaskStarted(int index, String play, String name) implements AnsibleEvent {}

  /**
   * A result line such as {@code changed: [node]} or {@code fatal: [node -> master]: FAILED! =>
   * {...}}.
   *
   * @param delegatedTo the host the task ran on for {@code host} ({@code delegate_to}), if any
   * @param message Ansible's {@code msg} for failures and unreachable hosts, else empty
   */
  record HostResult(
      String task, String host, Optional<String> delegatedTo, Status status, String message)
      implements AnsibleEvent {}

  /** A {@code PLAY RECAP} line: the counts of one host for the whole run. */
  record Recap(String host, Counts counts) implements AnsibleEvent {}

  /** Per-host counts, as in the recap. */
  record Counts(int ok, int changed, int unreachable, int failed, int skipped, int ignored) {
    /** No results yet. */
    public static final Counts NONE = new Counts(0, 0, 0, 0, 0, 0);

    /** These counts with one more result of {@code status}. */
    public Counts plus(Status status) {
      return switch (status) {
        case OK -> new Counts(ok + 1, changed, unreachable, failed, skipped, ignored);
        // Ansible's recap counts a changed result in both ok and changed.
        case CHANGED -> new Counts(ok + 1, changed + 1, unreachable, failed, skipped, ignored);
        case SKIPPED -> new Counts(ok, changed, unreachable, failed, skipped + 1, ignored);
        case FAILED -> new Counts(ok, changed, unreachable, failed + 1, skipped, ignored);
        case UNREACHABLE -> new Counts(ok, changed, unreachable + 1, failed, skipped, ignored);
        case IGNORED -> new Counts(ok, changed, unreachable, failed, skipped, ignored + 1);
      };
    }

    /** Whether the host failed or could not be reached. */
    public boolean failedOrUnreachable() {
      return failed > 0 || unreachable > 0;
    }

    @Override
    public String toString() {
      return "ok="
          + ok
          + " changed="
          + changed
          + " unreachable="
          + unreachable
          + " failed="
          + failed
          + " skipped="
          + skipped
          + " ignored="
          + ignored;
    }
  }
}
