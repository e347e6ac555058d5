package io.kubitect.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubitect.core.loadbalancer.KeepalivedHaproxyConfigurator;
import io.kubitect.core.loadbalancer.LabSpecs;
import io.kubitect.core.loadbalancer.LoadBalancerLab;
import io.kubitect.core.loadbalancer.LoadBalancerTuning;
import io.kubitect.core.spi.StepListener;
import io.kubitect.core.ssh.SshOptions;
import io.kubitect.core.testing.Environment;
import io.kubitect.core.testing.RecordingListener;
import io.kubitect.model.KubitectException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The failover drill on the namespace lab's load-balancer pair (real keepalived and HAProxy, each
 * node reached over SSH): the primary's daemons stop, the backup takes the virtual IP, the primary
 * is restored and takes it back.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FailoverDrillIT {
  @TempDir static Path dir;
  private static LoadBalancerLab lab;
  private static final KeepalivedHaproxyConfigurator CONFIGURATOR =
      new KeepalivedHaproxyConfigurator(LoadBalancerTuning.defaults(), SshOptions.defaults());

  @BeforeAll
  static void startLab() throws IOException {
    Environment.requireRoot();
    Environment.requireCommands(
        "ip", "sshd", "unshare", "haproxy", "keepalived", "openssl", "python3", "timeout", "bash");
    lab = LoadBalancerLab.start(dir);
    lab.configure(LoadBalancerTuning.defaults(), new RecordingListener());
  }

  @AfterAll
  static void removeLab() {
    if (lab != null) {
      lab.close();
    }
  }

  private static FailoverDrill drill(DrillOptions options, StepListener listener) {
    return new FailoverDrill(
        lab.topology,
        LabSpecs.noStatus(),
        lab.credentials,
        CONFIGURATOR,
        lab.vip,
        options,
        listener);
  }

  @Test
  @Order(1)
  void theBackupTakesOverAndThePrimaryIsRestored() {
    RecordingListener listener = new RecordingListener();
    DrillReport report = drill(DrillOptions.defaults(), listener).run();
    report.steps().forEach(s -> System.out.println("drill " + s));
    assertThat(report.problems()).isEmpty();
    assertThat(report.passed()).isTrue();
    assertThat(report.stopped()).isEqualTo("k8s-lb-1");
    assertThat(report.takenOverBy()).contains("k8s-lb-2");
    assertThat(report.mostHoldersAtOnce()).isEqualTo(1);
    assertThat(report.longestGap()).isPositive().isLessThan(Duration.ofSeconds(10));
    assertThat(report.requests()).isGreaterThan(report.unanswered());
    assertThat(report.steps())
        .anyMatch(s -> s.contains("stopped keepalived and HAProxy on k8s-lb-1"))
        .anyMatch(s -> s.contains("k8s-lb-2 holds " + lab.vip))
        .anyMatch(s -> s.contains("k8s-lb-1 holds " + lab.vip + " again after the restore"));
    assertThat(listener.pairingProblems()).isEmpty();
    assertThat(lab.vipHolders()).containsExactly("k8s-lb-1");
  }

  @Test
  @Order(2)
  void aPairThatIsNotReadyIsRefusedBeforeAnythingStops() {
    lab.lab.crash("k8s-lb-2", "haproxy");
    assertThatThrownBy(() -> drill(DrillOptions.defaults(), new RecordingListener()).run())
        .isInstanceOf(KubitectException.class)
        .hasMessage("k8s-lb-2 is not ready for a drill (HAProxy stopped); nothing was stopped");
    assertThat(lab.vipHolders()).containsExactly("k8s-lb-1");
    lab.configure(LoadBalancerTuning.defaults(), new RecordingListener());
  }

  @Test
  void hostileOptionsAreRefusedInOneLine() {
    assertThatThrownBy(
            () ->
                new DrillOptions(
                    Duration.ofMillis(1),
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(1)))
        .hasMessage("probeInterval must be at least 20 ms, was 1 ms");
    assertThatThrownBy(
            () ->
                new DrillOptions(
                    Duration.ofMillis(100),
                    Duration.ZERO,
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(1)))
        .hasMessage("requestTimeout must be a positive duration, was PT0S");
  }
}
