package io.kubitect.kubespray.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubitect.core.spi.ClusterCredentials;
import io.kubitect.core.spi.InstallationException;
import io.kubitect.core.spi.KubernetesInstaller;
import io.kubitect.core.spi.Topology;
import io.kubitect.kubespray.K3sInstaller;
import io.kubitect.kubespray.KubesprayInstaller;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The Rook addon through the installers' own entry point with the stand-in helm of {@code
 * lab/helm-standin}, which checks the calls and values and records them. The addon runs on this
 * machine with the cluster's kubeconfig, so no Ansible and no node are needed: {@code ADDONS} is
 * what the planner asks for when only {@code addons.rook} changed, and what CREATE, UPGRADE and
 * SCALE_UP run after their playbooks.
 */
class RookAddonIT {
  private static final Path STANDIN = TestSpecs.repositoryRoot().resolve("lab/helm-standin/helm");

  @TempDir Path work;
  private Path record;

  @BeforeEach
  void setUp() throws IOException {
    Requirements.requireCommand("python3");
    Requirements.require(
        new ProcessBuilder("python3", "-c", "import yaml")
                .inheritIO()
                .start()
                .onExit()
                .join()
                .exitValue()
            == 0,
        "python3-yaml is not installed");
    Files.createDirectories(work.resolve("config"));
    Files.writeString(
        work.resolve("config/admin.conf"),
        "apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n");
    record = work.resolve("helm-calls.jsonl");
  }

  /** The stand-in, wrapped so that it records into this test's file (env set by a shell). */
  private Path helm(String extraEnv) throws IOException {
    Path wrapper = work.resolve("helm-wrapper-" + Integer.toHexString(extraEnv.hashCode()));
    Files.writeString(
        wrapper,
        "#!/bin/sh\nexport HELM_STANDIN_RECORD='"
            + record
            + "'\n"
            + extraEnv
            + "\nexec '"
            + STANDIN
            + "' \"$@\"\n");
    wrapper.toFile().setExecutable(true);
    return wrapper;
  }

  private KubernetesInstaller installer(String manager, Path helm) {
    return manager.equals("k3s")
        ? K3sInstaller.builder().cacheDirectory(work.resolve("cache")).helm(helm).build()
        : KubesprayInstaller.builder().cacheDirectory(work.resolve("cache")).helm(helm).build();
  }

  private static Topology topology(String manager, Map<String, String> selector, boolean on) {
    Topology base = TestSpecs.topology("rook-selector.yaml");
    var spec = base.spec();
    if (manager.equals("k3s")) {
      spec =
          spec.withKubernetes(
              spec.kubernetes().withManager(io.kubitect.model.KubernetesManager.K3S));
    }
    return RookPlanTest.with(spec, r -> r.withNodeSelector(selector).withEnabled(on));
  }

  private KubernetesInstaller.Request addons(Topology topology) {
    return new KubernetesInstaller.Request(
        KubernetesInstaller.Action.ADDONS,
        topology,
        TestSpecs.infrastructure(topology, Map.of()),
        new ClusterCredentials(work.resolve("id"), "", Map.of(), work.resolve("known_hosts")),
        List.of(),
        work);
  }

  /** One recorded call: its arguments, kubeconfig and values files (JSON lines, read as YAML). */
  record Call(List<String> args, String kubeconfig, Map<String, String> values) {
    String line() {
      return String.join(" ", args);
    }
  }

  @SuppressWarnings("unchecked")
  private List<Call> calls() throws IOException {
    List<Call> calls = new ArrayList<>();
    if (Files.exists(record)) {
      Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
      for (String line : Files.readAllLines(record)) {
        Map<String, Object> call = yaml.load(line);
        calls.add(
            new Call(
                (List<String>) java.util.Objects.requireNonNull(call.get("args")),
                String.valueOf(call.get("kubeconfig")),
                (Map<String, String>) java.util.Objects.requireNonNull(call.get("values"))));
      }
    }
    return calls;
  }

  @ParameterizedTest
  @ValueSource(strings = {"kubespray", "k3s"})
  void installsBothReleasesThenFollowsASelectorChange(String manager) throws IOException {
    KubernetesInstaller installer = installer(manager, helm(""));
    RecordingListener listener = new RecordingListener();

    assertThat(installer.install(addons(topology(manager, Map.of("zone", "a"), true)), listener))
        .isEmpty();

    Path operatorValues = work.resolve("config/helm/rook-operator-values.yaml");
    Path clusterValues = work.resolve("config/helm/rook-cluster-values.yaml");
    List<Call> calls = calls();
    assertThat(calls).hasSize(3);
    assertThat(calls.get(0).line())
        .startsWith("repo add rook-release https://charts.rook.io/release");
    assertThat(calls.get(1).line())
        .startsWith(
            "upgrade --install rook-operator rook-release/rook-ceph --namespace rook-ceph"
                + " --create-namespace --version v1.13.4 --wait --values "
                + operatorValues);
    assertThat(calls.get(2).line())
        .startsWith(
            "upgrade --install rook-ceph-cluster rook-release/rook-ceph-cluster --namespace"
                + " rook-ceph --create-namespace --version v1.13.4 --values "
                + clusterValues);
    for (Call call : calls) {
      assertThat(call.kubeconfig()).isEqualTo(work.resolve("config/admin.conf").toString());
    }
    // Workers 1, 2 and 3 are in zone a; 1 and 2 have disks.
    assertThat(calls.get(2).values().get(clusterValues.toString()))
        .contains("# osd-nodes: rook-worker-1,rook-worker-2\n", "count: 3\n");
    assertThat(listener.events())
        .anyMatch(e -> e.startsWith("finished kubernetes: render Rook values"))
        .anyMatch(
            e -> e.startsWith("finished kubernetes: helm upgrade --install rook-ceph-cluster"));
    // Helm's repositories are the cluster's, not the user's.
    assertThat(work.resolve("helm/config/repositories.yaml")).exists();

    // Only the selector changes: the addon reruns with values for the new nodes.
    installer.install(
        addons(topology(manager, Map.of("zone", "b"), true)), new RecordingListener());

    calls = calls();
    assertThat(calls).hasSize(6);
    assertThat(calls.get(5).values().get(clusterValues.toString()))
        .contains("# rook-nodes: rook-worker-4\n# osd-nodes: rook-worker-4\n", "- \"b\"");
    assertThat(Files.readString(operatorValues)).contains("provisionerNodeAffinity: \"zone=b\"");
  }

  @Test
  void disabledRookCallsNoHelmAndSaysItIsNotUninstalled() throws IOException {
    RecordingListener listener = new RecordingListener();

    installer("kubespray", helm(""))
        .install(addons(topology("kubespray", Map.of(), false)), listener);

    assertThat(calls()).isEmpty();
    assertThat(listener.events()).hasSize(2);
    assertThat(listener.events().get(1))
        .startsWith("finished kubernetes: Rook addon")
        .contains("addons.rook is not enabled", "does not uninstall it");
  }

  @Test
  void noOsdNodeSkipsWithTheReason() throws IOException {
    RecordingListener listener = new RecordingListener();

    installer("kubespray", helm(""))
        .install(addons(topology("kubespray", Map.of("zone", "nowhere"), true)), listener);

    assertThat(calls()).isEmpty();
    assertThat(listener.events())
        .anyMatch(e -> e.contains("Rook skipped: no worker matches addons.rook.nodeSelector"));
  }

  @Test
  void aFailingReleaseIsAnErrorWithHelmsOutput() throws IOException {
    KubernetesInstaller installer =
        installer("kubespray", helm("export HELM_STANDIN_FAIL=rook-ceph-cluster"));

    assertThatThrownBy(
            () ->
                installer.install(
                    addons(topology("kubespray", Map.of(), true)), new RecordingListener()))
        .isInstanceOf(InstallationException.class)
        .hasMessageStartingWith("helm cluster failed with exit code 1: Error: release")
        .satisfies(
            e ->
                assertThat(((InstallationException) e).logTail())
                    .contains("stand-in told to fail"));
  }

  @Test
  void aMissingHelmIsOneLineSayingHowToProvideIt() {
    KubernetesInstaller installer = installer("kubespray", work.resolve("no/such/helm"));

    assertThat(installer.missingTools(topology("kubespray", Map.of(), true)))
        .singleElement()
        .asString()
        .contains("addons.rook is enabled and needs helm", "no/such/helm")
        .doesNotContain("\n");
    assertThat(installer.missingTools(topology("kubespray", Map.of(), false))).isEmpty();
    assertThatThrownBy(
            () ->
                installer.install(
                    addons(topology("kubespray", Map.of(), true)), new RecordingListener()))
        .isInstanceOf(InstallationException.class)
        .hasMessageContaining("needs helm");
  }

  @Test
  void cancellingKillsHelmAndItsChildrenAndTheNextRunConverges() throws Exception {
    Path pids = work.resolve("hang.pids");
    KubernetesInstaller hanging = installer("k3s", helm("export HELM_STANDIN_HANG='" + pids + "'"));
    Topology topology = topology("k3s", Map.of(), true);
    AtomicReference<Throwable> error = new AtomicReference<>();
    Thread apply =
        new Thread(
            () -> {
              try {
                hanging.install(addons(topology), new RecordingListener());
              } catch (Throwable t) {
                error.set(t);
              }
            });
    apply.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!Files.exists(pids) || Files.readString(pids).isBlank()) {
      assertThat(System.nanoTime()).as("helm never started its child").isLessThan(deadline);
      Thread.sleep(20);
    }
    String[] both = Files.readString(pids).trim().split(" ", -1);
    ProcessHandle helmProcess = ProcessHandle.of(Long.parseLong(both[0])).orElseThrow();
    ProcessHandle child = ProcessHandle.of(Long.parseLong(both[1])).orElseThrow();

    apply.interrupt();
    apply.join(Duration.ofSeconds(20).toMillis());

    assertThat(apply.isAlive()).isFalse();
    assertThat(error.get())
        .isInstanceOf(InstallationException.class)
        .hasMessageStartingWith("helm operator was cancelled");
    assertThat(helmProcess.isAlive()).isFalse();
    assertThat(child.isAlive()).as("the stand-in's child sleep").isFalse();

    installer("k3s", helm("")).install(addons(topology), new RecordingListener());
    List<String> after = calls().stream().skip(2).map(Call::line).toList();
    assertThat(after).hasSize(3);
    assertThat(after.get(2)).startsWith("upgrade --install rook-ceph-cluster");
  }

  @Test
  void simulatedHostsGetTheValuesRendered() {
    Topology topology = topology("kubespray", Map.of("zone", "a"), true);
    String rendered = installer("kubespray", work.resolve("unused")).render(addons(topology));

    assertThat(rendered).contains("Rook values in " + work.resolve("config/helm"));
    assertThat(work.resolve("config/helm/rook-cluster-values.yaml")).exists();
    assertThat(Optional.of(record).filter(Files::exists)).isEmpty();
  }
}
