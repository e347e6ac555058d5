package io.kubitect.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubitect.core.ApplyAction;
import io.kubitect.core.Kubitect;
import io.kubitect.model.ClusterSpec;
import io.kubitect.model.KubitectYaml;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kubitect export config}: Kubitect's current schema by default, which Kubitect reads, and
 * {@code --format sdk} for the SDK's own form, the saved file.
 */
class ExportConfigTest {
  @TempDir static Path state;

  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = KubitectCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }

  @BeforeAll
  static void applyTheSeedOnSimulatedHosts() {
    try (Kubitect kubitect =
        Kubitect.builder().simulatedHosts().stateDirectory(state).home(state).build()) {
      kubitect.apply(KubitectYaml.read(Path.of(CliProcess.HA)), ApplyAction.CREATE);
    }
  }

  @Test
  void byDefaultKubitectsSchemaWithTheSdksPinNamedInAComment() {
    Result export =
        run("export", "config", "--cluster", "kubitect-ha", "--state", state.toString());
    Result explicit =
        run(
            "export",
            "config",
            "--cluster",
            "kubitect-ha",
            "--format",
            "kubitect",
            "--state",
            state.toString());

    assertThat(export.code()).as(export.err()).isZero();
    assertThat(explicit.out()).isEqualTo(export.out());
    // The seed pins Kubespray v2.19.0 in the older schema; Kubitect has no key for it.
    assertThat(export.out())
        .startsWith("# Kubitect's current schema")
        .contains("# kubespray release pinned by the SDK: v2.19.0")
        .doesNotContain("\n  kubespray:")
        .contains("distro: ubuntu22");
    ClusterSpec applied = KubitectYaml.read(Path.of(CliProcess.HA)).resolveDefaults();
    ClusterSpec reread = KubitectYaml.read(export.out(), "exported");
    assertThat(reread.cluster()).isEqualTo(applied.cluster());
    assertThat(reread.hosts()).isEqualTo(applied.hosts());
    assertThat(reread.kubernetes().kubespray().version()).isEmpty();
  }

  @Test
  void formatSdkIsTheSavedFileAndRoundTrips() throws Exception {
    Result export =
        run(
            "export",
            "config",
            "--cluster",
            "kubitect-ha",
            "--format",
            "sdk",
            "--state",
            state.toString());

    assertThat(export.code()).as(export.err()).isZero();
    assertThat(export.out())
        .isEqualTo(Files.readString(state.resolve("kubitect-ha/config/kubitect-applied.yaml")))
        .contains("version: v2.19.0");
    assertThat(KubitectYaml.read(export.out(), "sdk"))
        .isEqualTo(KubitectYaml.read(Path.of(CliProcess.HA)).resolveDefaults());
  }

  @Test
  void anUnknownFormatIsAWrongCommandLine() {
    for (String format : new String[] {"yaml", "", "SDK", "sdk\n", "x".repeat(10_000)}) {
      Result export =
          run(
              "export",
              "config",
              "--cluster",
              "kubitect-ha",
              "--format",
              format,
              "--state",
              state.toString());
      assertThat(export.code()).isEqualTo(ExitCode.USAGE);
      assertThat(export.out()).isEmpty();
      assertThat(export.err()).contains("formats: kubitect, sdk").doesNotContain("x".repeat(100));
    }
  }
}
