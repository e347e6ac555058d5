package io.kubitect.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kubitect completion}: a script bash loads, which completes commands, options, values. */
class CompletionTest {
  @TempDir Path work;

  private String script(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = KubitectCli.run(args, new PrintWriter(out), new PrintWriter(err));
    assertThat(code).as(err.toString()).isEqualTo(ExitCode.OK);
    return out.toString();
  }

  /** What bash offers for the words of {@code line} (the last one being completed). */
  private CliProcess.Result complete(Path script, String line) throws Exception {
    String bash =
        """
        source "$1" || exit 9
        complete -p kubitect || exit 8
        read -r -a COMP_WORDS <<< "$2"
        case "$2" in *' ') COMP_WORDS+=("") ;; esac
        COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        COMP_LINE=$2
        COMP_POINT=${#COMP_LINE}
        function=$(complete -p kubitect | sed -n 's/.* -F \\([^ ]*\\) .*/\\1/p')
        "$function" kubitect "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}" 2>/dev/null
        printf 'offered: %s\\n' "${COMPREPLY[@]}"
        """;
    return new CliProcess(work)
        .command(List.of("bash", "-c", bash, "bash", script.toString(), line), Map.of());
  }

  @Test
  void bashLoadsTheScriptAndCompletesCommandsOptionsAndValues() throws Exception {
    Path script = Files.writeString(work.resolve("kubitect.bash"), script("completion"));

    CliProcess.Result ap = complete(script, "kubitect ap");
    assertThat(ap.exitCode()).as(ap.err()).isZero();
    assertThat(ap.out()).contains("complete -o default -F _complete_kubitect kubitect");
    assertThat(ap.out()).contains("offered: apply\n").doesNotContain("offered: plan");

    assertThat(complete(script, "kubitect apply --sim").out()).contains("offered: --simulate\n");
    assertThat(complete(script, "kubitect destroy --de").out()).contains("offered: --debug\n");
    assertThat(complete(script, "kubitect completion ").out())
        .contains("offered: bash\n", "offered: zsh\n");
    assertThat(complete(script, "kubitect export preset --name get").out())
        .contains("offered: getting-started\n");
    assertThat(complete(script, "kubitect export config --format ").out())
        .contains("offered: kubitect\n", "offered: sdk\n");
  }

  @Test
  void bashAndZshGetTheSameScriptOtherShellsAreAWrongCommandLine() {
    assertThat(script("completion", "zsh")).isEqualTo(script("completion", "bash"));
    assertThat(script("completion")).isEqualTo(script("completion", "bash"));

    StringWriter err = new StringWriter();
    int code =
        KubitectCli.run(
            new String[] {"completion", "fish"},
            new PrintWriter(new StringWriter()),
            new PrintWriter(err));
    assertThat(code).isEqualTo(ExitCode.USAGE);
    assertThat(err.toString()).contains("unsupported shell 'fish': use bash or zsh");
  }
}
