package io.kubitect.core.spi;

import io.kubitect.model.KubitectException;
import java.util.List;

/** The Kubernetes installer failed: exit code, failed task and hosts, and the tail of its log. */
public class InstallationException extends KubitectException {
  private static final long serialVersionUID = 1L;

  private final int exitCode;
  private final String failedTask;

  @SuppressWarnings("serial") // a list of strings
  private final List<String> failedHosts;

  private final String logTail;

  /** A failed run. */
  public InstallationException(
      String message, int exitCode, String failedTask, List<String> failedHosts, String logTail) {
    super(message);
    this.exitCode = exitCode;
    this.failedTask = failedTask;
    this.failedHosts = List.copyOf(failedHosts);
    this.logTail = logTail;
  }

  /** Exit code of the installer process, or -1 when it did not start. */
  public int exitCode() {
    return exitCode;
  }

  /** Name of the task that failed, or empty when unknown. */
  public String failedTask() {
    return failedTask;
  }

  /** Hosts on which the task failed. */
  public List<String> failedHosts() {
    return failedHosts;
  }

  /** Last lines of the installer's output. */
  public String logTail() {
    return logTail;
  }
}
