package io.kubitect.core.loadbalancer;

import io.kubitect.core.spi.StepListener;
import io.kubitect.core.ssh.SshConnection;
import io.kubitect.core.ssh.SshConnections;
import io.kubitect.core.testing.Environment;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code bench/lb-failover}: failover drills in the namespace lab, once with the SDK's configs and
 * once with Kubitect-style configs, in one run.
 *
 * <ul>
 *   <li>VIP drill: SIGKILL the primary's keepalived and HAProxy; time until a fresh client is
 *       served through {@code VIP:6443} again (via the backup).
 *   <li>Dead-master drill: SIGKILL one master's API server (its port closes); time until the
 *       primary's HAProxy marks it DOWN (read from its stats socket).
 *   <li>Unready-master drill: the master's {@code /readyz} answers 500 while its port stays open;
 *       time until HAProxy marks it DOWN. Kubitect's TCP check never notices; a few drills show it.
 * </ul>
 *
 * The last line is {@code lb-failover: drills=N ours_median_ms=N kubitect_median_ms=N ratio=X.XX
 * master_removal_median_ms=N kubitect_master_removal_median_ms=N}, the master figures from the
 * dead-master drill (the one both configurations detect).
 */
public final class LbFailoverBenchmark {
  private static final String VICTIM = "k8s-master-2";
  private static final Duration UNREADY_LIMIT = Duration.ofSeconds(10);

  private final LoadBalancerLab lab;
  private final int drills;
  private final java.util.Random random = new java.util.Random();

  private LbFailoverBenchmark(LoadBalancerLab lab, int drills) {
    this.lab = lab;
    this.drills = drills;
  }

  public static void main(String[] args) throws Exception {
    int drills = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    if (!Environment.isRoot()) {
      System.err.println("lb-failover: needs root (network namespaces, sshd, keepalived)");
      System.exit(2);
    }
    Path dir = Files.createTempDirectory("kubitect-lb-failover-");
    int status = 0;
    try (LoadBalancerLab lab = LoadBalancerLab.start(dir)) {
      new LbFailoverBenchmark(lab, drills).run();
    } catch (Exception | AssertionError e) {
      e.printStackTrace();
      status = 1;
    } finally {
      new ProcessBuilder("rm", "-rf", dir.toString()).inheritIO().start().waitFor();
    }
    System.exit(status);
  }

  private void run() throws Exception {
    LoadBalancerTuning tuning = LoadBalancerTuning.defaults();
    LoadBalancerLayout layout = LoadBalancerLayout.of(lab.topology, LabSpecs.noStatus());

    say(
        "== ours: advert_int %s s (VRRPv3, unicast), HTTPS /readyz check inter %s fall %d rise %d",
        KeepalivedConfig.seconds(tuning.advertInterval()),
        HaproxyConfig.haproxyDuration(tuning.apiCheckInterval()),
        tuning.apiCheckFall(),
        tuning.apiCheckRise());
    Runnable applyOurs = () -> lab.configure(tuning, StepListener.NONE);
    applyOurs.run();
    List<Long> oursVip = vipDrills("ours", applyOurs);
    List<Long> oursDead = masterDrills("ours", true, Duration.ofSeconds(20));
    List<Long> oursUnready = masterDrills("ours", false, Duration.ofSeconds(20));
    stopAll();

    say(
        "== kubitect-style: advert_int 1 (VRRPv2, multicast), killall -0 haproxy weight 2,"
            + " TCP check fall 3 rise 2 (inter 2s)");
    Runnable applyKubitect = () -> applyKubitect(layout);
    applyKubitect.run();
    List<Long> kubitectVip = vipDrills("kubitect", applyKubitect);
    List<Long> kubitectDead = masterDrills("kubitect", true, Duration.ofSeconds(30));
    int unreadyDrills = Math.min(3, drills);
    int notRemoved = 0;
    for (int i = 0; i < unreadyDrills; i++) {
      awaitAllUp(Duration.ofSeconds(30));
      randomPhase();
      lab.lab.setMasterReady(VICTIM, false);
      Optional<Long> removed = awaitDown(System.nanoTime(), UNREADY_LIMIT);
      lab.lab.setMasterReady(VICTIM, true);
      say(
          "kubitect unready-master drill %d: %s",
          i + 1,
          removed
              .map(ms -> "removed after " + ms + " ms")
              .orElse("still in rotation after " + UNREADY_LIMIT.toMillis() + " ms"));
      if (removed.isEmpty()) {
        notRemoved++;
      }
    }
    stopAll();

    say("");
    say(
        "VIP failover after SIGKILL of keepalived+HAProxy (ms): ours %s | kubitect %s",
        summary(oursVip), summary(kubitectVip));
    say(
        "dead master (API server killed, port closed) out of rotation (ms): ours %s | kubitect %s",
        summary(oursDead), summary(kubitectDead));
    say(
        "unready master (/readyz 500, port open) out of rotation (ms): ours %s | kubitect: not"
            + " removed within %d ms in %d of %d drills",
        summary(oursUnready), UNREADY_LIMIT.toMillis(), notRemoved, unreadyDrills);
    long ours = median(oursVip);
    long kubitect = median(kubitectVip);
    System.out.printf(
        Locale.ROOT,
        "lb-failover: drills=%d ours_median_ms=%d kubitect_median_ms=%d ratio=%.2f"
            + " master_removal_median_ms=%d kubitect_master_removal_median_ms=%d%n",
        drills,
        ours,
        kubitect,
        (double) ours / kubitect,
        median(oursDead),
        median(kubitectDead));
  }

  /** SIGKILL the primary's keepalived and HAProxy; time until the VIP serves again. */
  private List<Long> vipDrills(String name, Runnable restore) {
    List<Long> times = new ArrayList<>();
    for (int i = 0; i < drills; i++) {
      awaitSteady(Duration.ofSeconds(30));
      long crashed = lab.lab.crash("k8s-lb-1", "keepalived", "haproxy");
      long ms = -1;
      long deadline = crashed + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline) {
        if (lab.whoServes(Duration.ofMillis(200)).isPresent()) {
          ms = (System.nanoTime() - crashed) / 1_000_000;
          break;
        }
        sleep(10);
      }
      if (ms < 0) {
        throw new AssertionError(name + ": the VIP did not answer within 30 s of the crash");
      }
      times.add(ms);
      say(
          "%s VIP drill %d: served again after %d ms (holder now %s)",
          name, i + 1, ms, lab.vipHolders());
      restore.run();
    }
    return times;
  }

  /** Waits until the primary holds the VIP alone and a client is served. */
  private void awaitSteady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (lab.vipHolders().equals(List.of("k8s-lb-1"))
          && lab.whoServes(Duration.ofMillis(500)).isPresent()) {
        sleep(1500); // let the adverts settle so the backup is a plain backup again
        randomPhase();
        return;
      }
      sleep(100);
    }
    throw new AssertionError("no steady state: VIP holders " + lab.vipHolders());
  }

  /** Kill (or make unready) the victim master; time until the primary's HAProxy marks it DOWN. */
  private List<Long> masterDrills(String name, boolean kill, Duration limit) {
    List<Long> times = new ArrayList<>();
    for (int i = 0; i < drills; i++) {
      awaitAllUp(Duration.ofSeconds(30));
      randomPhase();
      long failed = System.nanoTime();
      if (kill) {
        lab.lab.killMaster(VICTIM);
      } else {
        lab.lab.setMasterReady(VICTIM, false);
      }
      Optional<Long> ms = awaitDown(failed, limit);
      if (kill) {
        lab.lab.startMaster(VICTIM);
      } else {
        lab.lab.setMasterReady(VICTIM, true);
      }
      if (ms.isEmpty()) {
        throw new AssertionError(name + ": " + VICTIM + " not marked DOWN within " + limit);
      }
      times.add(ms.get());
      say(
          "%s %s-master drill %d: out of rotation after %d ms",
          name, kill ? "dead" : "unready", i + 1, ms.get());
    }
    return times;
  }

  /**
   * Waits a random 0-2 s, so failures fall at random points of the check and advert cycles (2 s is
   * the longest: Kubitect's check interval). Without it every drill would start right after a state
   * change, i.e. right after a check, and measure the worst case.
   */
  private void randomPhase() {
    sleep(random.nextInt(2000));
  }

  private Optional<Long> awaitDown(long since, Duration limit) {
    long deadline = since + limit.toNanos();
    while (System.nanoTime() < deadline) {
      if (status(VICTIM).startsWith("DOWN")) {
        return Optional.of((System.nanoTime() - since) / 1_000_000);
      }
      sleep(10);
    }
    return Optional.empty();
  }

  private void awaitAllUp(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (LoadBalancerLab.MASTERS.stream().allMatch(m -> status(m).equals("UP"))) {
        return;
      }
      sleep(100);
    }
    throw new AssertionError("masters not all UP in HAProxy on k8s-lb-1");
  }

  /** The status column of HAProxy's {@code show stat} for a master, on the primary. */
  private String status(String master) {
    Path socket = lab.lab.rootOf("k8s-lb-1").resolve("run/haproxy/admin.sock");
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(socket));
      channel.write(ByteBuffer.wrap("show stat\n".getBytes(StandardCharsets.US_ASCII)));
      InputStream in = Channels.newInputStream(channel);
      String csv = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      List<String> lines = csv.lines().toList();
      List<String> header = List.of(lines.get(0).replaceFirst("^# ", "").split(",", -1));
      int status = header.indexOf("status");
      for (String line : lines) {
        String[] f = line.split(",", -1);
        if (f.length > status && f[0].equals("kubernetes-control-plane") && f[1].equals(master)) {
          return f[status];
        }
      }
      return "MISSING";
    } catch (IOException | RuntimeException e) {
      return "UNREACHABLE";
    }
  }

  /** Writes the Kubitect-style files to both nodes over SSH and (re)starts the daemons. */
  private void applyKubitect(LoadBalancerLayout layout) {
    try (SshConnections ssh = lab.ssh()) {
      for (LoadBalancerLayout.Peer peer : layout.loadBalancers()) {
        SshConnection node = ssh.to(lab.target(peer.name()));
        node.upload(
            bytes(KubitectStyleConfigs.haproxy(layout)), HaproxyConfig.PATH, "644", "root:root");
        node.upload(
            bytes(KubitectStyleConfigs.keepalived(layout, peer, "eth0")),
            KeepalivedConfig.PATH,
            "644",
            "root:root");
        ServiceControl services = ServiceControl.on(node, false);
        for (ServiceControl.Service s : ServiceControl.Service.values()) {
          if (services.isRunning(s)) {
            services.reload(s);
          } else {
            services.start(s);
          }
        }
      }
    }
  }

  /** Stops the daemons on both nodes gracefully (keepalived releases the VIP). */
  private void stopAll() {
    try (SshConnections ssh = lab.ssh()) {
      for (String lb : LoadBalancerLab.LBS) {
        ServiceControl services = ServiceControl.on(ssh.to(lab.target(lb)), false);
        services.stop(ServiceControl.Service.KEEPALIVED);
        services.stop(ServiceControl.Service.HAPROXY);
      }
    }
    sleep(1000);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static String summary(List<Long> values) {
    return "median "
        + median(values)
        + " min "
        + Collections.min(values)
        + " max "
        + Collections.max(values)
        + " "
        + values;
  }

  private static void say(String format, Object... args) {
    System.out.println(String.format(Locale.ROOT, format, args));
    System.out.flush();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
