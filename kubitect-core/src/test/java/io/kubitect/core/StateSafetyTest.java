package io.kubitect.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubitect.core.spi.ClusterCredentials;
import io.kubitect.core.spi.InfrastructureProvisioner;
import io.kubitect.core.spi.InfrastructureStatus;
import io.kubitect.core.spi.SshKeyPair;
import io.kubitect.core.spi.StepListener;
import io.kubitect.core.spi.Topology;
import io.kubitect.model.ClusterSpec;
import io.kubitect.model.KubitectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The state directory at its edges: names that would leave it, the recorded provisioning mode,
 * damaged files, files in the way, key files that are not keys, the umask, and the lock held for
 * the whole destroy. Each test reproduced a bug of the "safe at the edges" issue first.
 */
class StateSafetyTest {
  @TempDir Path root;
  @TempDir Path home;

  private final List<String> calls = Collections.synchronizedList(new ArrayList<>());

  private Path state() {
    return root.resolve("state");
  }

  /** Records calls; simulated or not as asked. */
  private class FakeProvisioner implements InfrastructureProvisioner {
    private final boolean simulated;

    FakeProvisioner(boolean simulated) {
      this.simulated = simulated;
    }

    @Override
    public boolean simulated() {
      return simulated;
    }

    @Override
    public InfrastructureStatus apply(
        Topology topology, ClusterCredentials credentials, StepListener listener) {
      calls.add("provision " + topology.clusterName());
      return Statuses.allCreated(topology, simulated);
    }

    @Override
    public void destroy(Topology topology, StepListener listener) {
      calls.add("destroy " + topology.clusterName() + " on " + topology.hosts().size() + " hosts");
      destroyedPools.add(
          topology.hostLayouts().stream()
              .flatMap(h -> h.dataPools().stream().map(p -> h.name() + "/" + p.name()))
              .toList()
              .toString());
    }

    @Override
    public void close() {}
  }

  /** The data pools each destroy was given, as host/pool. */
  private final List<String> destroyedPools = new ArrayList<>();

  private Kubitect kubitect(boolean simulated) {
    return Kubitect.builder()
        .provisioner(new FakeProvisioner(simulated))
        .withoutLoadBalancers()
        .withoutKubernetes()
        .stateDirectory(state())
        .home(home)
        .build();
  }

  private Path applied(String name) {
    return state().resolve(name).resolve("config/kubitect-applied.yaml");
  }

  // ------------------------------------------------------------------ names

  @ParameterizedTest
  @ValueSource(
      strings = {"", ".", "..", "../x", "/abs/path", "a/b", "x/../..", "K8S", "-x", "a\0b"})
  void namesThatAreNotClusterNamesAreRefusedAndTouchNothing(String name) throws Exception {
    Path victim = Files.createDirectories(root.resolve("x"));
    Files.writeString(victim.resolve("keep"), "precious");
    Kubitect kubitect = kubitect(true);
    kubitect.apply(Specs.valid(), ApplyAction.CREATE);

    assertThatThrownBy(() -> kubitect.destroy(name))
        .isInstanceOf(KubitectException.class)
        .hasMessageStartingWith("invalid cluster name")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    assertThatThrownBy(() -> kubitect.exportConfig(name))
        .hasMessageStartingWith("invalid cluster name");
    assertThatThrownBy(() -> kubitect.cluster(name)).hasMessageStartingWith("invalid cluster name");
    assertThatThrownBy(() -> kubitect.kubeconfig(name))
        .hasMessageStartingWith("invalid cluster name");

    assertThat(victim.resolve("keep")).hasContent("precious");
    assertThat(state().resolve("k8s/config/.ssh/id_ed25519")).exists();
    assertThat(calls).containsExactly("provision k8s");
  }

  @Test
  void aHugeNameIsRefusedInOneShortLine() {
    String name = "a".repeat(1_000_000);
    assertThatThrownBy(() -> kubitect(true).destroy(name))
        .hasMessageStartingWith("invalid cluster name")
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300));
  }

  // ------------------------------------------------------------------ recorded mode

  @Test
  void aSimulatedClusterIsNeverDestroyedOrReappliedOnRealHosts() {
    kubitect(true).apply(Specs.valid(), ApplyAction.CREATE);
    assertThat(state().resolve("k8s/config/provisioning")).content().contains("simulated=true");

    assertThatThrownBy(() -> kubitect(false).destroy("k8s"))
        .hasMessageContaining("provisioned on simulated hosts")
        .hasMessageContaining("its state is kept");
    assertThatThrownBy(() -> kubitect(false).apply(Specs.valid(), ApplyAction.CREATE))
        .hasMessageContaining("provisioned on simulated hosts");
    assertThat(calls).containsExactly("provision k8s");
    assertThat(state().resolve("k8s")).exists();

    kubitect(true).destroy("k8s");
    assertThat(calls).containsExactly("provision k8s", "destroy k8s on 3 hosts");
    assertThat(state().resolve("k8s")).doesNotExist();
  }

  @Test
  void aRealClusterIsNeverDestroyedBySimulatedHostsWhichWouldForgetItsKeys() {
    kubitect(false).apply(Specs.valid(), ApplyAction.CREATE);
    assertThat(state().resolve("k8s/config/provisioning"))
        .content()
        .contains("simulated=false", "hosts=h1 h2 h3");

    assertThatThrownBy(() -> kubitect(true).destroy("k8s"))
        .hasMessageContaining("provisioned on real hosts (h1, h2, h3)")
        .hasMessageContaining("its state is kept");
    assertThat(state().resolve("k8s/config/.ssh/id_ed25519")).exists();
    assertThat(kubitect(true).summary("k8s").provisioning())
        .contains(new ProvisioningRecord(false, List.of("h1", "h2", "h3")));
  }

  @Test
  void destroyHoldsTheLockUntilTheDirectoryIsGone() {
    kubitect(true).apply(Specs.valid(), ApplyAction.CREATE);
    AtomicReference<String> duringDestroy = new AtomicReference<>("not called");
    AtomicReference<Boolean> goneWhenReported = new AtomicReference<>(false);
    InfrastructureProvisioner provisioner =
        new FakeProvisioner(true) {
          @Override
          public void destroy(Topology topology, StepListener listener) {
            try {
              kubitect(true).apply(Specs.valid(), ApplyAction.CREATE);
              duringDestroy.set("an apply ran during the destroy");
            } catch (KubitectException e) {
              duringDestroy.set(e.getMessage());
            }
          }
        };
    KubitectListener listener =
        event -> {
          if (event instanceof KubitectEvent.PhaseFinished f && f.phase() == Phase.DESTROY) {
            goneWhenReported.set(Files.notExists(state().resolve("k8s")));
          }
        };

    Kubitect.builder()
        .provisioner(provisioner)
        .stateDirectory(state())
        .home(home)
        .listener(listener)
        .build()
        .destroy("k8s");

    assertThat(duringDestroy.get()).contains("is busy").contains("destroy by pid");
    assertThat(goneWhenReported.get()).isTrue();
    assertThat(state().resolve("k8s")).doesNotExist();
    assertThat(state()).isEmptyDirectory();
  }

  // ------------------------------------------------------------------ damaged state

  @ParameterizedTest
  @ValueSource(strings = {"", "cluster: [", "{{{", "hosts: 5\n", "\0\1\2"})
  void aDamagedAppliedConfigurationIsReportedListedAndStillDestroyable(String content)
      throws Exception {
    Kubitect kubitect = kubitect(true);
    kubitect.apply(Specs.valid(), ApplyAction.CREATE);
    kubitect.apply(Specs.cluster(Specs.valid(), c -> c.withName("zz")), ApplyAction.CREATE);
    Files.writeString(applied("k8s"), content);

    assertThatThrownBy(() -> kubitect.plan(Specs.valid(), ApplyAction.CREATE))
        .isInstanceOf(DamagedStateException.class)
        .hasMessageStartingWith("state of cluster k8s is damaged: config/kubitect-applied.yaml")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    assertThatThrownBy(() -> kubitect.exportConfig("k8s"))
        .isInstanceOf(DamagedStateException.class);

    List<ClusterSummary> summaries = kubitect.summaries();
    assertThat(summaries).extracting(ClusterSummary::name).containsExactly("k8s", "zz");
    assertThat(summaries.get(0).status()).isEqualTo(ClusterSummary.Status.DAMAGED);
    assertThat(summaries.get(0).problem().orElseThrow()).contains("kubitect-applied.yaml");
    assertThat(summaries.get(0).provisioning()).map(ProvisioningRecord::simulated).contains(true);
    assertThat(summaries.get(1).status()).isEqualTo(ClusterSummary.Status.APPLIED);

    // The desired specification saved before provisioning still says where the VMs are.
    kubitect.destroy("k8s");
    assertThat(calls).contains("destroy k8s on 3 hosts");
    assertThat(state().resolve("k8s")).doesNotExist();
  }

  @Test
  void whenNoSpecificationCanBeReadDestroyRefusesUnlessForced() throws Exception {
    Kubitect kubitect = kubitect(false);
    kubitect.apply(Specs.valid(), ApplyAction.CREATE);
    Files.writeString(applied("k8s"), "");
    Files.writeString(state().resolve("k8s/config/kubitect.yaml"), "nonsense: [");

    assertThatThrownBy(() -> kubitect.destroy("k8s"))
        .isInstanceOf(DamagedStateException.class)
        .hasMessageContaining("they may remain on real hosts (h1, h2, h3)")
        .hasMessageContaining("destroy with force");
    assertThat(state().resolve("k8s")).exists();

    kubitect.destroy("k8s", true);
    assertThat(state().resolve("k8s")).doesNotExist();
    assertThat(calls).containsExactly("provision k8s");
  }

  @Test
  void aFirstApplyInterruptedBeforeItSavedTheAppliedSpecIsStillDestroyedOnItsHosts()
      throws Exception {
    Kubitect kubitect = kubitect(true);
    kubitect.apply(Specs.valid(), ApplyAction.CREATE);
    Files.delete(applied("k8s"));

    kubitect.destroy("k8s");

    assertThat(calls).containsExactly("provision k8s", "destroy k8s on 3 hosts");
  }

  @Test
  void destroyReachesTheHostsOfTheDesiredAndTheAppliedSpecificationWhenTheyDiffer()
      throws Exception {
    Kubitect kubitect = kubitect(true);
    kubitect.apply(Specs.valid(), ApplyAction.CREATE);
    Path desired = state().resolve("k8s/config/kubitect.yaml");
    // A completed apply saves one text twice; destroy then reads it once.
    assertThat(Files.mismatch(desired, applied("k8s"))).isEqualTo(-1);

    // An interrupted apply that was moving a worker to a fourth host.
    ClusterSpec moved =
        Specs.worker(
            Specs.addHost(Specs.valid(), Specs.remoteHost("h4", "10.10.0.7")),
            1,
            w -> w.withHost("h4"));
    Files.writeString(desired, io.kubitect.model.KubitectYaml.write(moved.resolveDefaults()));

    kubitect.destroy("k8s");

    assertThat(calls).containsExactly("provision k8s", "destroy k8s on 4 hosts");
  }

  @Test
  void destroyReachesADataPoolThatAnInterruptedApplyWasRemoving() throws Exception {
    Kubitect kubitect = kubitect(true);
    kubitect.apply(Specs.valid(), ApplyAction.CREATE); // h2 has data-pool, worker 1 a disk there
    // the apply removing the pool (and the disk) was interrupted: only the applied spec has it
    ClusterSpec withoutPool =
        Specs.host(
            Specs.worker(Specs.valid(), 0, w -> w.withDataDisks(List.of())),
            1,
            h -> h.withDataResourcePools(List.of()));
    Path desired = state().resolve("k8s/config/kubitect.yaml");
    Files.writeString(desired, io.kubitect.model.KubitectYaml.write(withoutPool.resolveDefaults()));

    kubitect.destroy("k8s");

    assertThat(destroyedPools).containsExactly("[h2/data-pool, h3/data-pool]");
  }

  @Test
  void anEmptyOrBrokenKeyInTheStateIsReportedNotSentToNodes() throws Exception {
    Kubitect kubitect = kubitect(true);
    kubitect.apply(Specs.valid(), ApplyAction.CREATE);
    Path pub = state().resolve("k8s/config/.ssh/id_ed25519.pub");

    Files.writeString(pub, "");
    assertThatThrownBy(() -> kubitect.apply(Specs.valid(), ApplyAction.CREATE))
        .isInstanceOf(DamagedStateException.class)
        .hasMessage(
            "state of cluster k8s is damaged: config/.ssh/id_ed25519.pub is empty, not an SSH"
                + " public key");

    Files.writeString(pub, "ssh-ed25519 !!!notbase64");
    assertThatThrownBy(() -> kubitect.apply(Specs.valid(), ApplyAction.CREATE))
        .hasMessageContaining("not base64");
    assertThat(calls).containsExactly("provision k8s");
  }

  @Test
  void aCorruptNumberInTheRecordedInfrastructureIsOneLine() throws Exception {
    Kubitect kubitect = kubitect(true);
    kubitect.apply(Specs.valid(), ApplyAction.CREATE);
    Path tsv = state().resolve("k8s/config/infrastructure.tsv");
    Files.writeString(
        tsv,
        Files.readString(tsv).replaceFirst("mutatingCalls=\\d+", "mutatingCalls=99999999999999"));

    assertThatThrownBy(() -> kubitect.cluster("k8s"))
        .isInstanceOf(DamagedStateException.class)
        .hasMessage(
            "state of cluster k8s is damaged: config/infrastructure.tsv line 1: mutatingCalls is"
                + " not a number");
    assertThat(kubitect.summary("k8s").status()).isEqualTo(ClusterSummary.Status.DAMAGED);
  }

  // ------------------------------------------------------------------ files in the way

  @Test
  void aStateDirectoryThatIsAFileIsOneLine() throws Exception {
    Files.writeString(state(), "not a directory");
    Kubitect kubitect = kubitect(true);

    assertThatThrownBy(() -> kubitect.apply(Specs.valid(), ApplyAction.CREATE))
        .isExactlyInstanceOf(KubitectException.class)
        .hasMessageContaining(state().toString())
        .hasMessageContaining("a file of that name is in the way");
    assertThatThrownBy(kubitect::clusters).hasMessageContaining("is not a directory");
  }

  @Test
  void aReadOnlyStateDirectoryIsOneLine() throws Exception {
    // Root ignores permission bits; the immutable attribute stops root too.
    Path readOnly = Files.createDirectories(state());
    Process chattr = new ProcessBuilder("chattr", "+i", readOnly.toString()).start();
    boolean immutable = chattr.waitFor() == 0;
    org.junit.jupiter.api.Assumptions.assumeTrue(
        immutable || System.getenv("CI") != null,
        "chattr +i is not supported on this file system; CI runs this test");
    assertThat(immutable).as("chattr +i " + readOnly).isTrue();
    try {
      assertThatThrownBy(() -> kubitect(true).apply(Specs.valid(), ApplyAction.CREATE))
          .isExactlyInstanceOf(KubitectException.class)
          .hasMessage(
              "cannot create the directory "
                  + state().resolve("k8s")
                  + ": operation not permitted");
    } finally {
      new ProcessBuilder("chattr", "-i", readOnly.toString()).start().waitFor();
    }
  }

  @Test
  void aDirectoryWhereTheLockFileShouldBeIsOneLine() throws Exception {
    Files.createDirectories(state().resolve("k8s/lock"));

    assertThatThrownBy(() -> kubitect(true).apply(Specs.valid(), ApplyAction.CREATE))
        .isExactlyInstanceOf(KubitectException.class)
        .hasMessage(
            "cannot open the lock file " + state().resolve("k8s/lock") + ": is a directory");
  }

  @Test
  void aClusterDirectoryThatIsASymbolicLinkIsNeverFollowed() throws Exception {
    Path elsewhere = Files.createDirectories(root.resolve("elsewhere"));
    Files.writeString(elsewhere.resolve("keep"), "precious");
    Files.createDirectories(state());
    Files.createSymbolicLink(state().resolve("k8s"), elsewhere);

    assertThatThrownBy(() -> kubitect(true).destroy("k8s"))
        .isInstanceOf(DamagedStateException.class)
        .hasMessageContaining("is a symbolic link");
    assertThatThrownBy(() -> kubitect(true).apply(Specs.valid(), ApplyAction.CREATE))
        .hasMessageContaining("is a symbolic link");
    assertThat(elsewhere.resolve("keep")).hasContent("precious");
    assertThat(kubitect(true).clusters()).isEmpty();
  }

  @Test
  void keyDirectoriesAreOwnerOnlyWhateverTheUmask() throws Exception {
    kubitect(true).apply(Specs.valid(), ApplyAction.CREATE);
    for (String dir :
        List.of("k8s", "k8s/config", "k8s/config/.ssh", "k8s/config/.ssh/host-keys")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state().resolve(dir))))
          .as(dir)
          .isEqualTo("rwx------");
    }
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(state().resolve("k8s/config/.ssh/id_ed25519"))))
        .isEqualTo("rw-------");
  }

  // ------------------------------------------------------------------ key files

  @Test
  void aPrivateKeyPathThatIsNotAKeyIsRefusedBeforeAnythingIsCopied() throws Exception {
    Path shadow = home.resolve("shadow");
    Files.writeString(shadow, "root:$6$secret:19000:0:99999:7:::\n");
    Files.writeString(home.resolve("shadow.pub"), "root:x:0:0\n");
    ClusterSpec spec =
        Specs.template(
            Specs.valid(), t -> t.withSsh(t.ssh().withPrivateKeyPath(shadow.toString())));

    assertThat(Preflight.check(spec, home).errors())
        .extracting(Violation::message)
        .anySatisfy(m -> assertThat(m).contains("is not an SSH private key"));
    assertThatThrownBy(() -> kubitect(true).apply(spec, ApplyAction.CREATE))
        .isExactlyInstanceOf(KubitectException.class)
        .hasMessageContaining("cluster.nodeTemplate.ssh.privateKeyPath")
        .hasMessageContaining("is not an SSH private key");
    assertThat(state().resolve("k8s/config/.ssh/id_ed25519")).doesNotExist();
    assertThat(calls).isEmpty();
  }

  @Test
  void specialFilesAsKeysAreRefusedWithoutReadingThem() {
    ClusterSpec spec =
        Specs.template(Specs.valid(), t -> t.withSsh(t.ssh().withPrivateKeyPath("/dev/zero")));

    assertThatThrownBy(() -> kubitect(true).apply(spec, ApplyAction.CREATE))
        .hasMessageContaining("/dev/zero is not a regular file");
  }

  @Test
  void aRealKeyPairIsCopied() throws Exception {
    SshKeyPair pair = SshKeyPair.generateEd25519("me@there");
    Path key = home.resolve("id_test");
    Files.writeString(key, pair.privateKey(), StandardCharsets.UTF_8);
    Files.writeString(home.resolve("id_test.pub"), pair.publicKey() + "\n");
    ClusterSpec spec =
        Specs.template(Specs.valid(), t -> t.withSsh(t.ssh().withPrivateKeyPath("~/id_test")));

    kubitect(true).apply(spec, ApplyAction.CREATE);

    assertThat(state().resolve("k8s/config/.ssh/id_ed25519")).hasContent(pair.privateKey());
  }
}
