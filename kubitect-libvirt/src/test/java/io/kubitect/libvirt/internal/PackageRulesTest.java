package io.kubitect.libvirt.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Keeps libvirt-java behind one class, and the public surface of the module small. */
class PackageRulesTest {
  private static final Path MAIN = Path.of("src/main/java/io/kubitect/libvirt");

  @Test
  void onlyLibvirtSessionImportsLibvirtJava() throws IOException {
    assertThat(sourcesContaining("import org.libvirt"))
        .containsExactly("internal/LibvirtSession.java");
  }

  @Test
  void rootPackageHoldsOnlyTheProvisioner() throws IOException {
    try (Stream<Path> files = Files.list(MAIN)) {
      assertThat(files.filter(Files::isRegularFile).map(f -> f.getFileName().toString()).sorted())
          .containsExactly("LibvirtExecutors.java", "LibvirtProvisioner.java", "package-info.java");
    }
  }

  @Test
  void internalPublicTypesAreOnlyTheEngineAndItsSettings() throws IOException {
    assertThat(sourcesContaining("\npublic "))
        .containsExactlyInAnyOrder(
            "LibvirtExecutors.java",
            "LibvirtProvisioner.java",
            "internal/Engine.java",
            "internal/Settings.java");
  }

  private static List<String> sourcesContaining(String text) throws IOException {
    try (Stream<Path> files = Files.walk(MAIN)) {
      return files
          .filter(f -> f.toString().endsWith(".java"))
          .filter(f -> read(f).contains(text))
          .map(f -> MAIN.relativize(f).toString())
          .sorted()
          .toList();
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
