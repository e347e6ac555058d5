package io.kubitect.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubitect.core.ApplyAction;
import io.kubitect.core.Kubitect;
import io.kubitect.model.KubitectYaml;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kubitect export topology}: the picture of a configuration file or an applied cluster. */
class ExportTopologyTest {
  private static final Path HA = Path.of("../examples/ha.yaml");

  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = KubitectCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void drawsTheSeedClusterFromItsFile() {
    Result result = run("export", "topology", "--config", HA.toString());
    assertThat(result.code()).as(result.err()).isZero();
    assertThat(result.out()).contains("<svg").contains("10.10.13.200").contains("host5");
  }

  @Test
  void drawsAnAppliedClusterFromItsState(@TempDir Path state) {
    try (Kubitect kubitect =
        Kubitect.builder().simulatedHosts().stateDirectory(state).home(state).build()) {
      kubitect.apply(kubitect.plan(KubitectYaml.read(HA), ApplyAction.CREATE));
    }
    Result fromState =
        run("export", "topology", "--cluster", "kubitect-ha", "--state", state.toString());
    Result fromFile = run("export", "topology", "--config", HA.toString());
    assertThat(fromState.code()).as(fromState.err()).isZero();
    assertThat(fromState.out()).isEqualTo(fromFile.out());
  }

  @Test
  void hostileOrMissingSourcesAreOneLineErrors(@TempDir Path dir) throws Exception {
    assertThat(run("export", "topology").code()).isEqualTo(ExitCode.USAGE);
    assertThat(
            run("export", "topology", "--config", HA.toString(), "--cluster", "kubitect-ha").code())
        .isEqualTo(ExitCode.USAGE);
    assertThat(run("export", "topology", "--cluster", "../x").code()).isEqualTo(ExitCode.USAGE);
    Result none =
        run("export", "topology", "--cluster", "nope", "--state", dir.resolve("s").toString());
    assertThat(none.code()).isEqualTo(ExitCode.FAILED);
    assertThat(none.err().strip()).contains("nope").doesNotContain("\n");
    Path empty = Files.writeString(dir.resolve("empty.yaml"), "");
    Result invalid = run("export", "topology", "--config", empty.toString());
    assertThat(invalid.code()).isEqualTo(ExitCode.INVALID);
    assertThat(invalid.out()).isEmpty();
  }
}
