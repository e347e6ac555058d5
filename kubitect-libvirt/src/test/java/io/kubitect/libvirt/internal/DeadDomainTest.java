package io.kubitect.libvirt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubitect.core.NodeStatus;
import io.kubitect.core.ResourceChange;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A domain that stops while its node's readiness is awaited fails that node at once, with libvirt's
 * state and reason and what became of the QEMU log, while the other nodes are still waited for. On
 * libvirt's test driver taken as a real host ({@code hostUri}, so readiness is awaited), with a
 * probe that never says ready: the victim's probe hangs (as an SSH connect to a dead VM does) until
 * it is interrupted, the others answer "connection refused".
 */
class DeadDomainTest {
  private static final String VICTIM = "dd-master-1";
  private static final String OTHER = "dd-worker-1";

  @TempDir Path tmp;

  private Topology topology;
  private ClusterCredentials credentials;
  private Path hostFile;
  private final Map<String, Long> failedAt = new ConcurrentHashMap<>();
  private final Map<String, Throwable> failures = new ConcurrentHashMap<>();
  private final CountDownLatch victimAwaited = new CountDownLatch(1);

  private final StepListener listener =
      new StepListener() {
        @Override
        public void started(Step step) {
          if (step.action().equals("wait until ready") && step.node().equals(Optional.of(VICTIM))) {
            victimAwaited.countDown();
          }
        }

        @Override
        public void failed(Step step, Throwable error) {
          if (step.action().equals("wait until ready")) {
            String node = step.node().orElseThrow();
            failedAt.put(node, System.nanoTime());
            failures.put(node, error);
          }
        }
      };

  /** The victim's probe hangs until interrupted; the others are refused at once. */
  private static final NodeReadinessProbe NEVER_READY =
      (node, ip, credentials) -> {
        if (node.name().equals(VICTIM)) {
          try {
            Thread.sleep(60_000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return NodeReadinessProbe.Readiness.notYet("interrupted");
          }
        }
        return NodeReadinessProbe.Readiness.notYet("connection refused");
      };

  @BeforeEach
  void cluster() throws IOException {
    Path image = Files.write(tmp.resolve("image.raw"), new byte[64 * 1024]);
    ClusterSpec spec =
        KubitectYaml.read(
            """
            hosts:
              - name: h1
                connection: {type: local}
                mainResourcePoolPath: /var/lib/libvirt/pools/
            cluster:
              name: dd
              network: {mode: nat, cidr: 10.41.0.0/24}
              nodeTemplate:
                os: {source: %s, networkInterface: ens3}
              nodes:
                master:
                  default: {cpu: 1, ram: 1, mainDiskSize: 8}
                  instances:
                    - {id: 1, ip: 10.41.0.10}
                worker:
                  default: {cpu: 1, ram: 1, mainDiskSize: 8}
                  instances:
                    - {id: 1, ip: 10.41.0.20}
            kubernetes:
              version: v1.33.4
            """
                .formatted(image),
            "dd.yaml");
    assertThat(SpecValidator.validate(spec).errors()).isEmpty();
    topology = Topology.of(spec);
    credentials = Fixtures.generatedCredentials(topology, tmp);
    hostFile = SimulatedHosts.write(tmp.resolve("hosts"), Layout.of(topology, tmp).get(0));
  }

  private Engine engine(Duration readinessTimeout) {
    return engine(readinessTimeout, NEVER_READY);
  }

  private Engine engine(Duration readinessTimeout, NodeReadinessProbe probe) {
    return new Engine(settings(readinessTimeout, probe, Optional.empty()));
  }

  private Settings settings(
      Duration readinessTimeout, NodeReadinessProbe probe, Optional<String> domainType) {
    return new Settings(
        Map.of("h1", "test://" + hostFile),
        false,
        Optional.empty(),
        tmp.resolve("known_hosts"),
        4,
        8,
        Optional.of(probe),
        readinessTimeout,
        Duration.ofMillis(100),
        domainType,
        tmp.resolve("cache"),
        Duration.ZERO,
        tmp);
  }

  /** An engine whose hosts' QEMU logs are read from {@code logDir}, domains of {@code type}. */
  private Engine engineWithLogs(Path logDir, Optional<String> type) {
    return new Engine(
        settings(Duration.ofSeconds(2), NEVER_READY, type),
        java.util.function.UnaryOperator.identity(),
        LibvirtSession::open,
        host -> QemuLog.local(logDir));
  }

  private String victimDestroyed(Engine engine) throws Exception {
    CompletableFuture<?> apply = applyInBackground(engine);
    assertThat(victimAwaited.await(30, TimeUnit.SECONDS)).isTrue();
    engine.hypervisor("h1").orElseThrow().stopDomain(VICTIM);
    return String.valueOf(failure(apply).getMessage());
  }

  private CompletableFuture<?> applyInBackground(Engine engine) {
    return CompletableFuture.runAsync(() -> engine.apply(topology, credentials, listener));
  }

  private ProvisioningException failure(CompletableFuture<?> apply) {
    AtomicReference<ProvisioningException> thrown = new AtomicReference<>();
    assertThatThrownBy(() -> apply.get(60, TimeUnit.SECONDS))
        .cause()
        .isInstanceOfSatisfying(ProvisioningException.class, thrown::set);
    return java.util.Objects.requireNonNull(thrown.get());
  }

  private long failedAt(String node) {
    return java.util.Objects.requireNonNull(failedAt.get(node), node + " did not fail");
  }

  @Test
  void aDomainDestroyedWhileAwaitedFailsItsNodeAtOnceAndTheOthersGoOn() throws Exception {
    try (Engine engine = engine(Duration.ofSeconds(5))) {
      CompletableFuture<?> apply = applyInBackground(engine);
      assertThat(victimAwaited.await(30, TimeUnit.SECONDS)).isTrue();
      Thread.sleep(300); // the victim's probe hangs now
      long destroyed = System.nanoTime();
      engine.hypervisor("h1").orElseThrow().stopDomain(VICTIM);

      ProvisioningException error = failure(apply);
      String expected =
          "host h1, node "
              + VICTIM
              + ": its domain stopped while the node's readiness was awaited: libvirt says it is"
              + " shut off (destroyed), so the node will not become ready and is not waited for"
              + " any longer\n"
              + "    QEMU log not readable: host h1 is reached through test://"
              + hostFile
              + " (given with hostUri), whose QEMU logs are not read";
      assertThat(error.getMessage()).contains(expected).doesNotContain("hint");
      assertThat(failedAt(VICTIM) - destroyed)
          .as("the victim failed within 2.5 s of its domain's end")
          .isLessThan(TimeUnit.MILLISECONDS.toNanos(2500));
      assertThat(failures.get(VICTIM))
          .hasMessage(
              "node " + VICTIM + " on host h1: " + expected.substring(expected.indexOf(": ") + 2));
      // the other node was waited for to its timeout
      assertThat(error.getMessage())
          .contains("host h1, node " + OTHER + " on host h1")
          .contains("was not ready within 5 s; last seen: 10.41.0.20: connection refused");
      assertThat(failedAt(OTHER) - failedAt(VICTIM)).isGreaterThan(TimeUnit.SECONDS.toNanos(2));
      assertThat(error.nodes())
          .extracting(NodeStatus::name, NodeStatus::change)
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple(VICTIM, ResourceChange.FAILED),
              org.assertj.core.groups.Tuple.tuple(OTHER, ResourceChange.FAILED));
      assertThat(engine.callsInFlight()).isZero();
    }
  }

  @Test
  void aDomainUndefinedWhileAwaitedFailsItsNodeToo() throws Exception {
    try (Engine engine = engine(Duration.ofSeconds(3))) {
      CompletableFuture<?> apply = applyInBackground(engine);
      assertThat(victimAwaited.await(30, TimeUnit.SECONDS)).isTrue();
      Hypervisor host = engine.hypervisor("h1").orElseThrow();
      host.undefineDomain(VICTIM); // still running, as a transient domain
      host.stopDomain(VICTIM); // and gone
      long gone = System.nanoTime();

      assertThat(failure(apply))
          .hasMessageContaining(
              "host h1, node "
                  + VICTIM
                  + ": its domain stopped while the node's readiness was awaited: libvirt no"
                  + " longer knows it (undefined meanwhile)");
      assertThat(failedAt(VICTIM) - gone).isLessThan(TimeUnit.MILLISECONDS.toNanos(2500));
    }
  }

  @Test
  void aLogShowingKvmFailNamesTheOptionThatAvoidsIt() throws Exception {
    Path logs = Files.createDirectory(tmp.resolve("logs"));
    List<String> log =
        new ArrayList<>(
            List.of("2026-11-30 13:47:10.386+0000: starting up libvirt version: 9.0.0"));
    log.addAll(QemuLogTest.KVM_FAILURE);
    Files.write(logs.resolve(VICTIM + ".log"), log);
    try (Engine engine = engineWithLogs(logs, Optional.empty())) {
      assertThat(victimDestroyed(engine))
          .contains(
              "host h1, node "
                  + VICTIM
                  + ": its domain stopped while the node's readiness was awaited: libvirt says it is"
                  + " shut off (destroyed), so the node will not become ready and is not waited for"
                  + " any longer\n"
                  + "    last 10 lines of its QEMU log "
                  + logs.resolve(VICTIM + ".log")
                  + ":\n"
                  + "      | KVM internal error. Suberror: 1\n"
                  + "      | ...\n"
                  + "      | CS =0020 00000000 ffffffff 00c09b00 DPL=0 CS32 [-RA]\n")
          .contains(
              "      | Code=eb de ff 0d a8 39 00 00 75 06 ff 15 b4 96 00 00 61 83 c4 04 <cf> c3 90"
                  + " 90 55\n"
                  + "    hint: KVM cannot run this guest on host h1 (broken or nested"
                  + " virtualisation); build the provisioner with"
                  + " LibvirtProvisioner.builder().domainType(LibvirtProvisioner.DomainType.QEMU)"
                  + " (or set KUBITECT_DOMAIN_TYPE=qemu for the default provisioner and the"
                  + " command line) to run its VMs under software emulation (slower)\n");
    }
  }

  @Test
  void aKvmDomainWhoseLogCannotBeReadGetsTheSofterHint() throws Exception {
    Path logs = Files.createDirectory(tmp.resolve("logs"));
    try (Engine engine = engineWithLogs(logs, Optional.of("kvm"))) {
      assertThat(victimDestroyed(engine))
          .contains(
              "QEMU log not readable: there is no such file ("
                  + logs.resolve(VICTIM + ".log")
                  + ")\n    hint: the domain runs with type='kvm'; if KVM cannot run guests on host"
                  + " h1 (its QEMU log then says 'KVM internal error' or 'failed to set MSR'),"
                  + " build the provisioner with"
                  + " LibvirtProvisioner.builder().domainType(LibvirtProvisioner.DomainType.QEMU)");
    }
  }

  @Test
  void aCancelStillStopsEveryWaitAtOnce() throws Exception {
    try (Engine engine = engine(Duration.ofMinutes(5))) {
      AtomicReference<Throwable> thrown = new AtomicReference<>();
      AtomicReference<Boolean> keptInterrupt = new AtomicReference<>(false);
      Thread caller =
          new Thread(
              () -> {
                try {
                  engine.apply(topology, credentials, listener);
                } catch (RuntimeException e) {
                  thrown.set(e);
                }
                keptInterrupt.set(Thread.currentThread().isInterrupted());
              });
      caller.start();
      assertThat(victimAwaited.await(30, TimeUnit.SECONDS)).isTrue();
      Thread.sleep(300);
      long cancelled = System.nanoTime();
      caller.interrupt();
      caller.join(5_000);
      assertThat(caller.isAlive()).isFalse();
      assertThat(Duration.ofNanos(System.nanoTime() - cancelled)).isLessThan(Duration.ofSeconds(2));
      assertThat(keptInterrupt.get()).isTrue();
      assertThat(thrown.get())
          .isInstanceOf(ProvisioningException.class)
          .hasMessageStartingWith("apply cancelled");
      long calls = engine.calls();
      Thread.sleep(1_500); // longer than the watch's interval: it made its last call
      assertThat(engine.calls()).isEqualTo(calls);
      assertThat(engine.callsInFlight()).isZero();
      assertThat(failures.values())
          .noneMatch(e -> String.valueOf(e.getMessage()).contains("its domain stopped"));
    }
  }

  @Test
  void runningDomainsAreListedAndTheirStatesRead() {
    NodeReadinessProbe refused =
        (node, ip, credentials) -> NodeReadinessProbe.Readiness.notYet("connection refused");
    try (Engine engine = engine(Duration.ofMillis(300), refused)) {
      assertThatThrownBy(() -> engine.apply(topology, credentials, StepListener.NONE))
          .hasMessageContaining("was not ready within 0 s");
      Hypervisor host = engine.hypervisor("h1").orElseThrow();
      assertThat(host.runningDomainNames()).containsExactlyInAnyOrder(VICTIM, OTHER);
      assertThat(host.runState(VICTIM)).contains(new RunState(1, 1));
      host.stopDomain(VICTIM);
      assertThat(host.runningDomainNames()).containsExactly(OTHER);
      assertThat(host.runState(VICTIM)).contains(new RunState(5, 2));
      assertThat(host.runState("no-such-domain")).isEmpty();
      assertThat(host.runState("../../etc")).isEmpty();
      assertThat(host.runState("x".repeat(100_000))).isEmpty();
    }
  }
}
