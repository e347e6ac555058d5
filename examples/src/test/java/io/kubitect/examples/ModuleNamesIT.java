package io.kubitect.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every module's jar names its module in its manifest: {@code Automatic-Module-Name:
 * io.kubitect.<module>} (the module's directory without {@code kubitect-}). Runs in examples, the
 * last module of the build, so every other module's jar of this build is there; a module whose jar
 * was not built in this run is not looked at.
 */
class ModuleNamesIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void everyModuleJarHasItsAutomaticModuleName() throws IOException {
    List<String> checked = new ArrayList<>();
    try (Stream<Path> modules = Files.list(ROOT)) {
      for (Path module : modules.filter(m -> Files.isRegularFile(m.resolve("pom.xml"))).toList()) {
        String dir = module.getFileName().toString();
        Pattern jar = Pattern.compile(Pattern.quote(dir) + "-\\d[^-]*(?:-SNAPSHOT)?\\.jar");
        Path target = module.resolve("target");
        if (!Files.isDirectory(target)) {
          continue;
        }
        try (Stream<Path> files = Files.list(target)) {
          for (Path file :
              files.filter(f -> jar.matcher(f.getFileName().toString()).matches()).toList()) {
            try (JarFile jarFile = new JarFile(file.toFile())) {
              Manifest manifest = jarFile.getManifest();
              assertThat(manifest).as(file.toString()).isNotNull();
              assertThat(manifest.getMainAttributes().getValue("Automatic-Module-Name"))
                  .as(file.toString())
                  .isEqualTo("io.kubitect." + dir.replaceFirst("^kubitect-", ""));
            }
            checked.add(dir);
          }
        }
      }
    }
    assertThat(checked).contains("examples");
  }
}
