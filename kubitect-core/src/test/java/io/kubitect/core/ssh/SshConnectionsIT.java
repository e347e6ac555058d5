package io.kubitect.core.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubitect.core.NodeRole;
import io.kubitect.core.spi.ClusterCredentials;
import io.kubitect.core.spi.HostKeyMismatchException;
import io.kubitect.core.spi.Node;
import io.kubitect.core.spi.NodeReadinessProbe.Readiness;
import io.kubitect.core.spi.SshKeyPair;
import io.kubitect.core.testing.Environment;
import io.kubitect.core.testing.TestSshd;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SSH against a real OpenSSH server on loopback, started by the test. */
class SshConnectionsIT {
  @TempDir static Path dir;

  private static final SshKeyPair USER_KEY = SshKeyPair.generateEd25519("kubitect-test");
  private static final SshKeyPair HOST_KEY = SshKeyPair.generateEd25519("host");
  private static TestSshd sshd;
  private static Path cloudDir;
  private static Path cloudRun;
  private static ClusterCredentials credentials;
  private static SshTarget target;

  @BeforeAll
  static void startServer() throws IOException {
    Environment.requireRoot();
    Environment.requireCommands("sshd", "unshare", "sha256sum");
    // /var/lib/cloud may not exist here: give the server a private /var/lib that has it.
    Path varLib = dir.resolve("var-lib");
    cloudDir = varLib.resolve("cloud");
    Files.createDirectories(cloudDir.resolve("instance"));
    // and a private /run/cloud-init: what cloud-init keeps while it runs and when it is done
    cloudRun = dir.resolve("run-cloud-init");
    Files.createDirectories(cloudRun);
    sshd =
        TestSshd.start(
            new TestSshd.Spec(dir.resolve("sshd"), HOST_KEY, USER_KEY.publicKey())
                .bind(varLib, Path.of("/var/lib"))
                .bind(cloudRun, Path.of("/run/cloud-init")));
    target = new SshTarget("127.0.0.1", sshd.port(), "root");
    credentials = credentials(HOST_KEY, "known_hosts");
  }

  @AfterAll
  static void stopServer() {
    if (sshd != null) {
      sshd.close();
    }
  }

  private static ClusterCredentials credentials(SshKeyPair hostKey, String name)
      throws IOException {
    Path key = dir.resolve("id_ed25519");
    if (!Files.exists(key)) {
      Files.writeString(key, USER_KEY.privateKey(), StandardCharsets.US_ASCII);
      Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    }
    Path knownHosts = dir.resolve(name);
    Files.writeString(
        knownHosts,
        "# a comment\n10.9.9.9 "
            + HOST_KEY.publicKeyWithoutComment()
            + "\n"
            + "[127.0.0.1]:"
            + sshd.port()
            + " "
            + hostKey.publicKeyWithoutComment()
            + "\n");
    return new ClusterCredentials(key, USER_KEY.publicKey(), Map.of(), knownHosts);
  }

  private static SshConnections open() {
    return SshConnections.open(credentials, SshOptions.defaults());
  }

  @Test
  void runsCommandsWithExitCodeAndSeparateOutput() {
    try (SshConnections ssh = open()) {
      CommandResult result =
          ssh.exec(target, RemoteCommand.script("demo", "echo out; echo err >&2; exit 3"));
      assertThat(result.exitCode()).isEqualTo(3);
      assertThat(result.stdout()).isEqualTo("out\n");
      assertThat(result.stderr()).isEqualTo("err\n");
      assertThatThrownBy(result::requireSuccess)
          .isInstanceOf(RemoteCommandException.class)
          .hasMessageContaining("'demo' on root@127.0.0.1:" + sshd.port())
          .hasMessageContaining("status 3")
          .hasMessageContaining("err");
      assertThat(ssh.run(target, RemoteCommand.of("cat").withStdin("in".getBytes(UTF))).stdout())
          .isEqualTo("in");
    }
  }

  private static final java.nio.charset.Charset UTF = StandardCharsets.UTF_8;

  @Test
  void reusesOneConnectionPerTarget() {
    long before = accepted();
    try (SshConnections ssh = open()) {
      for (int i = 0; i < 15; i++) {
        ssh.run(target, RemoteCommand.of("true"));
      }
    }
    assertThat(accepted() - before).isEqualTo(1);
  }

  private static long accepted() {
    return sshd.log().lines().filter(l -> l.contains("Accepted publickey")).count();
  }

  @Test
  void boundsConcurrentSessionsPerTarget() throws Exception {
    String counter = "/tmp/kubitect-sessions-" + UUID.randomUUID();
    String script =
        "mkdir \"$1.$2\"; n=$(ls -d \"$1\".* | wc -l); echo $n; sleep 0.3; rmdir \"$1.$2\"";
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try (SshConnections ssh =
        SshConnections.open(credentials, SshOptions.defaults().withMaxSessionsPerTarget(2))) {
      List<Future<CommandResult>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String id = Integer.toString(i);
        results.add(
            pool.submit(() -> ssh.run(target, RemoteCommand.script("count", script, counter, id))));
      }
      int max = 0;
      for (Future<CommandResult> r : results) {
        max = Math.max(max, Integer.parseInt(r.get(30, TimeUnit.SECONDS).stdout().strip()));
      }
      assertThat(max).isBetween(1, 2);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void refusesAChangedHostKeyWithBothFingerprints() throws IOException {
    SshKeyPair other = SshKeyPair.generateEd25519("other");
    ClusterCredentials wrong = credentials(other, "known_hosts_wrong");
    try (SshConnections ssh = SshConnections.open(wrong, SshOptions.defaults())) {
      assertThatThrownBy(() -> ssh.run(target, RemoteCommand.of("true")))
          .isInstanceOf(HostKeyMismatchException.class)
          .hasMessageContaining("127.0.0.1:" + sshd.port())
          .hasMessageContaining("expected " + fingerprint(other))
          .hasMessageContaining("got " + fingerprint(HOST_KEY))
          .hasMessageContaining("refusing");
    }
  }

  @Test
  void refusesAHostWithoutKnownKey() throws IOException {
    Path empty = dir.resolve("known_hosts_empty");
    Files.writeString(empty, "");
    ClusterCredentials unknown =
        new ClusterCredentials(credentials.privateKeyFile(), USER_KEY.publicKey(), Map.of(), empty);
    try (SshConnections ssh = SshConnections.open(unknown, SshOptions.defaults())) {
      assertThatThrownBy(() -> ssh.run(target, RemoteCommand.of("true")))
          .isInstanceOf(SshException.class)
          .isNotInstanceOf(HostKeyMismatchException.class)
          .hasMessageContaining("no host key for it in " + empty)
          .hasMessageContaining("never accepted on first use");
    }
  }

  @Test
  void hostileValuesCannotRunCommands() {
    String marker = "/tmp/kubitect-pwned-" + UUID.randomUUID();
    List<String> hostile =
        List.of(
            "a'; touch " + marker + "; '",
            "$(touch " + marker + ")",
            "`touch " + marker + "`",
            "; touch " + marker,
            "| touch " + marker,
            "&& touch " + marker,
            "\"; touch " + marker + "; \"",
            "x\ntouch " + marker,
            "*",
            "$HOME ${PATH} ~");
    Path base = dir.resolve("hostile");
    try (SshConnections ssh = open()) {
      for (String value : hostile) {
        CommandResult echoed = ssh.run(target, RemoteCommand.of("printf", "%s", value).asRoot());
        assertThat(echoed.stdout()).isEqualTo(value);
        CommandResult scripted =
            ssh.run(target, RemoteCommand.script("echo", "printf '%s' \"$1\"", value));
        assertThat(scripted.stdout()).isEqualTo(value);
        String path = base.resolve(value.replace('/', '_')).toString();
        ssh.to(target).upload(value.getBytes(UTF), path, "600", "root:root");
        assertThat(ssh.to(target).stat(path)).map(RemoteFile::sha256).contains(sha256(value));
      }
      assertThatThrownBy(
              () -> ssh.to(target).upload(new byte[0], base + "/f", "644; touch " + marker, "root"))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(
              () -> ssh.to(target).upload(new byte[0], base + "/f", "644", "root; touch " + marker))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(Path.of(marker)).doesNotExist();
  }

  @Test
  void uploadsAtomicallyWithModeAndOwner() throws IOException {
    Path sub = dir.resolve("upload/nested");
    String path = sub.resolve("file.cfg").toString();
    byte[] content = "hello\nworld\n".getBytes(UTF);
    try (SshConnections ssh = open()) {
      assertThat(ssh.to(target).stat(path)).isEmpty();
      ssh.to(target).upload(content, path, "640", "root:root");
      assertThat(ssh.to(target).stat(path))
          .contains(new RemoteFile(sha256("hello\nworld\n"), "640", "root:root"));
      ssh.to(target).upload("v2".getBytes(UTF), path, "0755", "root");
      assertThat(ssh.to(target).stat(path)).map(RemoteFile::mode).contains("755");
    }
    assertThat(Files.readString(Path.of(path))).isEqualTo("v2");
    try (var files = Files.list(sub)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("file.cfg");
    }
  }

  @Test
  void timesOutLongCommands() {
    try (SshConnections ssh = open()) {
      long start = System.nanoTime();
      assertThatThrownBy(
              () ->
                  ssh.run(
                      target, RemoteCommand.of("sleep", "30").withTimeout(Duration.ofMillis(700))))
          .isInstanceOf(SshException.class)
          .hasMessageContaining("'sleep 30' on root@127.0.0.1:" + sshd.port())
          .hasMessageContaining("did not finish within PT0.7S; it was stopped");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      assertThat(ssh.run(target, RemoteCommand.of("echo", "still usable")).stdout())
          .isEqualTo("still usable\n");
    }
  }

  @Test
  void aDroppedConnectionGivesAClearErrorAndTheNextCommandReconnects() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (SshConnections ssh = open()) {
      ssh.run(target, RemoteCommand.of("true"));
      Future<CommandResult> running =
          pool.submit(() -> ssh.run(target, RemoteCommand.of("sleep", "20")));
      Thread.sleep(500);
      sshd.dropConnections();
      assertThatThrownBy(() -> running.get(15, TimeUnit.SECONDS))
          .hasCauseInstanceOf(SshException.class)
          .cause()
          .hasMessageContaining("connection to root@127.0.0.1:" + sshd.port())
          .hasMessageContaining("was lost while running 'sleep 20'");
      assertThat(ssh.run(target, RemoteCommand.of("echo", "back")).stdout()).isEqualTo("back\n");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aConnectionDroppedWhileIdleIsReopenedByTheNextCommand() {
    try (SshConnections ssh = open()) {
      for (int i = 0; i < 5; i++) {
        ssh.run(target, RemoteCommand.of("true"));
        sshd.dropConnections();
        // sshj may not have noticed the closed socket yet: the command must still run once.
        assertThat(ssh.run(target, RemoteCommand.of("echo", "back " + i)).stdout())
            .isEqualTo("back " + i + "\n");
      }
    }
  }

  @Test
  void closeEndsEveryThread() throws Exception {
    try (SshConnections ssh = open()) {
      ssh.run(target, RemoteCommand.of("true"));
      assertThat(sshThreads()).isNotEmpty();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!sshThreads().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(sshThreads()).isEmpty();
  }

  private static List<String> sshThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.startsWith("sshj-") || n.startsWith("kubitect-ssh-"))
        .toList();
  }

  @Test
  void readinessProbeWaitsForCloudInitAndChecksTheGeneratedHostKey() throws IOException {
    Node node = probedNode("k8s-master-1");
    ClusterCredentials withHostKey = withGeneratedHostKey(node);
    SshReadinessProbe probe =
        new SshReadinessProbe("root", sshd.port(), Duration.ofSeconds(3), Duration.ZERO);
    Path finished = cloudDir.resolve("instance/boot-finished");
    Files.deleteIfExists(finished);
    Files.deleteIfExists(cloudRun.resolve("result.json"));
    Readiness waiting = probe.probe(node, "127.0.0.1", withHostKey);
    assertThat(waiting.ready()).isFalse();
    // Told from cloud-init's run directory, without starting cloud-init's Python on the node
    // (seconds of CPU under emulation, taken from the boot it waits for): this machine's
    // `cloud-init status` would say "not run" or "disabled".
    assertThat(waiting.lastSeen()).isEqualTo("cloud-init not finished: status: running");
    Files.writeString(cloudRun.resolve("result.json"), "{\"v1\": {\"errors\": []}}\n");
    assertThat(probe.probe(node, "127.0.0.1", withHostKey).ready()).isTrue();
    Files.delete(cloudRun.resolve("result.json"));
    Files.writeString(finished, "");
    assertThat(probe.probe(node, "127.0.0.1", withHostKey).ready()).isTrue();

    ClusterCredentials otherKey =
        new ClusterCredentials(
            credentials.privateKeyFile(),
            USER_KEY.publicKey(),
            Map.of(node.name(), SshKeyPair.generateEd25519("imposter")),
            credentials.knownHostsFile());
    assertThatThrownBy(() -> probe.probe(node, "127.0.0.1", otherKey))
        .isInstanceOf(HostKeyMismatchException.class);

    SshReadinessProbe closedPort =
        new SshReadinessProbe("root", TestSshd.freePort(), Duration.ofSeconds(2));
    Readiness refused = closedPort.probe(node, "127.0.0.1", withHostKey);
    assertThat(refused.ready()).isFalse();
    assertThat(refused.lastSeen()).contains("cannot connect to root@127.0.0.1");
  }

  /**
   * One attempt waits on the node while cloud-init runs, so a booting node is not logged into every
   * second (a login is ~0.8 s of an emulated node's CPU): it answers once cloud-init is done, and
   * says "running" when its wait ends first. A cancel (interrupt) ends the wait at once.
   */
  @Test
  void readinessProbeWaitsOnTheNodeWithOneLogin() throws Exception {
    Node node = probedNode("probe-wait");
    ClusterCredentials withHostKey = withGeneratedHostKey(node);
    Files.deleteIfExists(cloudDir.resolve("instance/boot-finished"));
    Files.deleteIfExists(cloudRun.resolve("result.json"));
    SshReadinessProbe waiting =
        new SshReadinessProbe("root", sshd.port(), Duration.ofSeconds(3), Duration.ofSeconds(30));
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      long started = System.nanoTime();
      Future<Readiness> attempt = pool.submit(() -> waiting.probe(node, "127.0.0.1", withHostKey));
      Thread.sleep(1500);
      assertThat(attempt).isNotDone();
      Files.writeString(cloudRun.resolve("result.json"), "{\"v1\": {\"errors\": []}}\n");
      assertThat(attempt.get(20, TimeUnit.SECONDS).ready()).isTrue();
      // returned on the file, well before its 30 s wait ended
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
      Files.delete(cloudRun.resolve("result.json"));

      SshReadinessProbe shortWait =
          new SshReadinessProbe("root", sshd.port(), Duration.ofSeconds(3), Duration.ofSeconds(2));
      Readiness running = shortWait.probe(node, "127.0.0.1", withHostKey);
      assertThat(running.ready()).isFalse();
      assertThat(running.lastSeen()).isEqualTo("cloud-init not finished: status: running");

      Future<Readiness> cancelled =
          pool.submit(() -> waiting.probe(node, "127.0.0.1", withHostKey));
      Thread.sleep(1500);
      long interrupted = System.nanoTime();
      cancelled.cancel(true);
      pool.shutdown();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - interrupted))
          .isLessThan(Duration.ofSeconds(10));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void readinessProbeRefusesWaitsItCannotKeep() {
    for (Duration wait :
        List.of(Duration.ofSeconds(-1), Duration.ofMinutes(11), Duration.ofMillis(1500))) {
      assertThatThrownBy(() -> new SshReadinessProbe("root", 22, Duration.ofSeconds(3), wait))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("waitOnNode must be whole seconds from 0 to 10 minutes");
    }
    assertThatThrownBy(
            () -> new SshReadinessProbe("root", 22, Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeout must be positive, not PT0S");
  }

  /** A master the readiness probe is pointed at (only its name matters to the probe). */
  private static Node probedNode(String name) {
    return new Node(
        name,
        NodeRole.MASTER,
        "1",
        "h1",
        Optional.empty(),
        Optional.empty(),
        1,
        1,
        1,
        List.of(),
        Map.of(),
        List.of(),
        0);
  }

  /** The cluster's credentials with {@code node}'s generated host key and no known_hosts file. */
  private static ClusterCredentials withGeneratedHostKey(Node node) {
    return new ClusterCredentials(
        credentials.privateKeyFile(),
        USER_KEY.publicKey(),
        Map.of(node.name(), HOST_KEY),
        dir.resolve("no-such-known-hosts"));
  }

  static String fingerprint(SshKeyPair pair) {
    byte[] blob = java.util.Base64.getDecoder().decode(pair.publicKey().split(" ", 3)[1]);
    return HostKeys.fingerprint(blob);
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(UTF)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
