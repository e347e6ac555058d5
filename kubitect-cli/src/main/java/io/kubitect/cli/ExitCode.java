package io.kubitect.cli;

/** Exit codes scripts can rely on. */
public final class ExitCode {
  /** Success; warnings may have been printed. */
  public static final int OK = 0;

  /** The configuration is invalid or a requested change is refused; nothing was touched. */
  public static final int INVALID = 1;

  /** The command line itself is wrong (unknown option, missing argument). */
  public static final int USAGE = 2;

  /** The operation started and failed (a host, a tool or a node); the message says where. */
  public static final int FAILED = 3;

  /** The user declined a prompt. */
  public static final int ABORTED = 4;

  /**
   * {@code status} found a failed check, or {@code drill} ran and found a problem (the output lists
   * each).
   */
  public static final int UNHEALTHY = 5;

  private ExitCode() {}
}
