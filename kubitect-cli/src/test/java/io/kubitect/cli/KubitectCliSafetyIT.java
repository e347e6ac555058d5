package io.kubitect.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line at its edges, as a user or a script runs it (a child JVM): names that would
 * leave the state directory, the recorded provisioning mode, a declined change, {@code $HOME}, no
 * temporary directory left behind, and the launcher's library check. Every destroy here is of a
 * cluster applied on simulated hosts or refused before anything is touched: the seed's hosts
 * (10.10.0.x) are never contacted.
 */
class KubitectCliSafetyIT {
  @TempDir Path work;

  private CliProcess.Result run(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    return new CliProcess(work).kubitect(env, args);
  }

  private CliProcess.Result run(String... args) throws IOException, InterruptedException {
    return run(Map.of(), args);
  }

  private CliProcess.Result start(List<String> command, Map<String, String> env)
      throws IOException, InterruptedException {
    return new CliProcess(work).command(command, env);
  }

  private Path tmp() throws IOException {
    return new CliProcess(work).tmp();
  }

  private String state() {
    return work.resolve("state").toString();
  }

  private CliProcess.Result applySimulated() throws Exception {
    CliProcess.Result apply =
        run("apply", "--config", CliProcess.HA, "--simulate", "--auto-approve", "--state", state());
    assertThat(apply.exitCode()).as(apply.out() + apply.err()).isEqualTo(ExitCode.OK);
    return apply;
  }

  @Test
  void clusterNamesThatAreNotNamesAreAWrongCommandLineAndTouchNothing() throws Exception {
    Path victim = Files.createDirectories(work.resolve("x"));
    Files.writeString(victim.resolve("keep"), "precious");
    Path other = Files.createDirectories(work.resolve("other/c/config"));
    Files.writeString(other.resolve("kubitect-applied.yaml"), "secret: yes\n");
    applySimulated();

    for (String name : List.of("../x", victim.toString(), "", ".", "..")) {
      CliProcess.Result r = run("destroy", "--cluster", name, "--auto-approve", "--state", state());
      assertThat(r.exitCode()).as(name + ": " + r.err()).isEqualTo(ExitCode.USAGE);
      assertThat(r.err()).contains("invalid cluster name").doesNotContain("\tat ");
    }
    CliProcess.Result export =
        run("export", "config", "--cluster", "../other/c", "--state", state());
    assertThat(export.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(export.out()).doesNotContain("secret");

    assertThat(victim.resolve("keep")).hasContent("precious");
    assertThat(work.resolve("state/kubitect-ha/config/.ssh/id_ed25519")).exists();
  }

  @Test
  void destroyUsesTheRecordedModeAndRefusesSimulateForARealCluster() throws Exception {
    applySimulated();
    // Without --simulate: the record says simulated, so no real host is contacted.
    CliProcess.Result destroy =
        run("destroy", "--cluster", "kubitect-ha", "--auto-approve", "--state", state());
    assertThat(destroy.exitCode()).as(destroy.out() + destroy.err()).isEqualTo(ExitCode.OK);
    assertThat(destroy.out()).contains("provisioned on simulated hosts").contains("destroyed");

    // A cluster recorded as real: --simulate must not forget its keys.
    applySimulated();
    Path record = work.resolve("state/kubitect-ha/config/provisioning");
    Files.writeString(record, "simulated=false\nhosts=host1 host2 host3 host4 host5\n");
    CliProcess.Result refused =
        run(
            "destroy",
            "--cluster",
            "kubitect-ha",
            "--simulate",
            "--auto-approve",
            "--state",
            state());
    assertThat(refused.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(refused.err())
        .contains("was provisioned on real hosts (host1, host2, host3, host4, host5)")
        .contains("nothing was destroyed");
    assertThat(work.resolve("state/kubitect-ha/config/.ssh/id_ed25519")).exists();
  }

  @Test
  void aDeclinedDangerousChangeExitsFour() throws Exception {
    applySimulated();
    Path moved = work.resolve("moved.yaml");
    Files.writeString(
        moved,
        Files.readString(Path.of(CliProcess.HA))
            .replaceFirst(
                "(?m)^  - name: host1$", "  - name: host1\n    mainResourcePoolPath: /srv/other/"));

    CliProcess.Result r =
        run("apply", "--config", moved.toString(), "--simulate", "--state", state());

    assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(ExitCode.ABORTED);
    assertThat(r.out()).contains("rerun with --auto-approve");
  }

  @Test
  void theDefaultStateDirectoryFollowsHomeAndNoTemporaryDirectoryIsLeft() throws Exception {
    Path home = Files.createDirectories(work.resolve("home"));
    CliProcess.Result apply =
        run(Map.of("HOME", home.toString()), "apply", "--config", CliProcess.HA, "--simulate");
    assertThat(apply.exitCode()).as(apply.out() + apply.err()).isEqualTo(ExitCode.OK);

    assertThat(home.resolve(".kubitect/clusters/kubitect-ha/config/kubitect-applied.yaml"))
        .exists();
    try (Stream<Path> left = Files.list(tmp())) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.startsWith("kubitect-simulated"));
    }
  }

  @Test
  void specialAndHugeConfigurationsAreRefusedInOneLine() throws Exception {
    Path fifo = work.resolve("config.fifo");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
    Path huge = work.resolve("huge.yaml");
    Files.writeString(huge, "cluster:\n  name: " + "a".repeat(50 * 1024 * 1024) + "\n");

    for (String config : List.of("/dev/zero", "/dev/urandom", fifo.toString(), huge.toString())) {
      CliProcess.Result r = run("validate", "--config", config);
      assertThat(r.exitCode()).as(config + ": " + r.err()).isEqualTo(ExitCode.INVALID);
      assertThat(r.err().strip()).as(config).startsWith("error: ").doesNotContain("\n");
    }
  }

  @Test
  void aStateDirectoryThatIsAFileIsOneLine() throws Exception {
    Path file = work.resolve("state-file");
    Files.writeString(file, "x");
    CliProcess.Result apply =
        run(
            "apply",
            "--config",
            CliProcess.HA,
            "--simulate",
            "--auto-approve",
            "--state",
            file.toString());
    assertThat(apply.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(apply.err().strip())
        .doesNotContain("\n")
        .contains("a file of that name is in the way");
    CliProcess.Result list = run("list", "clusters", "--state", file.toString());
    assertThat(list.err().strip())
        .isEqualTo("error: the state directory " + file + " is not a directory");
  }

  @Test
  void aDamagedClusterIsListedAndTheListGoesOn() throws Exception {
    applySimulated();
    Path other = work.resolve("other.yaml");
    Files.writeString(
        other,
        Files.readString(Path.of(CliProcess.HA)).replace("name: kubitect-ha", "name: zz-after"));
    assertThat(
            run(
                    "apply",
                    "--config",
                    other.toString(),
                    "--simulate",
                    "--auto-approve",
                    "--state",
                    state())
                .exitCode())
        .isEqualTo(ExitCode.OK);
    Files.writeString(work.resolve("state/kubitect-ha/config/kubitect-applied.yaml"), "");

    CliProcess.Result list = run("list", "clusters", "--state", state());

    assertThat(list.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(list.out())
        .contains("  - kubitect-ha (damaged: state of cluster kubitect-ha is damaged:")
        .contains("  - zz-after (applied, simulated)");
    CliProcess.Result destroy =
        run("destroy", "--cluster", "kubitect-ha", "--auto-approve", "--state", state());
    assertThat(destroy.exitCode()).as(destroy.out() + destroy.err()).isEqualTo(ExitCode.OK);
  }

  @Test
  void keyDirectoriesAreOwnerOnlyUnderUmaskZero() throws Exception {
    List<String> command =
        List.of(
            "bash",
            "-c",
            "umask 000; exec \"$0\" -cp \"$1\" "
                + KubitectCli.class.getName()
                + " apply --config \"$3\" --simulate --auto-approve --state \"$2\"",
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            System.getProperty("java.class.path"),
            state(),
            CliProcess.HA);
    CliProcess.Result apply = start(command, Map.of());
    assertThat(apply.exitCode()).as(apply.out() + apply.err()).isEqualTo(ExitCode.OK);
    for (String dir :
        List.of("kubitect-ha", "kubitect-ha/config/.ssh", "kubitect-ha/config/.ssh/host-keys")) {
      assertThat(
              PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(work.resolve("state").resolve(dir))))
          .as(dir)
          .isEqualTo("rwx------");
    }
  }

  /**
   * The launcher must not decide libvirt0 is missing when it is listed: with {@code grep -q} under
   * {@code pipefail}, a long {@code ldconfig -p} died of SIGPIPE and the check failed at random.
   */
  @Test
  void theLauncherFindsLibvirtInALongLibraryList() throws Exception {
    Path bin = Files.createDirectories(work.resolve("bin"));
    Path marker = work.resolve("apt-get-called");
    script(
        bin.resolve("ldconfig"),
        "echo '\tlibvirt.so.0 (libc6,x86-64) => /lib/libvirt.so.0'\n"
            + "i=0; while [ $i -lt 20000 ]; do echo \"\tlibx$i.so (libc6) => /lib/libx$i.so\";"
            + " i=$((i+1)); done");
    script(bin.resolve("apt-get"), "touch " + marker + "; exit 1");
    // A failing build ends the launcher right after the check; java and mvn must exist for it.
    script(bin.resolve("mvn"), "exit 1");
    script(bin.resolve("java"), "exit 1");
    Path launcher = Path.of("..", "kubitect").toAbsolutePath().normalize();
    String path = bin + ":/usr/bin:/bin";

    for (int i = 0; i < 5; i++) {
      CliProcess.Result r =
          start(
              List.of("bash", launcher.toString(), "--version"),
              Map.of("PATH", path, "HOME", work.toString()));
      assertThat(r.err()).doesNotContain("installing libvirt0");
    }
    assertThat(marker).doesNotExist();
  }

  /**
   * Nor when {@code ldconfig} is not on the user's {@code PATH}: Debian keeps it in {@code /sbin},
   * which a user's {@code PATH} lacks.
   */
  @Test
  void theLauncherFindsLdconfigOutsideTheUsersPath() throws Exception {
    Assumptions.assumeTrue(
        new CliProcess(work)
            .command(List.of("/sbin/ldconfig", "-p"), Map.of())
            .out()
            .contains("libvirt.so.0"),
        "libvirt0 is installed");
    Path bin = Files.createDirectories(work.resolve("bin"));
    Path marker = work.resolve("apt-get-called");
    script(bin.resolve("apt-get"), "touch " + marker + "; exit 1");
    script(bin.resolve("mvn"), "exit 1");
    script(bin.resolve("java"), "exit 1");
    Path launcher = Path.of("..", "kubitect").toAbsolutePath().normalize();

    CliProcess.Result r =
        start(
            List.of("bash", launcher.toString(), "--version"),
            Map.of("PATH", bin + ":/usr/bin:/bin", "HOME", work.toString()));

    assertThat(r.err()).doesNotContain("installing libvirt0");
    assertThat(marker).doesNotExist();
  }

  private static void script(Path file, String body) throws IOException {
    Files.writeString(file, "#!/bin/bash\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
