package io.kubitect.libvirt.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubitect.core.spi.HostLayout;
import io.kubitect.model.ClusterSpec;
import io.kubitect.model.KubitectYaml;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tail of a QEMU log: the last lines of the domain's last run, KVM failures recognised (with
 * what QEMU printed on a host whose KVM cannot run the guest), and hostile logs bounded: huge
 * files, endless lines, control characters, names that are paths, files that are not files, an ssh
 * that fails, hangs or floods.
 */
class QemuLogTest {
  @TempDir Path dir;

  /** What QEMU wrote on this project's machines when KVM could not run the boot loader. */
  static final List<String> KVM_FAILURE =
      List.of(
          "KVM internal error. Suberror: 1",
          "extra data[0]: 0x0000000000000001",
          "extra data[1]: 0x9090909090c3cf04",
          "emulation failure",
          "EAX=0000002e EBX=00000000 ECX=000000b9 EDX=641bb919",
          "ESI=000099e3 EDI=0010030c EBP=00000003 ESP=00329fb4",
          "EIP=00008ffc EFL=00000006 [-----P-] CPL=0 II=0 A20=1 SMM=0 HLT=0",
          "ES =0028 00000000 ffffffff 00c09300 DPL=0 DS   [-WA]",
          "CS =0020 00000000 ffffffff 00c09b00 DPL=0 CS32 [-RA]",
          "SS =0028 00000000 ffffffff 00c09300 DPL=0 DS   [-WA]",
          "DS =0028 00000000 ffffffff 00c09300 DPL=0 DS   [-WA]",
          "GDT=     00009400 0000002f",
          "IDT=     00003008 000007ff",
          "CR0=00000011 CR2=00000000 CR3=00000000 CR4=00000000",
          "EFER=0000000000000000",
          "Code=eb de ff 0d a8 39 00 00 75 06 ff 15 b4 96 00 00 61 83 c4 04 <cf> c3 90 90 55");

  private static String start(int id) {
    return "2026-11-30 13:47:1" + id + ".386+0000: starting up libvirt version: 9.0.0, qemu 7.2";
  }

  private Path log(String domain, List<String> lines) throws IOException {
    return Files.write(dir.resolve(domain + ".log"), lines);
  }

  private QemuLog.Tail local(String domain) {
    return QemuLog.local(dir).read(domain, new Cancellation());
  }

  @Test
  void keepsTheLastTenLinesOfTheLastRun() throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add(start(1));
    lines.addAll(KVM_FAILURE); // an earlier run's failure is not this run's
    lines.add(start(2));
    for (int i = 1; i <= 14; i++) {
      lines.add("line " + i);
    }
    lines.add("2026-11-30 13:47:15.754+0000: shutting down, reason=crashed");
    log("n1", lines);

    QemuLog.Tail tail = local("n1");
    assertThat(tail.unreadable()).isEmpty();
    assertThat(tail.kvmFailure()).isFalse();
    assertThat(tail.lines())
        .hasSize(10)
        .startsWith("line 6")
        .endsWith("2026-11-30 13:47:15.754+0000: shutting down, reason=crashed");
    assertThat(tail.describe("  "))
        .startsWith("last 10 lines of its QEMU log " + dir.resolve("n1.log") + ":\n  | line 6\n");
  }

  @Test
  void aShortRunIsShownWhole() throws IOException {
    log("n1", List.of(start(1), "char device redirected to /dev/pts/2 (label charserial0)"));
    assertThat(local("n1").lines())
        .containsExactly(start(1), "char device redirected to /dev/pts/2 (label charserial0)");
  }

  @Test
  void recognisesKvmFailingAndKeepsTheLineThatSaysSo() throws IOException {
    List<String> lines = new ArrayList<>(List.of(start(1), "-msg timestamp=on"));
    lines.addAll(KVM_FAILURE);
    log("n1", lines);

    QemuLog.Tail tail = local("n1");
    assertThat(tail.kvmFailure()).isTrue();
    assertThat(tail.lines()).hasSize(10);
    assertThat(tail.lines().subList(0, 2))
        .containsExactly("KVM internal error. Suberror: 1", "...");
    assertThat(tail.lines()).endsWith(KVM_FAILURE.get(KVM_FAILURE.size() - 1));
  }

  @Test
  void recognisesHostPassthroughFailingEarlier() throws IOException {
    log(
        "n1",
        List.of(
            start(1),
            "2026-11-30T10:00:00.000000Z qemu-system-x86_64: error: failed to set MSR 0x10a to"
                + " 0x2000000",
            "qemu-system-x86_64: ../../target/i386/kvm/kvm.c:3125: kvm_buf_set_msrs: Assertion"
                + " failed.",
            "2026-11-30 10:00:01.000+0000: shutting down, reason=crashed"));
    assertThat(local("n1").kvmFailure()).isTrue();
  }

  @Test
  void aHugeLogIsReadFromItsEndOnly() throws IOException {
    Path file = dir.resolve("n1.log");
    byte[] line = ("x".repeat(99) + "\n").getBytes(StandardCharsets.UTF_8);
    try (var out = Files.newOutputStream(file)) {
      out.write(start(1).getBytes(StandardCharsets.UTF_8));
      out.write('\n');
      for (int i = 0; i < 200_000; i++) { // 20 MB
        out.write(line);
      }
      out.write("KVM internal error. Suberror: 1\nthe end\n".getBytes(StandardCharsets.UTF_8));
    }
    long started = System.nanoTime();
    QemuLog.Tail tail = local("n1");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    assertThat(tail.kvmFailure()).isTrue(); // no start mark in the window: all of it counts
    assertThat(tail.lines()).hasSize(10).endsWith("KVM internal error. Suberror: 1", "the end");
    assertThat(tail.lines().get(0)).isEqualTo("x".repeat(99)); // the cut first line is dropped
  }

  @Test
  void longLinesAndControlCharactersAreDefused() throws IOException {
    String escape = "\u001b]0;owned\u0007\u001b[2J";
    String bidi = "abc\u202Edcba";
    Files.writeString(
        dir.resolve("n1.log"),
        start(1) + "\n" + escape + "\n" + bidi + " \t \n" + "y".repeat(30_000) + "\r\n");
    QemuLog.Tail tail = local("n1");
    assertThat(tail.lines())
        .containsExactly(
            start(1), "?]0;owned??[2J", "abc?dcba", "y".repeat(QemuLog.MAX_LINE) + "...");
    assertThat(String.join("", tail.lines())).doesNotContainPattern("\\p{Cntrl}|\\p{Cf}");

    // one line longer than what is read: shown cut
    Files.writeString(dir.resolve("n2.log"), "z".repeat(1_000_000) + "\n");
    assertThat(local("n2").lines())
        .containsExactly("..." + "z".repeat(QemuLog.MAX_LINE - 3) + "...");
  }

  @Test
  void whatCannotBeReadIsSaid() throws IOException {
    assertThat(local("n1").describe(""))
        .isEqualTo("QEMU log not readable: there is no such file (" + dir.resolve("n1.log") + ")");

    Files.createDirectory(dir.resolve("n2.log"));
    assertThat(local("n2").unreadable()).contains("not a regular file");

    // a FIFO would block a reader forever
    Tools.requireTool("mkfifo");
    Tools.ok(List.of("mkfifo", dir.resolve("n3.log").toString()));
    CompletableFuture<QemuLog.Tail> fifo = CompletableFuture.supplyAsync(() -> local("n3"));
    assertThat(fifo).succeedsWithin(Duration.ofSeconds(5));
    assertThat(fifo.join().unreadable()).contains("not a regular file");

    Path link = Files.createSymbolicLink(dir.resolve("n4.log"), Path.of("/dev/zero"));
    assertThat(local("n4").unreadable()).contains("not a regular file");
    Files.delete(link);

    log("n5", List.of());
    assertThat(local("n5").describe(""))
        .isEqualTo("QEMU log " + dir.resolve("n5.log") + " is empty");
  }

  @Test
  void namesThatAreNotDomainNamesAreNotRead() throws IOException {
    Files.writeString(dir.resolve("secret"), "root:x:0:0\n");
    Path inner = Files.createDirectory(dir.resolve("qemu"));
    QemuLog.Source source = QemuLog.local(inner);
    for (String name : List.of("../secret", "..", "", "a/b", "-rf", "n\nx", "x".repeat(300))) {
      QemuLog.Tail tail = source.read(name, new Cancellation());
      assertThat(tail.unreadable()).as(name).isPresent();
      assertThat(tail.unreadable().get()).as(name).startsWith("not a domain name");
      assertThat(tail.describe("")).doesNotContain("\n").doesNotContain("root:x");
    }
  }

  // ------------------------------------------------------------------ over ssh

  /** A stand-in for ssh: a shell script; the remote command comes as its last argument. */
  private QemuLog.Source ssh(String script, Duration timeout) {
    return QemuLog.overSsh(
        List.of("sh", "-c", script, "ssh"),
        "k@10.0.0.1:22",
        Path.of("/var/log/libvirt/qemu"),
        timeout);
  }

  @Test
  void overSshTheRemoteTailIsParsedTheSameWay() throws IOException {
    Path remote = log("remote", List.of(start(1), "emulation failure", "the end"));
    QemuLog.Tail tail =
        ssh("echo \"$1\" > " + dir.resolve("asked") + "; cat " + remote, Duration.ofSeconds(10))
            .read("c-master-1", new Cancellation());
    assertThat(tail.unreadable()).isEmpty();
    assertThat(tail.kvmFailure()).isTrue();
    assertThat(tail.where()).isEqualTo("k@10.0.0.1:22:/var/log/libvirt/qemu/c-master-1.log");
    assertThat(tail.lines()).containsExactly(start(1), "emulation failure", "the end");
    assertThat(Files.readString(dir.resolve("asked")).strip())
        .isEqualTo("tail -c 65536 -- '/var/log/libvirt/qemu/c-master-1.log'");
  }

  @Test
  void overSshFailuresSayWhatSshOrTailSaid() {
    assertThat(
            ssh("echo 'Host key verification failed.' >&2; exit 255", Duration.ofSeconds(10))
                .read("n1", new Cancellation())
                .describe(""))
        .isEqualTo(
            "QEMU log not readable: ssh failed: Host key verification failed."
                + " (k@10.0.0.1:22:/var/log/libvirt/qemu/n1.log)");
    assertThat(
            ssh(
                    "echo \"tail: cannot open 'x' for reading: Permission denied\" >&2; exit 1",
                    Duration.ofSeconds(10))
                .read("n1", new Cancellation())
                .unreadable())
        .contains("tail: cannot open 'x' for reading: Permission denied");
  }

  @Test
  void aHangingSshIsEndedAtItsTimeoutAndAFloodIsBounded() {
    long started = System.nanoTime();
    QemuLog.Tail hung = ssh("exec sleep 60", Duration.ofMillis(300)).read("n1", new Cancellation());
    assertThat(hung.unreadable()).contains("ssh did not finish within 300 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));

    QemuLog.Tail flood =
        ssh("head -c 20000000 /dev/zero | tr '\\0' 'z'; echo; echo last", Duration.ofSeconds(20))
            .read("n1", new Cancellation());
    assertThat(flood.unreadable()).isEmpty();
    assertThat(flood.lines()).isNotEmpty().allMatch(l -> l.length() <= QemuLog.MAX_LINE + 3);
  }

  @Test
  void aCancelEndsAnSshReadAtOnce() throws Exception {
    Cancellation cancellation = new Cancellation();
    CompletableFuture<QemuLog.Tail> read =
        CompletableFuture.supplyAsync(
            () -> ssh("exec sleep 60", Duration.ofSeconds(60)).read("n1", cancellation));
    Thread.sleep(300);
    long cancelled = System.nanoTime();
    cancellation.cancel();
    QemuLog.Tail tail = read.get(5, TimeUnit.SECONDS);
    assertThat(Duration.ofNanos(System.nanoTime() - cancelled)).isLessThan(Duration.ofSeconds(2));
    assertThat(tail.unreadable()).contains("not read: the apply was cancelled");
  }

  // ------------------------------------------------------------------ which source

  private static HostLayout host(String connection) {
    ClusterSpec spec =
        KubitectYaml.read("hosts:\n  - name: h1\n    connection: " + connection + "\n", "hosts");
    return new HostLayout("h1", spec.hosts().get(0).connection(), "/pools", List.of());
  }

  private static Settings settings(Map<String, String> uris, Path home) {
    return new Settings(
        uris,
        false,
        Optional.empty(),
        Path.of("/keys/known hosts"),
        4,
        8,
        Optional.empty(),
        Duration.ofSeconds(5),
        Duration.ofMillis(100),
        Optional.empty(),
        home.resolve("cache"),
        Duration.ZERO,
        home);
  }

  @Test
  void sshIsCalledAsLibvirtsQemuSshTransportIs() {
    HostLayout verified =
        host("{type: remote, user: k, ip: 10.10.0.5, ssh: {keyfile: \"~/.ssh/id_c\", port: 2222}}");
    assertThat(QemuLog.sshCommand(verified, settings(Map.of(), Path.of("/home/me"))))
        .containsExactly(
            "ssh",
            "-o",
            "BatchMode=yes",
            "-o",
            "ConnectTimeout=10",
            "-o",
            "LogLevel=ERROR",
            "-o",
            "StrictHostKeyChecking=yes",
            "-o",
            "UserKnownHostsFile=\"/keys/known hosts\"",
            "-o",
            "GlobalKnownHostsFile=/dev/null",
            "-i",
            "/home/me/.ssh/id_c",
            "-p",
            "2222",
            "-l",
            "k",
            "--",
            "10.10.0.5");
    HostLayout unverified = host("{type: remote, ip: 10.10.0.6, ssh: {verify: false}}");
    assertThat(QemuLog.sshCommand(unverified, settings(Map.of(), Path.of("/home/me"))))
        .containsSubsequence("-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null")
        .doesNotContain("-i")
        .endsWith("-p", "22", "-l", "root", "--", "10.10.0.6");
  }

  @Test
  void aUriGivenWithHostUriIsNotGuessedAt() {
    HostLayout local = host("{type: local}");
    QemuLog.Tail tail =
        QemuLog.forHost(local, settings(Map.of("h1", "test:///tmp/h1.xml?x=secret"), dir))
            .read("n1", new Cancellation());
    assertThat(tail.describe(""))
        .isEqualTo(
            "QEMU log not readable: host h1 is reached through test:///tmp/h1.xml (given with"
                + " hostUri), whose QEMU logs are not read");
    for (Map<String, String> uris :
        List.of(Map.<String, String>of(), Map.of("h1", "qemu:///system"))) {
      assertThat(
              QemuLog.forHost(local, settings(uris, dir))
                  .read("kubitect-no-such-domain", new Cancellation())
                  .describe(""))
          .as("%s", uris)
          .isEqualTo(
              "QEMU log not readable: there is no such file"
                  + " (/var/log/libvirt/qemu/kubitect-no-such-domain.log)");
    }
  }
}
