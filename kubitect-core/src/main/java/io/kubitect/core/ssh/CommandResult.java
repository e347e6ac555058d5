package io.kubitect.core.ssh;

import java.time.Duration;

/**
 * How a command ended.
 *
 * @param exitCode the exit status; -1 when the command was ended by a signal
 * @param stdout standard output as UTF-8 (at most 1 MiB is kept)
 * @param stderr standard error as UTF-8 (at most 1 MiB is kept)
 */
public record CommandResult(
    SshTarget target,
    String command,
    int exitCode,
    String stdout,
    String stderr,
    Duration duration) {

  /** Whether it exited with status 0. */
  public boolean succeeded() {
    return exitCode == 0;
  }

  /**
   * Returns this result when it succeeded.
   *
   * @throws RemoteCommandException with the exit code and the end of standard error otherwise
   */
  public CommandResult requireSuccess() {
    if (!succeeded()) {
      throw new RemoteCommandException(this);
    }
    return this;
  }
}
