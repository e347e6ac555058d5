package io.kubitect.kubespray.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubitect.core.spi.InstallationException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding helm, and what a failing or endless helm leaves in the error. */
class HelmTest {
  @TempDir Path dir;

  private Path script(String name, String body) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    assertThat(file.toFile().setExecutable(true)).isTrue();
    return file;
  }

  @Test
  void findsTheFirstExecutableHelmOnThePath() throws IOException {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    Path notExecutable = Files.createDirectories(dir.resolve("plain"));
    Files.writeString(notExecutable.resolve("helm"), "not a program");
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path helm = bin.resolve("helm");
    Files.writeString(helm, "#!/bin/sh\n");
    assertThat(helm.toFile().setExecutable(true)).isTrue();
    String path =
        String.join(
            File.pathSeparator,
            "",
            empty.toString(),
            notExecutable.toString(),
            "rel\0ative",
            bin.toString());

    assertThat(Helm.locate(Optional.empty(), path)).contains(helm);
    assertThat(Helm.locate(Optional.empty(), "")).isEmpty();
    assertThat(Helm.locate(Optional.empty(), empty.toString())).isEmpty();
  }

  @Test
  void anExplicitHelmMustBeAnExecutableFile() throws IOException {
    Path helm = script("helm", "exit 0");
    assertThat(Helm.locate(Optional.of(helm), "")).contains(helm);
    assertThat(Helm.locate(Optional.of(dir), "")).isEmpty();
    assertThat(Helm.locate(Optional.of(dir.resolve("../../etc/passwd")), "")).isEmpty();
    assertThat(Helm.missing(Optional.of(dir))).contains(dir.toString()).doesNotContain("\n");
    assertThat(Helm.missing(Optional.empty())).contains("not on the PATH", "helm(Path)");
  }

  @Test
  void aFailureKeepsABoundedTailOfTheOutput() throws IOException {
    // 20,000 lines, the last ones 100,000 characters long, then exit 3.
    Path helm =
        script(
            "helm",
            "i=0; while [ $i -lt 20000 ]; do echo line $i; i=$((i+1)); done;"
                + " head -c 100000 /dev/zero | tr '\\0' x; echo; echo last words; exit 3");
    Path kubeconfig = Files.writeString(dir.resolve("admin.conf"), "clusters: []\n");
    Helm run = new Helm(helm.toString(), kubeconfig, dir.resolve("state"), Duration.ofMinutes(1));

    assertThatThrownBy(() -> run.run("operator", List.of("version")))
        .isInstanceOfSatisfying(
            InstallationException.class,
            e -> {
              assertThat(e.getMessage())
                  .isEqualTo("helm operator failed with exit code 3: last words");
              assertThat(e.exitCode()).isEqualTo(3);
              assertThat(e.logTail().lines().count()).isLessThanOrEqualTo(40);
              assertThat(e.logTail().length()).isLessThan(40 * 2_010);
              assertThat(e.logTail()).contains("line 19999");
            });
    assertThat(dir.resolve("state/logs/001-operator.log")).exists();
  }

  @Test
  void aCallThatOutlivesTheTimeoutIsKilled() throws IOException {
    Path helm = script("helm", "sleep 30");
    Path kubeconfig = Files.writeString(dir.resolve("admin.conf"), "clusters: []\n");
    Helm run = new Helm(helm.toString(), kubeconfig, dir.resolve("state"), Duration.ofMillis(300));
    long start = System.nanoTime();

    assertThatThrownBy(() -> run.run("cluster", List.of("version")))
        .isInstanceOf(InstallationException.class)
        .hasMessageStartingWith("helm cluster timed out after PT0.3S and was killed");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
  }
}
