package io.kubitect.core.ssh;

/** A command ran on a node and exited with a non-zero status. */
public class RemoteCommandException extends SshException {
  private static final long serialVersionUID = 1L;
  private static final int TAIL = 2000;

  private final int exitCode;
  private final String stderrTail;

  /** The failed result. */
  public RemoteCommandException(CommandResult result) {
    super(
        "'"
            + result.command()
            + "' on "
            + result.target()
            + " exited with status "
            + result.exitCode()
            + tailOf(result));
    this.exitCode = result.exitCode();
    this.stderrTail = tail(result.stderr().isBlank() ? result.stdout() : result.stderr());
  }

  private static String tailOf(CommandResult result) {
    String text = tail(result.stderr().isBlank() ? result.stdout() : result.stderr()).strip();
    return text.isEmpty() ? " (no output)" : ":\n" + text;
  }

  private static String tail(String text) {
    return text.length() <= TAIL ? text : "..." + text.substring(text.length() - TAIL);
  }

  /** The exit status, -1 when killed by a signal. */
  public int exitCode() {
    return exitCode;
  }

  /** The end of standard error (or of standard output when it wrote nothing to standard error). */
  public String stderrTail() {
    return stderrTail;
  }
}
