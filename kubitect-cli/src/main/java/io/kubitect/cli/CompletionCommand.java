package io.kubitect.cli;

import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kubitect completion [bash|zsh]}: prints the shell completion script of every command,
 * option and fixed value (picocli's generator). zsh runs the bash script through bashcompinit.
 */
@Command(
    name = "completion",
    mixinStandardHelpOptions = true,
    description = {
      "Prints a bash completion script for kubitect (zsh: the same script, through bashcompinit).",
      "",
      "In this shell:      source <(kubitect completion)",
      "For every shell:    kubitect completion > /etc/bash_completion.d/kubitect"
    })
final class CompletionCommand implements Callable<Integer> {
  private static final List<String> SHELLS = List.of("bash", "zsh");

  @Spec CommandSpec spec = CommandSpec.create();

  @Parameters(
      arity = "0..1",
      paramLabel = "SHELL",
      completionCandidates = Shells.class,
      description = "bash (default) or zsh.")
  String shell = "bash";

  @Override
  public Integer call() {
    if (!SHELLS.contains(shell)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "unsupported shell '" + shell + "': use bash or zsh");
    }
    CommandLine root = spec.root().commandLine();
    spec.commandLine().getOut().print(AutoComplete.bash(spec.root().name(), root));
    return ExitCode.OK;
  }

  /** The shells {@code kubitect completion} completes. */
  static final class Shells implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return SHELLS.iterator();
    }
  }
}
