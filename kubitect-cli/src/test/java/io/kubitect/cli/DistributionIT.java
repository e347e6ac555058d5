package io.kubitect.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable distribution the build lays out in {@code target/kubitect}: {@code bin/kubitect}
 * finds {@code lib/} (also through a symbolic link) and runs the app from the jars there.
 */
class DistributionIT {
  private static final Path DIST = Path.of("target", "kubitect").toAbsolutePath();
  private static final Path SCRIPT = DIST.resolve("bin").resolve("kubitect");
  private static final Pattern JAR = Pattern.compile("(.+?)-(\\d[^-]*(?:-SNAPSHOT)?)\\.jar");

  @TempDir Path work;

  private CliProcess.Result run(List<String> command, Map<String, String> env)
      throws IOException, InterruptedException {
    return new CliProcess(work).command(command, env);
  }

  private static List<String> jars() throws IOException {
    try (Stream<Path> files = Files.list(DIST.resolve("lib"))) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void theScriptRunsTheAppFromItsJarsAlsoThroughALink() throws Exception {
    assertThat(Files.readString(SCRIPT)).startsWith("#!/bin/sh\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(SCRIPT)))
        .isEqualTo("rwxr-xr-x");
    Path link = Files.createSymbolicLink(work.resolve("kubitect"), SCRIPT);

    CliProcess.Result version = run(List.of(link.toString(), "--version"), Map.of());
    assertThat(version.exitCode()).as(version.err()).isEqualTo(ExitCode.OK);
    assertThat(version.out()).startsWith("kubitect for Java ");

    String config = Path.of(CliProcess.HA).toAbsolutePath().toString();
    CliProcess.Result validate =
        run(List.of(link.toString(), "validate", "--config", config), Map.of());
    assertThat(validate.exitCode()).as(validate.err()).isEqualTo(ExitCode.OK);
    assertThat(validate.out()).contains("ha.yaml is valid (1 warning(s))");
  }

  /** What the script hands to java: $HOME as user.home, lib/*, the app, the arguments as given. */
  @Test
  void theScriptPassesHomeJavaOptsAndTheArgumentsAsGiven() throws Exception {
    Path jdk = work.resolve("jdk");
    Path java = Files.createDirectories(jdk.resolve("bin")).resolve("java");
    Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do printf '<%s>\\n' \"$a\"; done\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path home = work.resolve("my home");
    String jdkHome = jdk.toString();
    String lib = "<-cp>\n<" + DIST.toRealPath().resolve("lib") + "/*>\n";

    CliProcess.Result r =
        run(
            List.of(SCRIPT.toString(), "list", "two words", ""),
            Map.of("JAVA_HOME", jdkHome, "HOME", home.toString(), "JAVA_OPTS", "-Xmx64m -Da=b"));
    assertThat(r.out())
        .isEqualTo(
            "<-Xmx64m>\n<-Da=b>\n<-Duser.home="
                + home
                + ">\n"
                + lib
                + "<io.kubitect.cli.KubitectCli>\n<list>\n<two words>\n<>\n");

    CliProcess.Result noHome =
        run(
            List.of("env", "-u", "HOME", "-u", "JAVA_OPTS", SCRIPT.toString(), "-V"),
            Map.of("JAVA_HOME", jdkHome));
    assertThat(noHome.out()).isEqualTo(lib + "<io.kubitect.cli.KubitectCli>\n<-V>\n");
  }

  @Test
  void libHoldsEveryRuntimeJarOnceAndNothingElse() throws IOException {
    List<String> jars = jars();
    assertThat(jars).allMatch(n -> JAR.matcher(n).matches(), "named artifact-version.jar");
    Map<String, List<String>> byArtifact =
        jars.stream()
            .collect(
                Collectors.groupingBy(
                    n -> {
                      Matcher m = JAR.matcher(n);
                      return m.matches() ? m.group(1) : n;
                    }));
    assertThat(byArtifact.values()).allMatch(versions -> versions.size() == 1, "one version each");
    assertThat(byArtifact)
        .containsKeys(
            "kubitect-model",
            "kubitect-core",
            "kubitect-libvirt",
            "kubitect-kubespray",
            "kubitect-cli",
            "picocli",
            "slf4j-api",
            "slf4j-simple",
            "sshj",
            "libvirt",
            "jna")
        .doesNotContainKeys("junit-jupiter-api", "assertj-core", "value-annotations", "examples");
  }
}
