package io.kubitect.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubitect.model.KubitectException;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The global {@code --debug} option and how a command's exception is reported. */
class KubitectCliTest {
  private static KubitectCli parse(String... args) {
    KubitectCli app = new KubitectCli();
    KubitectCli.commandLine(
            app, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))
        .parseArgs(args);
    return app;
  }

  @Test
  void debugIsGlobalBeforeOrAfterTheCommand() {
    assertThat(parse("validate", "--config", "x.yaml").debug).isFalse();
    assertThat(parse("--debug", "validate", "--config", "x.yaml").debug).isTrue();
    assertThat(parse("validate", "--debug", "--config", "x.yaml").debug).isTrue();
    assertThat(parse("list", "clusters", "--debug").debug).isTrue();
  }

  @Test
  void anUnexpectedErrorIsOneLineWithAHintOrTheTraceWithDebug() {
    StringWriter quiet = new StringWriter();
    int code =
        KubitectCli.failed(new IllegalStateException("boom"), new PrintWriter(quiet, true), false);
    assertThat(code).isEqualTo(ExitCode.FAILED);
    assertThat(quiet.toString())
        .isEqualTo(
            "error: unexpected IllegalStateException: boom"
                + " (rerun with --debug for the stack trace and full logs)"
                + System.lineSeparator());

    StringWriter traced = new StringWriter();
    KubitectCli.failed(new IllegalStateException("boom"), new PrintWriter(traced, true), true);
    assertThat(traced.toString())
        .startsWith("error: unexpected IllegalStateException: boom" + System.lineSeparator())
        .contains("java.lang.IllegalStateException: boom")
        .contains("\tat io.kubitect.cli.KubitectCliTest.");
  }

  @Test
  void anSdkErrorIsItsMessageOnlyEvenWithDebug() {
    StringWriter err = new StringWriter();
    int code =
        KubitectCli.failed(new KubitectException("no such host"), new PrintWriter(err, true), true);
    assertThat(code).isEqualTo(ExitCode.FAILED);
    assertThat(err.toString()).isEqualTo("error: no such host" + System.lineSeparator());
  }
}
