package io.kubitect.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubitect.core.spi.ClusterCredentials;
import io.kubitect.core.spi.InfrastructureProvisioner;
import io.kubitect.core.spi.InfrastructureStatus;
import io.kubitect.core.spi.InstallationException;
import io.kubitect.core.spi.KubernetesInstaller;
import io.kubitect.core.spi.LoadBalancerConfigurator;
import io.kubitect.core.spi.StepListener;
import io.kubitect.core.spi.Topology;
import io.kubitect.model.ClusterSpec;
import io.kubitect.model.ConfigFormat;
import io.kubitect.model.KubitectException;
import io.kubitect.model.KubitectYaml;
import io.kubitect.model.NodeInstance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The apply pipeline with recording executors: phases in order, state written, re-apply only
 * reconciles the hosts, refusals stop before anything is touched, failures say what finished, the
 * journal resumes an interrupted apply, the lock stops a second apply, destroy cleans up.
 */
class KubitectTest {
  @TempDir Path state;
  @TempDir Path home;

  private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
  private final List<String> events = Collections.synchronizedList(new ArrayList<>());

  /** Records calls; IPs are the configured ones. */
  /** The hosts of the applied topology each provisioning was given ("none": no applied one). */
  private final List<String> appliedHosts = new ArrayList<>();

  private final class RecordingProvisioner implements InfrastructureProvisioner {
    @Override
    public InfrastructureStatus apply(
        Topology topology, ClusterCredentials credentials, StepListener listener) {
      calls.add("provision " + topology.nodes().size());
      return Statuses.allCreated(topology, false);
    }

    @Override
    public InfrastructureStatus apply(
        Topology topology,
        Optional<Topology> applied,
        ClusterCredentials credentials,
        StepListener listener) {
      appliedHosts.add(
          applied
              .map(a -> a.hostLayouts().stream().map(h -> h.name()).toList().toString())
              .orElse("none"));
      return apply(topology, credentials, listener);
    }

    @Override
    public void destroy(Topology topology, StepListener listener) {
      calls.add("destroy " + topology.clusterName());
    }

    @Override
    public void close() {}
  }

  private final class RecordingInstaller implements KubernetesInstaller {
    private final Optional<KubernetesInstaller.Action> failOn;

    RecordingInstaller(Optional<KubernetesInstaller.Action> failOn) {
      this.failOn = failOn;
    }

    @Override
    public Optional<Path> install(Request request, StepListener listener) {
      calls.add("install " + request.action() + " " + request.nodes());
      if (failOn.equals(Optional.of(request.action()))) {
        throw new InstallationException("task failed", 2, "join", List.of("x"), "tail");
      }
      if (request.action() == Action.CREATE) {
        Path kubeconfig = request.workDirectory().resolve("fetched.conf");
        ClusterDirectory.write(kubeconfig, "apiVersion: v1\n", true);
        return Optional.of(kubeconfig);
      }
      return Optional.empty();
    }
  }

  /** Phases as lines: {@code start PHASE}, {@code end PHASE detail}, {@code fail PHASE}. */
  private final KubitectListener recorder =
      event -> {
        if (event instanceof KubitectEvent.PhaseStarted s) {
          events.add("start " + s.phase());
        } else if (event instanceof KubitectEvent.PhaseFinished f) {
          events.add(
              f.outcome() == StepOutcome.FAILED
                  ? "fail " + f.phase()
                  : "end " + f.phase() + " " + f.detail());
        }
      };

  private Kubitect kubitect(Optional<KubernetesInstaller.Action> failOn) {
    return Kubitect.builder()
        .provisioner(new RecordingProvisioner())
        .loadBalancers((t, i, c, l) -> calls.add("lb " + t.nodes(NodeRole.LOAD_BALANCER).size()))
        .installer(new RecordingInstaller(failOn))
        .stateDirectory(state)
        .home(home)
        .listener(recorder)
        .build();
  }

  private Kubitect kubitect() {
    return kubitect(Optional.empty());
  }

  @Test
  void applyRunsEveryPhaseInOrderAndWritesTheState() throws Exception {
    AppliedCluster cluster = kubitect().apply(Specs.valid(), ApplyAction.CREATE);

    assertThat(calls)
        .containsExactly(
            "provision 7",
            "lb 2",
            "install CREATE [k8s-master-1, k8s-master-2, k8s-master-3, k8s-worker-1, k8s-worker-2]");
    assertThat(events)
        .containsExactly(
            "start PLAN",
            "end PLAN new cluster of 7 nodes",
            "start PROVISION",
            "end PROVISION 7 mutating calls",
            "start LOAD_BALANCERS",
            "end LOAD_BALANCERS configured",
            "start KUBERNETES",
            "end KUBERNETES CREATE",
            "start STATE",
            "end STATE saved");
    assertThat(cluster.name()).isEqualTo("k8s");
    assertThat(cluster.apiEndpoint()).contains("10.10.13.200");
    assertThat(cluster.nodes()).hasSize(7);
    assertThat(cluster.hostKeys()).containsKeys("k8s-lb-1", "k8s-worker-2");
    Path dir = state.resolve("k8s");
    assertThat(cluster.stateDirectory()).isEqualTo(dir);
    assertThat(cluster.kubeconfig()).contains(dir.resolve("config/admin.conf"));
    assertThat(Files.getPosixFilePermissions(dir.resolve("config/admin.conf")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.getPosixFilePermissions(dir.resolve("config/.ssh/id_ed25519")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.readString(dir.resolve("config/known_hosts")))
        .contains("10.10.13.10 ssh-ed25519 ")
        .hasLineCount(7);
    assertThat(Files.readString(dir.resolve("config/kubitect-applied.yaml")))
        .contains("virtualRouterId: 51");
    assertThat(dir.resolve("journal")).doesNotExist();
  }

  @Test
  void reapplyingAnUnchangedSpecReconcilesTheHostsWithoutKubernetesAndKeepsTheKeys()
      throws Exception {
    Kubitect kubitect = kubitect();
    kubitect.apply(Specs.valid(), ApplyAction.CREATE);
    String key = Files.readString(state.resolve("k8s/config/.ssh/id_ed25519.pub"));
    calls.clear();
    events.clear();

    AppliedCluster again = kubitect.apply(Specs.valid(), ApplyAction.CREATE);

    assertThat(calls).containsExactly("provision 7", "lb 2");
    assertThat(events)
        .containsExactly(
            "start PLAN",
            "end PLAN no changes; checking the hosts",
            "start PROVISION",
            "end PROVISION 7 mutating calls",
            "start LOAD_BALANCERS",
            "end LOAD_BALANCERS configured",
            "start STATE",
            "end STATE saved");
    // the provisioner's count of this apply, kept with the state
    assertThat(again.mutatingCalls()).isEqualTo(7);
    assertThat(kubitect.cluster("k8s").orElseThrow().mutatingCalls()).isEqualTo(7);
    assertThat(Files.readString(state.resolve("k8s/config/.ssh/id_ed25519.pub"))).isEqualTo(key);
  }

  @Test
  void provisioningIsGivenTheAppliedTopologySoRemovedHostsCanBeCleared() {
    Kubitect kubitect = kubitect();
    ClusterSpec withSpareHost = Specs.addHost(Specs.valid(), Specs.remoteHost("h4", "10.10.0.7"));
    kubitect.apply(withSpareHost, ApplyAction.CREATE);
    Plan plan = kubitect.plan(Specs.valid(), ApplyAction.SCALE);
    assertThat(plan.changes())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.path()).isEqualTo("hosts[name=h4]");
              assertThat(c.verdict()).isEqualTo(Verdict.ALLOWED);
              assertThat(c.reason())
                  .isEqualTo(
                      "everything the cluster made on host h4 (domains, volumes, base image,"
                          + " cloud-init seeds, pools, network) is removed, reached with its"
                          + " applied connection");
            });
    kubitect.apply(plan);

    assertThat(appliedHosts).containsExactly("none", "[h1, h2, h3, h4]");
  }

  @Test
  void refusedChangesStopBeforeAnythingIsTouched() {
    Kubitect kubitect = kubitect();
    kubitect.apply(Specs.valid(), ApplyAction.CREATE);
    calls.clear();

    assertThatThrownBy(
            () ->
                kubitect.apply(
                    Specs.worker(Specs.valid(), 0, w -> w.withCpu(8)), ApplyAction.CREATE))
        .isInstanceOf(ChangeRefusedException.class)
        .hasMessageContaining("cluster.nodes.worker.instances[id=1].cpu");
    assertThat(calls).isEmpty();
  }

  @Test
  void dangerousChangesNeedApproval() {
    Kubitect kubitect = kubitect();
    kubitect.apply(Specs.valid(), ApplyAction.CREATE);
    ClusterSpec fewerMasters =
        Specs.masters(Specs.valid(), g -> g.withInstances(List.of(g.instances().get(0))));
    calls.clear();

    assertThatThrownBy(() -> kubitect.apply(fewerMasters, ApplyAction.SCALE))
        .isInstanceOf(ChangeRefusedException.class)
        .hasMessageContaining("not approved");
    assertThat(calls).isEmpty();
  }

  @Test
  void invalidSpecsAreRejectedWithEveryViolation() {
    assertThatThrownBy(() -> kubitect().apply(ClusterSpec.builder().build(), ApplyAction.CREATE))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("cluster.name");
  }

  @Test
  void aFailedPhaseSaysWhatFinishedAndTheNextApplyResumes() {
    ClusterSpec bigger =
        Specs.workers(
            Specs.workers(Specs.valid(), g -> g.withInstances(List.of(g.instances().get(0)))),
            g -> {
              List<NodeInstance> all = new ArrayList<>(g.instances());
              all.add(Specs.instance("3", "h2", "10.10.13.22"));
              return g.withInstances(all);
            });
    kubitect().apply(Specs.valid(), ApplyAction.CREATE);
    calls.clear();

    assertThatThrownBy(
            () ->
                kubitect(Optional.of(KubernetesInstaller.Action.SCALE_UP))
                    .apply(bigger, ApplyAction.SCALE))
        .isInstanceOfSatisfying(
            ApplyException.class,
            e -> {
              assertThat(e.finished())
                  .containsExactly(Phase.KUBERNETES, Phase.PROVISION, Phase.LOAD_BALANCERS);
              assertThat(e.failed()).isEqualTo(Phase.KUBERNETES);
              assertThat(e.notStarted()).containsExactly(Phase.STATE);
              assertThat(e.cancelled()).isFalse();
            });
    assertThat(calls)
        .containsExactly(
            "install REMOVE_NODES [k8s-worker-2]",
            "provision 7",
            "lb 2",
            "install SCALE_UP [k8s-worker-3]");
    calls.clear();

    kubitect().apply(bigger, ApplyAction.SCALE);

    // The removal finished before the failure and is not repeated; the rest converges.
    assertThat(calls).containsExactly("provision 7", "lb 2", "install SCALE_UP [k8s-worker-3]");
    assertThat(kubitect().plan(bigger, ApplyAction.SCALE).hasChanges()).isFalse();
  }

  @Test
  void aSecondApplyOfTheSameClusterFailsFastNamingTheHolder() throws Exception {
    Path lockFile = state.resolve("k8s/lock");
    // The machine is named as the resolver names it, though the lock finds the name without it.
    String machine = java.net.InetAddress.getLocalHost().getHostName();
    try (ClusterLock held = ClusterLock.acquire(lockFile, "k8s", "apply")) {
      assertThatThrownBy(() -> kubitect().apply(Specs.valid(), ApplyAction.CREATE))
          .isInstanceOf(ClusterBusyException.class)
          .hasMessageContaining(
              "cluster k8s is busy: apply by pid "
                  + ProcessHandle.current().pid()
                  + " on "
                  + machine
                  + " since ");
      assertThat(held).isNotNull();
    }
    assertThat(calls).isEmpty();
    kubitect().apply(Specs.valid(), ApplyAction.CREATE);
    assertThat(calls).isNotEmpty();
  }

  @Test
  void anApplyWithAMissingExecutorIsRefusedBeforeAnythingIsTouched() {
    Kubitect none = Kubitect.builder().withoutExecutors().stateDirectory(state).home(home).build();
    assertThatThrownBy(() -> none.apply(Specs.valid(), ApplyAction.CREATE))
        .isInstanceOf(KubitectException.class)
        .hasMessageContaining("no InfrastructureProvisioner is configured")
        .hasMessageContaining("kubitect-libvirt");
    Kubitect noInstaller =
        Kubitect.builder()
            .provisioner(new RecordingProvisioner())
            .loadBalancers((t, i, c, l) -> calls.add("lb"))
            .stateDirectory(state)
            .home(home)
            .build();
    assertThatThrownBy(() -> noInstaller.apply(Specs.valid(), ApplyAction.CREATE))
        .hasMessageContaining("no KubernetesInstaller is configured")
        .hasMessageContaining("withoutKubernetes()");
    Kubitect noLoadBalancers =
        Kubitect.builder()
            .provisioner(new RecordingProvisioner())
            .installer(new RecordingInstaller(Optional.empty()))
            .stateDirectory(state)
            .home(home)
            .build();
    assertThatThrownBy(() -> noLoadBalancers.apply(Specs.valid(), ApplyAction.CREATE))
        .hasMessageContaining("no LoadBalancerConfigurator is configured");
    assertThat(calls).isEmpty();
    assertThat(state)
        .satisfiesAnyOf(s -> assertThat(s).doesNotExist(), s -> assertThat(s).isEmptyDirectory());
  }

  @Test
  void phasesLeftOutOnPurposeAreReportedSkipped() {
    Kubitect vmsOnly =
        Kubitect.builder()
            .provisioner(new RecordingProvisioner())
            .withoutLoadBalancers()
            .withoutKubernetes()
            .stateDirectory(state)
            .home(home)
            .listener(recorder)
            .build();
    vmsOnly.apply(Specs.valid(), ApplyAction.CREATE);
    vmsOnly.close();
    assertThat(events)
        .contains(
            "end LOAD_BALANCERS skipped: composed withoutLoadBalancers()",
            "end KUBERNETES skipped: composed withoutKubernetes()");
    assertThat(calls).contains("provision 7");
  }

  @Test
  void destroyRemovesEverythingAndRefusesWithoutAProvisioner() {
    Kubitect kubitect = kubitect();
    kubitect.apply(Specs.valid(), ApplyAction.CREATE);

    Kubitect bare = Kubitect.builder().withoutExecutors().stateDirectory(state).home(home).build();
    assertThatThrownBy(() -> bare.destroy("k8s"))
        .hasMessageContaining("no provisioner is configured");
    assertThat(state.resolve("k8s")).exists();

    kubitect.destroy("k8s");
    assertThat(calls).contains("destroy k8s");
    assertThat(state.resolve("k8s")).doesNotExist();
    assertThat(kubitect.clusters()).isEmpty();
    assertThatThrownBy(() -> kubitect.destroy("k8s")).hasMessageContaining("does not exist");
  }

  @Test
  void aMissingToolRefusesTheApplyBeforeAnythingIsTouched() {
    KubernetesInstaller needsHelm =
        new KubernetesInstaller() {
          @Override
          public Optional<Path> install(Request request, StepListener listener) {
            calls.add("install " + request.action());
            return Optional.empty();
          }

          @Override
          public List<String> missingTools(Topology topology) {
            return List.of("addons.rook is enabled and needs helm, which is not on the PATH");
          }
        };
    Kubitect kubitect =
        Kubitect.builder()
            .provisioner(new RecordingProvisioner())
            .loadBalancers((t, i, c, l) -> calls.add("lb"))
            .installer(needsHelm)
            .stateDirectory(state)
            .home(home)
            .build();

    assertThatThrownBy(() -> kubitect.apply(Specs.valid(), ApplyAction.CREATE))
        .isInstanceOf(KubitectException.class)
        .hasMessage(
            "cannot apply cluster k8s: addons.rook is enabled and needs helm, which is not on the"
                + " PATH");
    Plan plan = kubitect.plan(Specs.valid(), ApplyAction.CREATE);
    assertThatThrownBy(() -> kubitect.apply(plan)).hasMessageContaining("needs helm");
    assertThat(calls).isEmpty();
    assertThat(state.resolve("k8s")).doesNotExist();

    // Without installer steps (nothing changed) nothing needs the tool.
    kubitect().apply(Specs.valid(), ApplyAction.CREATE);
    calls.clear();
    kubitect.apply(Specs.valid(), ApplyAction.CREATE);
    assertThat(calls).containsExactly("provision 7", "lb");
  }

  @Test
  void disablingRookWarnsThatItIsNotUninstalledAndRerunsOnlyTheAddons() {
    ClusterSpec withRook = Specs.rook(Specs.valid(), r -> r.withEnabled(true));
    kubitect().apply(withRook, ApplyAction.CREATE);

    Plan plan = kubitect().plan(Specs.valid(), ApplyAction.CREATE);

    assertThat(plan.warnings())
        .filteredOn(w -> w.path().equals("addons.rook.enabled"))
        .singleElement()
        .satisfies(w -> assertThat(w.message()).contains("does not uninstall"));
    assertThat(plan.installerSteps())
        .extracting(Plan.InstallerStep::action)
        .containsExactly(KubernetesInstaller.Action.ADDONS);
    calls.clear();
    kubitect().apply(plan);
    assertThat(calls).contains("install ADDONS " + plan.installerSteps().get(0).nodes());
    assertThat(kubitect().plan(withRook, ApplyAction.CREATE).warnings())
        .extracting(Violation::path)
        .doesNotContain("addons.rook.enabled");
  }

  @Test
  void thePlanCarriesTheValidatorsWarnings() {
    ClusterSpec spec =
        Specs.valid()
            .withAddons(
                Specs.valid()
                    .addons()
                    .withKubespray(java.util.Map.of("probe", "{{ lookup('pipe', 'id') }}")));

    Plan plan = kubitect().plan(spec, ApplyAction.CREATE);

    assertThat(plan.warnings()).extracting(Violation::path).contains("addons.kubespray.probe");
    assertThat(kubitect().plan(Specs.valid(), ApplyAction.CREATE).warnings()).isEmpty();
  }

  @Test
  void exportAndList() {
    Kubitect kubitect = kubitect();
    assertThat(kubitect.clusters()).isEmpty();
    kubitect.apply(Specs.valid(), ApplyAction.CREATE);
    assertThat(kubitect.clusters()).containsExactly("k8s");
    assertThat(kubitect.exportConfig("k8s")).contains("priority: 10").contains("mainDiskSize: 32");
    assertThat(kubitect.kubeconfig("k8s")).hasFileName("admin.conf");
    assertThatThrownBy(() -> kubitect.exportConfig("nope")).hasMessageContaining("nope");
  }

  @Test
  void exportConfigWritesKubitectsSchemaOrTheSdksOwnForm() throws Exception {
    Kubitect kubitect = kubitect();
    kubitect.apply(Specs.valid(), ApplyAction.CREATE);
    ClusterSpec applied = Specs.valid().resolveDefaults();

    String kubitectForm = kubitect.exportConfig("k8s");
    String sdkForm = kubitect.exportConfig("k8s", ConfigFormat.SDK);

    assertThat(kubitect.exportConfig("k8s", ConfigFormat.KUBITECT)).isEqualTo(kubitectForm);
    assertThat(kubitectForm)
        .startsWith("# Kubitect's current schema")
        .contains("# kubespray release pinned by the SDK: v2.29.0")
        .doesNotContain("\n  kubespray:");
    assertThat(KubitectYaml.read(kubitectForm, "k").resolveDefaults()).isEqualTo(applied);
    assertThat(sdkForm)
        .isEqualTo(Files.readString(state.resolve("k8s/config/kubitect-applied.yaml")))
        .contains("  kubespray:\n    url: https://github.com/kubernetes-sigs/kubespray");
    assertThat(KubitectYaml.read(sdkForm, "s")).isEqualTo(applied);
    assertThatThrownBy(() -> kubitect.exportConfig("../k8s", ConfigFormat.SDK))
        .hasMessageContaining("invalid cluster name");
  }

  @Test
  void anInterruptedThreadStopsBetweenPhases() {
    Kubitect kubitect = kubitect();
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> kubitect.apply(Specs.valid(), ApplyAction.CREATE))
          .isInstanceOfSatisfying(
              ApplyException.class,
              e -> {
                assertThat(e.failed()).isEqualTo(Phase.PROVISION);
                assertThat(e.cancelled()).isTrue();
                assertThat(e).hasMessageStartingWith("apply of cluster k8s cancelled in PROVISION");
              });
    } finally {
      Thread.interrupted();
    }
    assertThat(calls).isEmpty();
    kubitect.apply(Specs.valid(), ApplyAction.CREATE);
    assertThat(calls).hasSize(3);
  }

  @Test
  void discoveryFillsOnlyWhatWasNotSetExplicitly() {
    int before = DiscoveredProvisioner.APPLIES.get();
    try (Kubitect discovered =
        Kubitect.builder().withoutKubernetes().stateDirectory(state).home(home).build()) {
      discovered.apply(Specs.valid(), ApplyAction.CREATE);
    }
    assertThat(DiscoveredProvisioner.APPLIES.get()).isEqualTo(before + 1);

    Kubitect explicit =
        Kubitect.builder()
            .provisioner(new RecordingProvisioner())
            .discoverExecutors()
            // The recording provisioner is not simulated: configuring would reach the spec's hosts.
            .withoutLoadBalancers()
            .withoutKubernetes()
            .stateDirectory(state.resolve("other"))
            .home(home)
            .build();
    explicit.apply(Specs.valid(), ApplyAction.CREATE);
    assertThat(DiscoveredProvisioner.APPLIES.get()).isEqualTo(before + 1);
    assertThat(calls).contains("provision 7");
  }

  @Test
  void onSimulatedHostsTheExecutorsRenderInsteadOfReachingNodes() {
    LoadBalancerConfigurator lb =
        new LoadBalancerConfigurator() {
          @Override
          public void configure(
              Topology t, InfrastructureStatus i, ClusterCredentials c, StepListener l) {
            calls.add("lb configure");
          }

          @Override
          public String render(Topology t, InfrastructureStatus i, Path directory) {
            calls.add("lb render " + state.relativize(directory));
            return "rendered";
          }
        };
    KubernetesInstaller installer =
        new KubernetesInstaller() {
          @Override
          public Optional<Path> install(Request request, StepListener listener) {
            calls.add("install");
            return Optional.empty();
          }

          @Override
          public String render(Request request) {
            calls.add("render " + request.action());
            return "inventory written";
          }
        };
    Kubitect.builder()
        .provisioner(new DiscoveredProvisioner())
        .loadBalancers(lb)
        .installer(installer)
        .stateDirectory(state)
        .home(home)
        .listener(recorder)
        .build()
        .apply(Specs.valid(), ApplyAction.CREATE);

    assertThat(calls).containsExactly("lb render k8s/artifacts/load-balancers", "render CREATE");
    assertThat(events)
        .contains(
            "end LOAD_BALANCERS skipped on simulated hosts; rendered",
            "end KUBERNETES CREATE skipped on simulated hosts; inventory written");
  }
}
