package io.kubitect.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link EnabledIfLibvirtd} against stand-in servers on UNIX sockets (and the machine's libvirtd as
 * it is), {@link EnabledIfKvm} against devices that are not KVM (and {@code /dev/kvm} as it is),
 * and both as annotations: a disabled test is skipped with the reason.
 */
class ConditionsTest {
  private static final Duration SHORT = Duration.ofMillis(300);

  @TempDir Path dir;

  private final List<AutoCloseable> servers = new ArrayList<>();

  @AfterEach
  void stopServers() throws Exception {
    for (AutoCloseable server : servers) {
      server.close();
    }
  }

  /**
   * A server on {@code DIR/name} that answers each connection with {@code reply(call)}, or closes
   * it when the reply is empty.
   */
  private Path server(String name, Function<ByteBuffer, Optional<ByteBuffer>> reply)
      throws IOException {
    Path socket = dir.resolve(name);
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    Thread thread =
        new Thread(
            () -> {
              while (server.isOpen()) {
                try (SocketChannel client = server.accept()) {
                  ByteBuffer call = ByteBuffer.allocate(28);
                  while (call.hasRemaining() && client.read(call) >= 0) {
                    // read the whole header
                  }
                  call.flip();
                  Optional<ByteBuffer> answer = reply.apply(call);
                  if (answer.isPresent()) {
                    client.write(answer.get());
                  }
                } catch (IOException e) {
                  return;
                }
              }
            },
            "fake-libvirtd-" + name);
    thread.setDaemon(true);
    thread.start();
    servers.add(server);
    return socket;
  }

  /** A reply header as libvirtd sends it, with the auth list {none}. */
  private static ByteBuffer reply(ByteBuffer call, int program) {
    ByteBuffer out = ByteBuffer.allocate(36);
    out.putInt(36)
        .putInt(program)
        .putInt(call.getInt(8))
        .putInt(call.getInt(12))
        .putInt(1)
        .putInt(call.getInt(20))
        .putInt(0)
        .putInt(1)
        .putInt(0)
        .flip();
    return out;
  }

  @Test
  void libvirtdAnswersWhenTheSocketRepliesToAnRpcCall() throws IOException {
    List<ByteBuffer> calls = new ArrayList<>();
    Path socket =
        server(
            "good",
            call -> {
              calls.add(call.duplicate());
              return Optional.of(reply(call, LibvirtdCondition.REMOTE_PROGRAM));
            });

    assertThat(LibvirtdCondition.problem(socket, Duration.ofSeconds(5))).isEmpty();
    ByteBuffer call = calls.get(0);
    assertThat(call.getInt(0)).as("length").isEqualTo(28);
    assertThat(call.getInt(4)).as("program").isEqualTo(0x20008086);
    assertThat(call.getInt(8)).as("version").isEqualTo(1);
    assertThat(call.getInt(12)).as("procedure AUTH_LIST").isEqualTo(66);
    assertThat(call.getInt(16)).as("type CALL").isZero();
  }

  @Test
  void libvirtdDoesNotAnswerWhenTheSocketIsMissingOrNotASocket() throws IOException {
    assertThat(LibvirtdCondition.problem(dir.resolve("nothing"), SHORT))
        .contains("the socket does not exist (is libvirtd installed and started?)");
    Path file = Files.writeString(dir.resolve("file"), "not a socket");
    assertThat(LibvirtdCondition.problem(file, SHORT)).contains("it is not a socket");
  }

  @Test
  void libvirtdDoesNotAnswerWhenNobodyListensOrTheServerIsNotLibvirt() throws Exception {
    // The socket file stays, nobody listens. Bound and closed with no thread in accept(): a
    // channel closed while another thread blocks in accept() keeps listening until that thread
    // leaves it, and a connect in between would be accepted.
    Path stale = dir.resolve("stale");
    try (ServerSocketChannel unused = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      unused.bind(UnixDomainSocketAddress.of(stale));
    }
    assertThat(LibvirtdCondition.problem(stale, SHORT))
        .get()
        .asString()
        .startsWith("connecting failed: ");

    Path closes = server("closes", call -> Optional.empty());
    assertThat(LibvirtdCondition.problem(closes, SHORT))
        .get()
        .asString()
        .startsWith("the connection closed before a reply");

    Path foreign = server("foreign", call -> Optional.of(reply(call, 0x12345678)));
    assertThat(LibvirtdCondition.problem(foreign, SHORT))
        .get()
        .asString()
        .startsWith("the reply is not libvirt's (length 36, program 0x12345678");
  }

  @Test
  void libvirtdDoesNotAnswerWhenTheServerNeverReplies() throws IOException {
    Path silent =
        server(
            "silent",
            call -> {
              try {
                TimeUnit.SECONDS.sleep(2);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return Optional.empty();
            });
    long start = System.nanoTime();
    assertThat(LibvirtdCondition.problem(silent, SHORT)).contains("no reply within 300 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
  }

  /**
   * A real libvirtd answers: a session daemon (unprivileged, so it has its own socket in a
   * directory of its own and touches nothing of the system daemon), started as {@code nobody}.
   * Needs root, libvirtd and setpriv; skipped otherwise, except in CI.
   */
  @Test
  void aRealLibvirtdAnswers() throws Exception {
    Path libvirtd = Path.of("/usr/sbin/libvirtd");
    Path setpriv = Path.of("/usr/bin/setpriv");
    boolean possible = Files.isExecutable(libvirtd) && Files.isExecutable(setpriv) && isRoot();
    String needs = "needs root, /usr/sbin/libvirtd and /usr/bin/setpriv";
    // As everywhere in this project: skipped outside CI, required in CI (CI=true).
    assertThat(possible || !"true".equals(System.getenv("CI"))).as("CI=true: " + needs).isTrue();
    Assumptions.assumeTrue(possible, needs);
    Path home = Files.createDirectory(dir.resolve("lv"));
    UserPrincipal nobody =
        home.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
    Files.setOwner(home, nobody);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
    Process daemon =
        new ProcessBuilder(
                setpriv.toString(),
                "--reuid=nobody",
                "--regid=65534",
                "--clear-groups",
                "env",
                "-i",
                "HOME=" + home,
                "XDG_RUNTIME_DIR=" + home,
                "XDG_CONFIG_HOME=" + home.resolve("config"),
                "XDG_CACHE_HOME=" + home.resolve("cache"),
                "XDG_DATA_HOME=" + home.resolve("data"),
                libvirtd.toString(),
                "--timeout",
                "30")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("libvirtd.log").toFile())
            .start();
    try {
      Path socket = home.resolve("libvirt").resolve("libvirt-sock");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      Optional<String> problem = LibvirtdCondition.problem(socket, Duration.ofSeconds(2));
      while (problem.isPresent() && daemon.isAlive() && System.nanoTime() < deadline) {
        TimeUnit.MILLISECONDS.sleep(100);
        problem = LibvirtdCondition.problem(socket, Duration.ofSeconds(2));
      }
      assertThat(problem).as(() -> "libvirtd log:\n" + read(dir.resolve("libvirtd.log"))).isEmpty();
    } finally {
      daemon.destroy();
      if (!daemon.waitFor(10, TimeUnit.SECONDS)) {
        daemon.destroyForcibly();
      }
    }
  }

  private static boolean isRoot() {
    try {
      return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return e.toString();
    }
  }

  static class OnAMissingSocket {
    @Test
    @EnabledIfLibvirtd(socket = "/nonexistent/kubitect/libvirt-sock")
    void needsLibvirtd() {}
  }

  @EnabledIfLibvirtd
  static class OnTheMachinesLibvirtd {
    @Test
    void needsLibvirtd() {}
  }

  @Test
  void theAnnotationSkipsWithTheReason() {
    Scenarios.Outcome missing =
        Scenarios.of(Scenarios.run(OnAMissingSocket.class), "needsLibvirtd");
    assertThat(missing.skipped()).isTrue();
    assertThat(missing.reason())
        .isEqualTo(
            "@EnabledIfLibvirtd: no libvirtd answers on /nonexistent/kubitect/libvirt-sock: the"
                + " socket does not exist (is libvirtd installed and started?)");

    // The machine's libvirtd as it is now: the class runs exactly when the check passes.
    Optional<String> problem =
        LibvirtdCondition.problem(Path.of("/var/run/libvirt/libvirt-sock"), Duration.ofSeconds(2));
    List<Scenarios.Outcome> outcomes = Scenarios.run(OnTheMachinesLibvirtd.class);
    Scenarios.Outcome machine = outcomes.get(outcomes.size() - 1);
    if (problem.isEmpty()) {
      assertThat(machine.succeeded()).as(machine.toString()).isTrue();
    } else {
      assertThat(machine.skipped()).as(machine.toString()).isTrue();
      assertThat(machine.reason()).startsWith("@EnabledIfLibvirtd: no libvirtd answers on ");
    }
  }

  // ------------------------------------------------------------------ KVM

  @Test
  void kvmIsNotUsableWithoutTheDevice() {
    KvmProbe.Result result = KvmProbe.check(dir.resolve("kvm"), Duration.ofSeconds(5));
    assertThat(result.usable()).isFalse();
    assertThat(result.detail())
        .endsWith("kvm does not exist (no KVM module, or not passed through)");
  }

  @Test
  void kvmIsNotUsableOnADeviceThatIsNotKvm() {
    // /dev/null opens for reading and writing and answers every ioctl with ENOTTY.
    KvmProbe.Result result = KvmProbe.check(Path.of("/dev/null"), Duration.ofSeconds(5));
    assertThat(result.usable()).isFalse();
    assertThat(result.detail())
        .isEqualTo(
            "KVM_GET_API_VERSION on /dev/null failed: Inappropriate ioctl for device (errno 25)");
  }

  @Test
  void kvmIsNotUsableOnAFileThatCannotBeOpened() throws IOException {
    Path directory = Files.createDirectory(dir.resolve("kvm-dir"));
    KvmProbe.Result result = KvmProbe.check(directory, Duration.ofSeconds(5));
    assertThat(result.usable()).isFalse();
    assertThat(result.detail())
        .isEqualTo(
            "opening " + directory + " for reading and writing failed: Is a directory (errno 21)");
  }

  @EnabledIfKvm
  static class OnKvm {
    @Test
    void needsKvm() {}
  }

  @Test
  void theMachinesKvmRunsAGuestOrSaysWhyNot() {
    KvmProbe.Result result = KvmProbe.cached();
    if (result.usable()) {
      assertThat(result.detail())
          .isIn(
              "a KVM guest ran (hlt, then KVM_EXIT_HLT) through /dev/kvm",
              "KVM creates a VM and a vCPU; running a guest is checked on x86-64 only, not on "
                  + System.getProperty("os.arch"));
    } else {
      assertThat(result.detail()).isNotBlank();
    }
    List<Scenarios.Outcome> outcomes = Scenarios.run(OnKvm.class);
    Scenarios.Outcome kvm = outcomes.get(outcomes.size() - 1);
    if (result.usable()) {
      assertThat(kvm.succeeded()).as(kvm.toString()).isTrue();
    } else {
      assertThat(kvm.skipped()).isTrue();
      assertThat(kvm.reason())
          .isEqualTo("@EnabledIfKvm: this machine cannot run a KVM guest: " + result.detail());
    }
  }
}
