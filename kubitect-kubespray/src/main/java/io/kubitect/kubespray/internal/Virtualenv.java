package io.kubitect.kubespray.internal;

import io.kubitect.core.spi.InstallationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Python virtualenv with a Kubespray release's requirements (Ansible of the version it was tested
 * with), created once per release and reused. Needs {@code python3} with the {@code venv} module
 * and a reachable package index.
 */
public final class Virtualenv {
  private static final Logger LOG = LoggerFactory.getLogger(Virtualenv.class);
  private static final String MARKER = ".kubitect-requirements-installed";

  private Virtualenv() {}

  /** The ansible-playbook of the virtualenv in {@code directory}, created first when needed. */
  public static Path ensure(Path directory, Path requirements, Duration timeout) {
    Path playbook = directory.resolve("bin/ansible-playbook");
    if (Files.exists(directory.resolve(MARKER)) && Files.isExecutable(playbook)) {
      return playbook;
    }
    if (!Files.isRegularFile(requirements)) {
      throw error("the Kubespray tree has no " + requirements.getFileName(), "");
    }
    LOG.info("creating the virtualenv {} from {}", directory, requirements);
    run(
        List.of("python3", "-m", "venv", "--clear", directory.toString()),
        timeout,
        "python3 -m venv");
    run(
        List.of(
            directory.resolve("bin/pip").toString(),
            "install",
            "--disable-pip-version-check",
            "--no-input",
            "--timeout",
            "30",
            "-r",
            requirements.toString()),
        timeout,
        "pip install -r " + requirements.getFileName());
    try {
      Files.writeString(directory.resolve(MARKER), requirements + "\n");
    } catch (IOException e) {
      throw error("cannot write " + directory.resolve(MARKER) + ": " + e.getMessage(), "");
    }
    return playbook;
  }

  private static void run(List<String> command, Duration timeout, String what) {
    try {
      Path log = Files.createTempFile("kubitect-venv", ".log");
      try {
        Process p =
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          ProcessTree.kill(p.toHandle(), Duration.ofSeconds(2));
          throw error(what + " timed out after " + timeout, tail(log));
        }
        if (p.exitValue() != 0) {
          throw error(what + " failed with exit code " + p.exitValue(), tail(log));
        }
      } finally {
        Files.deleteIfExists(log);
      }
    } catch (IOException e) {
      throw error("cannot run " + what + ": " + e.getMessage(), "");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw error(what + " was cancelled", "");
    }
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }

  private static InstallationException error(String what, String tail) {
    return new InstallationException(
        "cannot set up Ansible in a virtualenv: "
            + what
            + "; without a reachable package index, install ansible-core and configure the"
            + " installer to use ansible-playbook from the PATH",
        -1,
        "",
        List.of(),
        tail);
  }
}
