package io.kubitect.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The command line as a user runs it, for the CLI tests: a child JVM (or any command) with stdin
 * from /dev/null, its exit code and its output. Its temporary directory is {@code work/tmp}, so a
 * test can see what a run leaves there.
 */
final class CliProcess {
  /** The example configurations, the app's presets ({@code examples/*.yaml}). */
  static final Path EXAMPLES = Path.of("..", "examples");

  /** The seed's HA example, {@code examples/ha.yaml}. */
  static final String HA = EXAMPLES.resolve("ha.yaml").toString();

  record Result(int exitCode, String out, String err) {}

  private final Path work;

  CliProcess(Path work) {
    this.work = work;
  }

  /** The JVM's temporary directory for runs of {@link #kubitect}. */
  Path tmp() throws IOException {
    return Files.createDirectories(work.resolve("tmp"));
  }

  /** {@code kubitect ARGS} in a child JVM with the test's class path and extra environment. */
  Result kubitect(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Djava.io.tmpdir=" + tmp());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(KubitectCli.class.getName());
    command.addAll(List.of(args));
    return command(command, env);
  }

  /** Any command, waited for up to 180 s. */
  Result command(List<String> command, Map<String, String> env)
      throws IOException, InterruptedException {
    Path out = work.resolve("out.txt");
    Path err = work.resolve("err.txt");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    builder.environment().putAll(env);
    Process process = builder.start();
    assertThat(process.waitFor(180, TimeUnit.SECONDS)).as("the command finished").isTrue();
    return new Result(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
