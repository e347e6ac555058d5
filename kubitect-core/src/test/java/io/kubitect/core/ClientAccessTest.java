package io.kubitect.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kubitect.core.spi.ClusterCredentials;
import io.kubitect.core.spi.InfrastructureProvisioner;
import io.kubitect.core.spi.InfrastructureStatus;
import io.kubitect.core.spi.KubernetesInstaller;
import io.kubitect.core.spi.StepListener;
import io.kubitect.core.spi.Topology;
import io.kubitect.model.ClusterSpec;
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
 * The user's kubeconfig and known_hosts after an apply ({@code mergeKubeconfig}, {@code
 * addToKnownHosts}) and after a destroy, with the user's own entries kept and hostile files left
 * alone.
 */
class ClientAccessTest {
  @TempDir Path state;
  @TempDir Path home;

  private final List<KubitectEvent> events = Collections.synchronizedList(new ArrayList<>());

  private static final String OTHER_HOST =
      "github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";

  /** A provisioner on real hosts: the nodes at their configured addresses. */
  private static final class RealHosts implements InfrastructureProvisioner {
    private final boolean simulated;

    RealHosts(boolean simulated) {
      this.simulated = simulated;
    }

    @Override
    public InfrastructureStatus apply(
        Topology topology, ClusterCredentials credentials, StepListener listener) {
      return Statuses.allCreated(topology, simulated);
    }

    @Override
    public void destroy(Topology topology, StepListener listener) {}

    @Override
    public boolean simulated() {
      return simulated;
    }

    @Override
    public void close() {}
  }

  /** Leaves the kubeconfig the real installer would: every name is the cluster's. */
  private static final class Installer implements KubernetesInstaller {
    @Override
    public Optional<Path> install(Request request, StepListener listener) {
      Path kubeconfig = request.workDirectory().resolve("fetched.conf");
      ClusterDirectory.write(kubeconfig, UserKubeconfigTest.CLUSTER, true);
      return Optional.of(kubeconfig);
    }
  }

  private Kubitect kubitect(boolean simulated) {
    return Kubitect.builder()
        .provisioner(new RealHosts(simulated))
        .withoutLoadBalancers()
        .installer(new Installer())
        .stateDirectory(state)
        .home(home)
        .listener(events::add)
        .build();
  }

  private static ClusterSpec spec(boolean merge, boolean knownHosts) {
    ClusterSpec spec =
        Specs.template(Specs.valid(), t -> t.withSsh(t.ssh().withAddToKnownHosts(knownHosts)));
    return Specs.kubernetes(spec, k -> k.withOther(k.other().withMergeKubeconfig(merge)));
  }

  private Path kubeconfig() {
    return home.resolve(".kube/config");
  }

  private Path knownHosts() {
    return home.resolve(".ssh/known_hosts");
  }

  private List<String> nodeLines() throws Exception {
    return Files.readAllLines(state.resolve("k8s/config/known_hosts"));
  }

  private List<KubitectEvent.Warning> warnings() {
    return events.stream()
        .filter(KubitectEvent.Warning.class::isInstance)
        .map(KubitectEvent.Warning.class::cast)
        .toList();
  }

  private List<KubitectEvent.StepFinished> steps(Phase phase) {
    return events.stream()
        .filter(KubitectEvent.StepFinished.class::isInstance)
        .map(KubitectEvent.StepFinished.class::cast)
        .filter(e -> e.step().phase() == phase)
        .toList();
  }

  @Test
  void applyMergesAndAddsKeepingTheUsersEntriesAndDestroyTakesOutOnlyTheClusters()
      throws Exception {
    Files.createDirectories(kubeconfig().getParent());
    Files.writeString(kubeconfig(), UserKubeconfigTest.USER);
    Files.createDirectories(knownHosts().getParent());
    String stale = "10.10.13.10 ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7";
    Files.writeString(knownHosts(), "# mine\n" + OTHER_HOST + "\n" + stale + "\n");
    Kubitect kubitect = kubitect(false);

    kubitect.apply(spec(true, true), ApplyAction.CREATE);

    JsonNode merged = new YAMLMapper().readTree(kubeconfig().toFile());
    assertThat(merged.path("contexts").findValuesAsText("name")).containsExactly("prod", "k8s");
    assertThat(merged.path("current-context").asText()).isEqualTo("prod");
    assertThat(Files.readAllLines(knownHosts()))
        .startsWith("# mine", OTHER_HOST)
        .doesNotContain(stale)
        .containsAll(nodeLines())
        .hasSize(2 + 7);
    assertThat(nodeLines()).hasSize(7).allMatch(UserKnownHosts::isEntry);
    for (String line : List.of(nodeLines().get(0), nodeLines().get(6))) {
      assertOpenSshFinds(UserKnownHosts.address(line), line.substring(line.indexOf(' ') + 1));
    }
    for (Path file : List.of(kubeconfig(), knownHosts())) {
      assertThat(Files.getPosixFilePermissions(file))
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }
    assertThat(warnings()).isEmpty();
    assertThat(steps(Phase.KUBECONFIG))
        .extracting(KubitectEvent.StepFinished::outcome)
        .containsExactly(StepOutcome.DONE, StepOutcome.DONE);
    assertThat(events)
        .filteredOn(KubitectEvent.PhaseFinished.class::isInstance)
        .map(e -> ((KubitectEvent.PhaseFinished) e).phase())
        .containsSubsequence(Phase.KUBERNETES, Phase.KUBECONFIG, Phase.STATE);

    // Again: nothing to change, nothing written.
    String kubeconfigBefore = Files.readString(kubeconfig());
    String knownHostsBefore = Files.readString(knownHosts());
    events.clear();
    kubitect.apply(spec(true, true), ApplyAction.CREATE);
    assertThat(kubeconfig()).hasContent(kubeconfigBefore.strip());
    assertThat(knownHosts()).hasContent(knownHostsBefore.strip());
    assertThat(steps(Phase.KUBECONFIG))
        .extracting(KubitectEvent.StepFinished::detail)
        .anyMatch(d -> d.startsWith("already merged"))
        .anyMatch(d -> d.contains("already in"));

    kubitect.destroy("k8s");

    JsonNode left = new YAMLMapper().readTree(kubeconfig().toFile());
    assertThat(left.path("contexts").findValuesAsText("name")).containsExactly("prod");
    assertThat(left.path("clusters").findValuesAsText("name")).containsExactly("prod");
    assertThat(left.path("users").findValuesAsText("name")).containsExactly("admin");
    assertThat(Files.readAllLines(knownHosts())).containsExactly("# mine", OTHER_HOST);
    assertThat(steps(Phase.DESTROY))
        .extracting(KubitectEvent.StepFinished::detail)
        .contains(
            "removed the cluster's entries from " + kubeconfig(),
            "removed the nodes' host keys from " + knownHosts());
  }

  /** OpenSSH's own lookup ({@code ssh-keygen -F}) finds the key for the address in the file. */
  private void assertOpenSshFinds(String address, String key) throws Exception {
    Path sshKeygen = Path.of("/usr/bin/ssh-keygen");
    if (!Files.isExecutable(sshKeygen)) {
      org.junit.jupiter.api.Assumptions.assumeTrue(
          System.getenv("CI") != null,
          "ssh-keygen reads the file (apt-get install openssh-client)");
    }
    Process lookup =
        new ProcessBuilder(sshKeygen.toString(), "-F", address, "-f", knownHosts().toString())
            .redirectErrorStream(true)
            .start();
    String out =
        new String(lookup.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(lookup.waitFor()).as(out).isZero();
    assertThat(out).contains(address + " " + key);
  }

  @Test
  void missingFilesAreCreatedAndTurningTheSettingsOffTakesTheEntriesOut() throws Exception {
    Kubitect kubitect = kubitect(false);
    kubitect.apply(spec(true, true), ApplyAction.CREATE);
    assertThat(knownHosts()).exists();
    JsonNode merged = new YAMLMapper().readTree(kubeconfig().toFile());
    assertThat(merged.path("current-context").asText()).isEqualTo("k8s");
    assertThat(Files.getPosixFilePermissions(home.resolve(".ssh")))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));

    kubitect.apply(spec(false, false), ApplyAction.CREATE);

    JsonNode left = new YAMLMapper().readTree(kubeconfig().toFile());
    assertThat(left.path("contexts")).isEmpty();
    assertThat(left.path("current-context").asText()).isEmpty();
    assertThat(knownHosts()).isEmptyFile();
    assertThat(state.resolve("k8s/config/user-kubeconfig")).doesNotExist();
    assertThat(state.resolve("k8s/config/user-known-hosts")).doesNotExist();

    // Nothing recorded, nothing to do: no phase at all.
    events.clear();
    kubitect.apply(spec(false, false), ApplyAction.CREATE);
    assertThat(events)
        .filteredOn(KubitectEvent.PhaseStarted.class::isInstance)
        .noneMatch(e -> ((KubitectEvent.PhaseStarted) e).phase() == Phase.KUBECONFIG);
  }

  @Test
  void aCorruptKubeconfigAndALinkedKnownHostsAreLeftAloneWithAWarning() throws Exception {
    Files.createDirectories(kubeconfig().getParent());
    String corrupt = "apiVersion: v1\nclusters: [\n  broken";
    Files.writeString(kubeconfig(), corrupt);
    Files.createDirectories(knownHosts().getParent());
    Path real = Files.writeString(home.resolve("real_known_hosts"), OTHER_HOST + "\n");
    Files.createSymbolicLink(knownHosts(), real);

    AppliedCluster cluster = kubitect(false).apply(spec(true, true), ApplyAction.CREATE);

    assertThat(cluster.nodes()).hasSize(7);
    assertThat(kubeconfig()).hasContent(corrupt);
    assertThat(Files.isSymbolicLink(knownHosts())).isTrue();
    assertThat(real).hasContent(OTHER_HOST);
    assertThat(warnings())
        .extracting(KubitectEvent.Warning::message)
        .hasSize(2)
        .allSatisfy(m -> assertThat(m).doesNotContain("\n"))
        .anySatisfy(m -> assertThat(m).startsWith(kubeconfig() + " cannot be parsed as YAML"))
        .anySatisfy(m -> assertThat(m).contains("is a symbolic link"));
    assertThat(steps(Phase.KUBECONFIG))
        .extracting(KubitectEvent.StepFinished::outcome)
        .containsExactly(StepOutcome.SKIPPED, StepOutcome.SKIPPED);
    // Nothing was merged, so destroy has nothing to take out of the kubeconfig.
    assertThat(state.resolve("k8s/config/user-kubeconfig")).doesNotExist();
  }

  @Test
  void onSimulatedHostsNothingReachesTheHome() throws Exception {
    kubitect(true).apply(spec(true, true), ApplyAction.CREATE);

    try (var files = Files.list(home)) {
      assertThat(files).isEmpty();
    }
    assertThat(events)
        .filteredOn(KubitectEvent.PhaseFinished.class::isInstance)
        .map(KubitectEvent.PhaseFinished.class::cast)
        .filteredOn(e -> e.phase() == Phase.KUBECONFIG)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.outcome()).isEqualTo(StepOutcome.SKIPPED);
              assertThat(e.detail()).contains("simulated hosts");
            });
    assertThat(warnings()).isEmpty();
  }
}
