package io.kubitect.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
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

  /**
   * Every SDK jar names its module ({@code Automatic-Module-Name}, {@code io.kubitect.<module>})
   * and its version, and the SDK's jars load together on the module path (no split package).
   */
  @Test
  void everySdkJarIsANamedAutomaticModuleOfThisVersion() throws IOException {
    Map<String, String> names = new TreeMap<>();
    Set<Path> sdk = new HashSet<>();
    for (String jar : jars()) {
      Matcher m = JAR.matcher(jar);
      if (!m.matches() || !m.group(1).startsWith("kubitect-")) {
        continue;
      }
      Path file = DIST.resolve("lib").resolve(jar);
      sdk.add(file);
      try (JarFile jarFile = new JarFile(file.toFile())) {
        Manifest manifest = jarFile.getManifest();
        assertThat(manifest).as(jar).isNotNull();
        Attributes main = manifest.getMainAttributes();
        names.put(m.group(1), main.getValue("Automatic-Module-Name"));
        assertThat(main.getValue("Implementation-Version")).as(jar).isEqualTo(m.group(2));
      }
    }
    assertThat(names)
        .containsEntry("kubitect-model", "io.kubitect.model")
        .containsEntry("kubitect-core", "io.kubitect.core")
        .containsEntry("kubitect-libvirt", "io.kubitect.libvirt")
        .containsEntry("kubitect-kubespray", "io.kubitect.kubespray")
        .containsEntry("kubitect-cli", "io.kubitect.cli");
    names.forEach(
        (artifact, name) ->
            assertThat(name)
                .as(artifact)
                .isEqualTo("io.kubitect." + artifact.substring("kubitect-".length())));

    ModuleFinder finder = ModuleFinder.of(sdk.toArray(Path[]::new));
    Set<String> modules =
        finder.findAll().stream()
            .map(reference -> reference.descriptor().name())
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(modules).containsExactlyInAnyOrderElementsOf(names.values());
    // Two of them with a package in common would fail here.
    Configuration resolved =
        ModuleLayer.boot().configuration().resolve(finder, ModuleFinder.of(), modules);
    assertThat(resolved.modules()).hasSize(modules.size());
  }

  @Test
  void theVersionIsTheJarsVersion() throws Exception {
    String version =
        jars().stream()
            .map(JAR::matcher)
            .filter(m -> m.matches() && m.group(1).equals("kubitect-cli"))
            .map(m -> m.group(2))
            .findFirst()
            .orElseThrow();
    CliProcess.Result r = run(List.of(SCRIPT.toString(), "--version"), Map.of());
    assertThat(r.out()).isEqualTo("kubitect for Java " + version + "\n");
  }
}
