package io.kubitect.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubitect.core.AppliedCluster;
import io.kubitect.core.ApplyAction;
import io.kubitect.core.Kubitect;
import io.kubitect.core.KubitectEvent;
import io.kubitect.core.NodeStatus;
import io.kubitect.core.Phase;
import io.kubitect.core.SpecValidator;
import io.kubitect.core.StepOutcome;
import io.kubitect.core.ValidationReport;
import io.kubitect.model.ClusterSpec;
import io.kubitect.model.KubitectYaml;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The presets: Kubitect's five under Kubitect's names and this project's examples, each valid for
 * this release; {@code list presets} and {@code export preset} print them as Kubitect does.
 */
class PresetsTest {
  private static final Path KUBITECT_PRESETS = Path.of("src/main/resources/presets");

  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = KubitectCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }

  private static List<String> yamlNames(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".yaml"))
          .map(n -> n.substring(0, n.length() - ".yaml".length()))
          .sorted()
          .toList();
    }
  }

  static List<String> names() {
    return Presets.NAMES;
  }

  @Test
  void thePresetsAreKubitectsAndTheExamplesAndNothingElse() throws IOException {
    assertThat(yamlNames(CliProcess.EXAMPLES)).containsExactlyElementsOf(Presets.EXAMPLES);
    assertThat(yamlNames(KUBITECT_PRESETS)).containsExactlyElementsOf(Presets.KUBITECT);
    assertThat(Presets.KUBITECT).doesNotContainAnyElementsOf(Presets.EXAMPLES);
    assertThat(Presets.NAMES).hasSize(Presets.KUBITECT.size() + Presets.EXAMPLES.size()).isSorted();
    for (String name : Presets.EXAMPLES) {
      assertThat(Presets.text(name))
          .isEqualTo(Files.readString(CliProcess.EXAMPLES.resolve(name + ".yaml")));
    }
    for (String name : Presets.KUBITECT) {
      assertThat(Presets.text(name))
          .isEqualTo(Files.readString(KUBITECT_PRESETS.resolve(name + ".yaml")));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("names")
  void everyPresetValidatesForThisRelease(String name) {
    ClusterSpec spec = KubitectYaml.read(Presets.text(name), name + ".yaml");
    ValidationReport report = SpecValidator.validate(spec);
    assertThat(report.errors()).as("%s:%n%s", name, report).isEmpty();
    if (Presets.KUBITECT.contains(name)) {
      // Kubitect's presets are written in its current schema: no warning but that one host holds
      // every master (they are single-host examples).
      assertThat(report.warnings())
          .as("%s:%n%s", name, report)
          .allSatisfy(w -> assertThat(w.toString()).contains("masters run on host 'localhost'"));
      assertThat(KubitectYaml.write(spec)).doesNotContain("kubespray");
    }
  }

  @Test
  void minimalHasOneDhcpMasterAndTheDefaults() {
    ClusterSpec minimal = KubitectYaml.read(Presets.text("minimal"), "minimal.yaml");
    assertThat(minimal.cluster().nodes().master().instances())
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.id()).contains("1");
              assertThat(m.ip()).isEmpty();
            });
    assertThat(minimal.cluster().network().cidr()).contains("192.168.113.0/24");
    assertThat(minimal.kubernetes().version()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"minimal", "getting-started"})
  void appliesOnSimulatedHostsWithoutTouchingTheHome(String name, @TempDir Path tmp)
      throws IOException {
    Path home = Files.createDirectory(tmp.resolve("home"));
    Path state = tmp.resolve("state");
    List<KubitectEvent> events = Collections.synchronizedList(new ArrayList<>());
    ClusterSpec spec = KubitectYaml.read(Presets.text(name), name + ".yaml");
    try (Kubitect kubitect =
        Kubitect.builder()
            .simulatedHosts()
            .home(home)
            .stateDirectory(state)
            .listener(events::add)
            .build()) {
      AppliedCluster cluster = kubitect.apply(kubitect.plan(spec, ApplyAction.CREATE));

      assertThat(cluster.simulated()).isTrue();
      int nodes = name.equals("minimal") ? 1 : 2;
      assertThat(cluster.nodes()).hasSize(nodes);
      assertThat(cluster.nodes())
          .extracting(NodeStatus::ip)
          .allSatisfy(
              ip ->
                  assertThat(ip).hasValueSatisfying(a -> assertThat(a).startsWith("192.168.113.")));
      assertThat(events)
          .filteredOn(KubitectEvent.PhaseFinished.class::isInstance)
          .map(KubitectEvent.PhaseFinished.class::cast)
          .noneMatch(f -> f.outcome() == StepOutcome.FAILED)
          .anyMatch(f -> f.phase() == Phase.STATE);
      kubitect.destroy("k8s-cluster");
      assertThat(kubitect.clusters()).isEmpty();
    }
    // Simulated nodes' keys are not real: nothing reaches the home's .ssh or .kube.
    try (Stream<Path> files = Files.list(home)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void listPresetsPrintsKubitectsLayout() {
    Result list = run("list", "presets");
    assertThat(list.code()).isZero();
    StringBuilder expected = new StringBuilder("Available presets:\n");
    Presets.NAMES.forEach(n -> expected.append("- ").append(n).append('\n'));
    assertThat(list.out().replace(System.lineSeparator(), "\n")).isEqualTo(expected.toString());
    assertThat(list.out()).contains("- getting-started").contains("- minimal").contains("- ha");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"minimal", "getting-started", "example-multi-master", "ha"})
  void exportPresetPrintsTheFileAndANewline(String name) throws IOException {
    Path file =
        Presets.KUBITECT.contains(name)
            ? KUBITECT_PRESETS.resolve(name + ".yaml")
            : CliProcess.EXAMPLES.resolve(name + ".yaml");
    Result export = run("export", "preset", "--name", name);
    assertThat(export.code()).as(export.err()).isZero();
    assertThat(export.out()).isEqualTo(Files.readString(file) + "\n");
  }

  @ParameterizedTest(name = "[{index}]")
  @ValueSource(
      strings = {
        "nope",
        "",
        "../examples/ha",
        "ha.yaml",
        "/etc/passwd",
        "MINIMAL",
        "minimal\n",
        "min\u202eimal",
        "presets/minimal"
      })
  void anUnknownPresetIsOneLineListingThePresetsAndAWrongCommandLine(String name) {
    Result export = run("export", "preset", "--name", name);
    assertThat(export.code()).isEqualTo(ExitCode.USAGE);
    assertThat(export.out()).isEmpty();
    assertThat(export.err())
        .startsWith("error: preset '")
        .contains("does not exist; presets: " + String.join(", ", Presets.NAMES))
        .doesNotContain("\u202e")
        .hasLineCount(1);
  }

  @Test
  void aHugeUnknownNameIsCutInTheMessage() {
    String huge = "x".repeat(100_000);
    Result export = run("export", "preset", "--name", huge);
    assertThat(export.code()).isEqualTo(ExitCode.USAGE);
    assertThat(export.err()).hasLineCount(1).contains("(100000 characters)");
    assertThat(export.err().length()).isLessThan(1_000);
  }

  @Test
  void theNameIsRequired() {
    assertThat(run("export", "preset").code()).isEqualTo(ExitCode.USAGE);
  }
}
