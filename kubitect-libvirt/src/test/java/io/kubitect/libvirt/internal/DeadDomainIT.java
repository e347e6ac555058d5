package io.kubitect.libvirt.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubitect.core.SpecValidator;
import io.kubitect.core.Step;
import io.kubitect.core.spi.ClusterCredentials;
import io.kubitect.core.spi.NodeReadinessProbe;
import io.kubitect.core.spi.ProvisioningException;
import io.kubitect.core.spi.StepListener;
import io.kubitect.core.spi.Topology;
import io.kubitect.model.ClusterSpec;
import io.kubitect.model.KubitectYaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real domain on the machine's libvirtd whose QEMU is killed (SIGKILL) while its node's readiness
 * is awaited: the node fails within seconds with libvirt's state and reason and the end of the
 * domain's QEMU log, read from the file on a local host and over ssh (an sshd this test starts on
 * loopback, host key verified) for a {@code qemu+ssh} host; a destroy then leaves nothing. The
 * probe never says ready, so without the watch the apply would wait out its 2-minute timeout.
 */
class DeadDomainIT {
  @TempDir Path tmp;

  @BeforeAll
  static void libvirtd() {
    Libvirtd.require();
  }

  private static final NodeReadinessProbe NEVER_READY =
      (node, ip, credentials) -> {
        try {
          Thread.sleep(500); // an SSH connect that gets nowhere
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return NodeReadinessProbe.Readiness.notYet("connection refused");
      };

  private Topology topology(String cluster, String subnet, String connection) throws IOException {
    ClusterSpec spec =
        KubitectYaml.read(
            """
            hosts:
              - name: h1
                connection: %s
                mainResourcePoolPath: %s
            cluster:
              name: %s
              network: {mode: nat, cidr: %s.0/24}
              nodeTemplate:
                os: {source: %s, networkInterface: ens3}
              nodes:
                master:
                  default: {cpu: 1, ram: 1, mainDiskSize: 1}
                  instances:
                    - {id: 1, ip: %s.10}
            kubernetes:
              version: v1.33.4
            """
                .formatted(
                    connection,
                    tmp.resolve("pools"),
                    cluster,
                    subnet,
                    Libvirtd.tinyImage(tmp.resolve("image")),
                    subnet),
            cluster + ".yaml");
    assertThat(SpecValidator.validate(spec).errors()).isEmpty();
    return Topology.of(spec);
  }

  private Settings settings(Path knownHosts) {
    return new Settings(
        Map.of(),
        false,
        Optional.empty(),
        knownHosts,
        4,
        8,
        Optional.of(NEVER_READY),
        Duration.ofMinutes(2),
        Duration.ofMillis(200),
        Optional.of("qemu"),
        tmp.resolve("cache"),
        Duration.ZERO,
        tmp);
  }

  /**
   * Applies, kills the node's QEMU once its readiness is awaited, and returns the apply's error and
   * how long after the kill it came; destroys the cluster after, and checks nothing is left.
   */
  private String killedWhileAwaited(Engine engine, Topology topology) throws Exception {
    String node = topology.nodes().get(0).name();
    ClusterCredentials credentials = Fixtures.generatedCredentials(topology, tmp);
    CountDownLatch awaited = new CountDownLatch(1);
    StepListener listener =
        new StepListener() {
          @Override
          public void started(Step step) {
            if (step.action().equals("wait until ready")) {
              awaited.countDown();
            }
          }
        };
    try {
      CompletableFuture<?> apply =
          CompletableFuture.runAsync(() -> engine.apply(topology, credentials, listener));
      assertThat(awaited.await(120, TimeUnit.SECONDS)).as("readiness awaited").isTrue();
      Thread.sleep(1_000);
      List<ProcessHandle> qemu =
          ProcessHandle.allProcesses()
              .filter(p -> p.info().commandLine().orElse("").contains("guest=" + node + ","))
              .toList();
      assertThat(qemu).as("the QEMU of " + node).hasSize(1);
      long killed = System.nanoTime();
      assertThat(qemu.get(0).destroyForcibly()).isTrue(); // SIGKILL, by its process id

      Throwable error;
      try {
        apply.get(60, TimeUnit.SECONDS);
        throw new AssertionError("the apply succeeded");
      } catch (ExecutionException e) {
        error = java.util.Objects.requireNonNull(e.getCause());
      }
      Duration took = Duration.ofNanos(System.nanoTime() - killed);
      assertThat(error).isInstanceOf(ProvisioningException.class);
      assertThat(took).as("failed after the kill within").isLessThan(Duration.ofSeconds(10));
      System.out.printf(
          "%s: failed %d ms after the kill:%n%s%n", node, took.toMillis(), error.getMessage());
      return String.valueOf(error.getMessage());
    } finally {
      engine.destroy(topology, StepListener.NONE);
      for (String kind : List.of("list", "net-list", "pool-list")) {
        assertThat(
                Tools.ok(List.of("virsh", "-c", "qemu:///system", kind, "--all", "--name")).lines())
            .as("virsh " + kind)
            .noneMatch(name -> name.startsWith(topology.clusterName() + "-"));
      }
    }
  }

  @Test
  void aKilledQemuFailsItsNodeWithLibvirtsReasonAndTheLogTail() throws Exception {
    Topology topology = topology("ct-dead", "10.237.0", "{type: local}");
    try (Engine engine = new Engine(settings(tmp.resolve("known_hosts")))) {
      String message = killedWhileAwaited(engine, topology);
      assertThat(message)
          .contains(
              "host h1, node ct-dead-master-1: its domain stopped while the node's readiness was"
                  + " awaited: libvirt says it is shut off (crashed)")
          .contains("last ")
          .contains(" lines of its QEMU log /var/log/libvirt/qemu/ct-dead-master-1.log:\n      | ")
          .containsPattern("\\| \\S+ \\S+: shutting down, reason=crashed")
          .doesNotContain("hint")
          .doesNotContain("was not ready within");
    }
  }

  @Test
  void overQemuSshTheLogIsReadOverSsh() throws Exception {
    Path serverDir = Files.createDirectory(tmp.resolve("sshd"));
    try (SshServer server = SshServer.start(serverDir)) {
      String connection =
          "{type: remote, user: root, ip: 127.0.0.1, ssh: {keyfile: "
              + server.clientKey()
              + ", port: "
              + server.port()
              + "}}";
      Topology topology = topology("ct-dead-ssh", "10.238.0", connection);
      try (Engine engine = new Engine(settings(server.knownHosts()))) {
        String message = killedWhileAwaited(engine, topology);
        assertThat(message)
            .contains(
                "host h1, node ct-dead-ssh-master-1: its domain stopped while the node's readiness"
                    + " was awaited: libvirt says it is shut off (crashed)")
            .contains(
                " lines of its QEMU log root@127.0.0.1:"
                    + server.port()
                    + ":/var/log/libvirt/qemu/ct-dead-ssh-master-1.log:\n      | ")
            .containsPattern("\\| \\S+ \\S+: shutting down, reason=crashed");
      }
    }
  }
}
