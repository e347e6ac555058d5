package io.kubitect.core.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubitect.core.testing.Local;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Quoting and command lines, checked by a real POSIX shell on this machine. */
class RemoteCommandTest {
  private static final SshTarget ROOT = SshTarget.of("10.0.0.1", "root");
  private static final SshTarget USER = SshTarget.of("10.0.0.1", "k8s");

  @Test
  void quotedWordsReachTheProgramUnchanged() {
    List<String> hostile =
        List.of(
            "plain",
            "",
            "a'; touch /tmp/pwned; '",
            "$(id)",
            "`id`",
            "x\ny",
            "'''",
            "\\",
            "*",
            "$HOME",
            "-n",
            "a\"b",
            "ünïcødé");
    for (String word : hostile) {
      String line = Shell.join(List.of("printf", "%s", word));
      assertThat(Local.run("sh", "-c", line)).as(line).isEqualTo(word);
    }
  }

  @Test
  void rejectsNul() {
    assertThatThrownBy(() -> Shell.quote("a\0b")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void scriptsTakeValuesAsPositionalParameters() {
    RemoteCommand command =
        RemoteCommand.script("demo", "printf '%s|%s' \"$1\" \"$2\"", "a b", "$x");
    String line = command.commandLine(ROOT, Duration.ofSeconds(5), Duration.ofSeconds(2));
    assertThat(line)
        .isEqualTo(
            "'timeout' '-k' '2.000' '5.000' 'sh' '-c' 'printf '\\''%s|%s'\\'' \"$1\" \"$2\"'"
                + " 'kubitect' 'a b' '$x'");
    assertThat(Local.run("sh", "-c", line)).isEqualTo("a b|$x");
  }

  @Test
  void usesSudoOnlyForRootCommandsOfOtherUsers() {
    RemoteCommand command = RemoteCommand.of("id", "-u").asRoot();
    Duration t = Duration.ofMillis(1500);
    assertThat(command.commandLine(USER, t, t)).startsWith("'sudo' '-n' '--' 'timeout'");
    assertThat(command.commandLine(ROOT, t, t)).startsWith("'timeout' '-k' '1.500' '1.500' 'id'");
    assertThat(RemoteCommand.of("id").commandLine(USER, t, t)).startsWith("'timeout'");
  }

  @Test
  void descriptionNeverShowsStandardInput() {
    RemoteCommand command =
        RemoteCommand.script("upload /etc/x", "cat > \"$1\"", "/etc/x").withStdin(new byte[] {1});
    assertThat(command.toString()).isEqualTo("upload /etc/x");
  }
}
