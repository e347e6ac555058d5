package io.kubitect.core.loadbalancer;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubitect.core.spi.LoadBalancerInspection;
import io.kubitect.core.testing.Environment;
import io.kubitect.core.testing.RecordingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load-balancer pair in a namespace lab (see {@link LoadBalancerLab}), configured purely over
 * SSH by {@link KeepalivedHaproxyConfigurator}, then broken on purpose: the primary's keepalived
 * and HAProxy crash (SIGKILL), the primary's HAProxy alone crashes, a master stops being ready.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LoadBalancerFailoverIT {
  @TempDir static Path dir;
  private static LoadBalancerLab lab;
  private static final LoadBalancerTuning TUNING = LoadBalancerTuning.defaults();
  private static final Duration REQUEST = Duration.ofMillis(500);

  @BeforeAll
  static void startLab() throws IOException {
    Environment.requireRoot();
    Environment.requireCommands(
        "ip", "sshd", "unshare", "haproxy", "keepalived", "openssl", "python3", "timeout", "bash");
    lab = LoadBalancerLab.start(dir);
  }

  @AfterAll
  static void removeLab() {
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  @Order(1)
  void configuresBothLoadBalancersOverSshAndTheHighestPriorityHoldsTheVip() {
    RecordingListener listener = new RecordingListener();
    lab.configure(TUNING, listener);
    assertThat(listener.pairingProblems()).isEmpty();
    assertThat(listener.finished())
        .contains(
            "load_balancers [local] k8s-lb-1: configure haproxy => configured and started (direct)",
            "load_balancers [local] k8s-lb-2: configure keepalived => configured and started"
                + " (direct)")
        .anyMatch(
            e ->
                e.startsWith("load_balancers [local] k8s-lb-1: prepare node => ")
                    && e.contains("set ip_nonlocal_bind"))
        .anyMatch(
            e ->
                e.startsWith(
                    "load_balancers: verify load balancers => virtual IP "
                        + lab.vip
                        + " on k8s-lb-1"));
    assertThat(lab.vipHolders()).containsExactly("k8s-lb-1");
  }

  @Test
  @Order(2)
  void inspectionShowsWhoHoldsTheVipAndHaproxysViewOfEveryMaster() {
    Map<String, LoadBalancerInspection> found = lab.inspect();
    assertThat(found).containsOnlyKeys(LoadBalancerLab.LBS);
    Map<String, String> allUp = new LinkedHashMap<>();
    LoadBalancerLab.MASTERS.forEach(m -> allUp.put(m, "UP"));
    LoadBalancerInspection primary = inspected(found, "k8s-lb-1");
    assertThat(primary.error()).isEmpty();
    assertThat(primary.keepalivedRunning()).isTrue();
    assertThat(primary.haproxyRunning()).isTrue();
    assertThat(primary.holdsVirtualIp()).isTrue();
    assertThat(primary.backends()).isEqualTo(allUp);
    assertThat(primary.backendsDetail()).isEmpty();
    LoadBalancerInspection backup = inspected(found, "k8s-lb-2");
    assertThat(backup.keepalivedRunning()).isTrue();
    assertThat(backup.holdsVirtualIp()).isFalse();
    assertThat(backup.backends()).isEqualTo(allUp);
  }

  @Test
  @Order(3)
  void clientsOfTheVipReachEveryMaster() {
    Set<String> served = new HashSet<>();
    for (int i = 0; i < 12; i++) {
      lab.whoServes(REQUEST).ifPresent(served::add);
    }
    assertThat(served).containsExactlyInAnyOrderElementsOf(LoadBalancerLab.MASTERS);
  }

  @Test
  @Order(4)
  void reapplyingAnUnchangedConfigurationChangesNothingOnTheNodes() throws IOException {
    Map<String, Object> before = nodeState();
    RecordingListener listener = new RecordingListener();
    lab.configure(TUNING, listener);
    assertThat(listener.pairingProblems()).isEmpty();
    assertThat(listener.finished())
        .filteredOn(e -> !e.contains("verify load balancers"))
        .hasSize(6)
        .allMatch(e -> e.endsWith("=> unchanged"), "every node step is unchanged");
    assertThat(nodeState()).isEqualTo(before);
  }

  /** Inode, modification time and content of every managed file, and the daemons' pids. */
  private static Map<String, Object> nodeState() throws IOException {
    Map<String, Object> state = new LinkedHashMap<>();
    for (String lb : LoadBalancerLab.LBS) {
      for (String file :
          List.of(
              "haproxy/haproxy.cfg",
              "keepalived/keepalived.conf",
              "keepalived/kubitect-check-haproxy.sh",
              "sysctl.d/90-kubitect-loadbalancer.conf")) {
        Path path = lab.etc(lb, file);
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
        state.put(
            lb + ":" + file,
            attributes.fileKey()
                + " "
                + attributes.lastModifiedTime()
                + " "
                + Files.readString(path).hashCode());
      }
      state.put(lb + ":pids", lab.lab.pids(lb, "haproxy", "keepalived"));
    }
    return state;
  }

  @Test
  @Order(5)
  void theVipMovesWhenThePrimarysKeepalivedAndHaproxyCrash() {
    assertThat(lab.whoServes(REQUEST)).isPresent();
    long crashed = lab.lab.crash("k8s-lb-1", "keepalived", "haproxy");
    Duration outage = awaitService(crashed, Duration.ofSeconds(10));
    assertThat(lab.lab.holds("k8s-lb-2", lab.vip)).isTrue();
    System.out.printf("VIP answered again %d ms after the primary crashed%n", outage.toMillis());
    assertThat(outage).isLessThan(Duration.ofSeconds(3));
    for (int i = 0; i < 5; i++) {
      assertThat(lab.whoServes(REQUEST)).as("request %d through the backup", i).isPresent();
    }
    Map<String, LoadBalancerInspection> found = lab.inspect();
    assertThat(inspected(found, "k8s-lb-1").keepalivedRunning()).isFalse();
    assertThat(inspected(found, "k8s-lb-1").haproxyRunning()).isFalse();
    assertThat(inspected(found, "k8s-lb-1").backends()).isEmpty();
    assertThat(inspected(found, "k8s-lb-2").holdsVirtualIp()).isTrue();
    // the next apply restarts the crashed daemons; the VIP returns to the higher priority
    RecordingListener listener = new RecordingListener();
    lab.configure(TUNING, listener);
    assertThat(listener.finished())
        .contains(
            "load_balancers [local] k8s-lb-1: configure haproxy => started (was not running)"
                + " (direct)",
            "load_balancers [local] k8s-lb-1: configure keepalived => started (was not running)"
                + " (direct)");
    awaitHolder("k8s-lb-1", Duration.ofSeconds(10));
    assertThat(lab.vipHolders()).containsExactly("k8s-lb-1");
  }

  @Test
  @Order(6)
  void theVipMovesWhenOnlyThePrimarysHaproxyCrashes() {
    long crashed = lab.lab.crash("k8s-lb-1", "haproxy");
    Duration outage = awaitService(crashed, Duration.ofSeconds(10));
    System.out.printf(
        "VIP answered again %d ms after the primary's HAProxy crashed%n", outage.toMillis());
    awaitHolder("k8s-lb-2", Duration.ofSeconds(10));
    assertThat(lab.vipHolders()).containsExactly("k8s-lb-2");
    lab.configure(TUNING, new RecordingListener());
    awaitHolder("k8s-lb-1", Duration.ofSeconds(10));
    assertThat(lab.vipHolders()).containsExactly("k8s-lb-1");
  }

  @Test
  @Order(7)
  void aMasterWhoseReadyzFailsIsTakenOutOfRotationAndComesBack() throws InterruptedException {
    lab.lab.setMasterReady("k8s-master-2", false);
    long failed = System.nanoTime();
    Duration removed = awaitNotServedBy("k8s-master-2", failed, Duration.ofSeconds(10));
    System.out.printf("unready master out of rotation after %d ms%n", removed.toMillis());
    assertThat(removed).isLessThan(Duration.ofSeconds(4));
    assertThat(lab.inspect().values())
        .allSatisfy(lb -> assertThat(lb.backends()).containsEntry("k8s-master-2", "DOWN"));
    lab.lab.setMasterReady("k8s-master-2", true);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    boolean back = false;
    while (!back && System.nanoTime() < deadline) {
      back = lab.whoServes(REQUEST).filter("k8s-master-2"::equals).isPresent();
      Thread.sleep(50);
    }
    assertThat(back).as("k8s-master-2 serves again").isTrue();
  }

  /** Time from {@code since} until a fresh client is served through the VIP. */
  static Duration awaitService(long since, Duration timeout) {
    long deadline = since + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<String> served = lab.whoServes(Duration.ofMillis(200));
      if (served.isPresent()) {
        return Duration.ofNanos(System.nanoTime() - since);
      }
      sleep(20);
    }
    throw new AssertionError("the VIP did not answer within " + timeout);
  }

  /**
   * Time from {@code since} until the last request {@code master} served, once 20 requests in a row
   * were served by others.
   */
  static Duration awaitNotServedBy(String master, long since, Duration timeout) {
    long deadline = since + timeout.toNanos();
    long last = since;
    int othersInARow = 0;
    while (othersInARow < 20) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(master + " still serves " + timeout + " after failing");
      }
      Optional<String> served = lab.whoServes(REQUEST);
      if (served.isPresent() && served.get().equals(master)) {
        last = System.nanoTime();
        othersInARow = 0;
      } else if (served.isPresent()) {
        othersInARow++;
      }
    }
    return Duration.ofNanos(last - since);
  }

  static void awaitHolder(String lb, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!lab.vipHolders().equals(List.of(lb)) && System.nanoTime() < deadline) {
      sleep(100);
    }
  }

  static LoadBalancerInspection inspected(Map<String, LoadBalancerInspection> found, String lb) {
    LoadBalancerInspection inspection = found.get(lb);
    assertThat(inspection).as("inspection of %s", lb).isNotNull();
    return java.util.Objects.requireNonNull(inspection);
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
