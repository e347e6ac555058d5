package io.kubitect.libvirt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubitect.core.NodeStatus;
import io.kubitect.core.ResourceChange;
import io.kubitect.core.spi.InfrastructureStatus;
import io.kubitect.core.spi.NodeReadinessProbe;
import io.kubitect.core.spi.ProvisioningException;
import io.kubitect.core.spi.StepListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract over {@code qemu+ssh://root@127.0.0.1:PORT/system} to an OpenSSH server this test
 * starts itself, with the server's host key verified against a known_hosts file; and a server whose
 * key is not in that file is refused.
 */
class SshLibvirtdContractIT extends ProvisionerContract {
  private static Path serverDir;
  private static SshServer server;

  @BeforeAll
  static void startSshd() throws IOException, InterruptedException {
    Libvirtd.require();
    serverDir = Files.createTempDirectory("kubitect-sshd");
    server = SshServer.start(serverDir);
  }

  @AfterAll
  static void stopSshd() throws IOException {
    if (server != null) {
      server.close();
    }
    if (serverDir != null) {
      try (var files = Files.list(serverDir)) {
        for (Path file : files.toList()) {
          Files.deleteIfExists(file);
        }
      }
      Files.deleteIfExists(serverDir);
    }
  }

  @Override
  String cluster() {
    return "ct-ssh";
  }

  @Override
  String subnet() {
    return "10.232.0";
  }

  @Override
  String hostYaml() {
    return "    connection:\n"
        + "      type: remote\n"
        + "      user: root\n"
        + "      ip: 127.0.0.1\n"
        + "      ssh:\n"
        + "        keyfile: "
        + server.clientKey()
        + "\n"
        + "        port: "
        + server.port()
        + "\n";
  }

  @Override
  String imageSource() {
    try {
      return Libvirtd.tinyImage(tmp.resolve("image")).toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  boolean simulated() {
    return false;
  }

  @Override
  Settings settings() {
    return settings(server.knownHosts(), Duration.ZERO);
  }

  private Settings settings(Path knownHosts, Duration delay) {
    NodeReadinessProbe wiring = (node, ip, credentials) -> NodeReadinessProbe.Readiness.isReady();
    return new Settings(
        Map.of(),
        false,
        Optional.empty(),
        knownHosts,
        4,
        8,
        Optional.of(wiring),
        Duration.ofSeconds(30),
        Duration.ofMillis(200),
        Optional.of("qemu"),
        tmp.resolve("cache"),
        delay,
        tmp);
  }

  @Test
  void connectsOverSshWithTheHostKeyVerified() {
    engine.apply(topology(0), credentials, recorder);
    assertThat(host().uri()).startsWith("qemu+ssh://root@127.0.0.1:" + server.port() + "/system");
    assertThat(events)
        .anyMatch(e -> e.contains("connect") && e.contains("host key verified against"));
  }

  @Test
  void refusesAServerWhoseHostKeyIsUnknown() throws IOException {
    Path empty = Files.writeString(tmp.resolve("empty_known_hosts"), "");
    try (Engine strict = new Engine(settings(empty, Duration.ZERO))) {
      assertThatThrownBy(() -> strict.apply(topology(0), credentials, StepListener.NONE))
          .isInstanceOf(ProvisioningException.class)
          .hasMessageContaining("host h1")
          .hasMessageContaining("cannot connect to qemu+ssh://root@127.0.0.1:" + server.port())
          .hasMessageContaining("Host key verification failed");
    }
  }

  @Test
  void aConnectionKilledMidApplyFailsClearlyAndTheNextApplyConverges() throws Exception {
    try (Engine slow = new Engine(settings(server.knownHosts(), Duration.ofMillis(250)))) {
      CompletableFuture<InfrastructureStatus> apply =
          CompletableFuture.supplyAsync(() -> slow.apply(topology(2), credentials, recorder));
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (events.stream().noneMatch(e -> e.startsWith("finished provision [h1]: connect"))) {
        assertThat(System.nanoTime()).as("connected within 60 s").isLessThan(deadline);
        Thread.sleep(50);
      }
      Thread.sleep(1000); // a few 250 ms calls into the apply
      // the ssh client libvirt started for this connection: a child of this JVM, ended by its id
      List<ProcessHandle> ssh =
          ProcessHandle.current()
              .descendants()
              .filter(
                  p -> p.info().commandLine().orElse("").contains(String.valueOf(server.port())))
              .toList();
      assertThat(ssh).as("libvirt's ssh process").isNotEmpty();
      assertThat(apply).isNotDone();
      ssh.forEach(ProcessHandle::destroy);

      assertThatThrownBy(apply::join)
          .isInstanceOf(CompletionException.class)
          .cause()
          .isInstanceOf(ProvisioningException.class)
          .hasMessageContaining("host h1, node " + cluster() + "-")
          .hasMessageContaining("on qemu+ssh://root@127.0.0.1:" + server.port() + "/system failed");
    }

    InfrastructureStatus next = engine.apply(topology(2), credentials, recorder);
    assertThat(next.hasFailures()).isFalse();
    assertThat(next.nodes()).extracting(NodeStatus::change).doesNotContain(ResourceChange.FAILED);
    assertThat(ownedDomains()).hasSize(3);
    assertThat(engine.apply(topology(2), credentials, recorder).mutatingCalls()).isZero();
  }
}
