package io.kubitect.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubitect.core.AppliedCluster;
import io.kubitect.core.ApplyAction;
import io.kubitect.core.Kubitect;
import io.kubitect.core.KubitectEvent;
import io.kubitect.core.Phase;
import io.kubitect.model.ClusterSpec;
import io.kubitect.model.NodeInstance;
import io.kubitect.model.NodeSsh;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The extension as a test class uses it: scenario classes (static nested, so surefire leaves them
 * alone) run through the launcher, and the outer tests check what became of them and of their
 * temporary directories.
 */
class KubitectExtensionTest {
  /** What scenarios saw, by name: Kubitect instances, cluster directories, ... */
  static final Map<String, Object> SEEN = new ConcurrentHashMap<>();

  /** Where the builder scenarios keep their temporary directories (under target/). */
  static final Path SCRATCH = Path.of("target", "kubitect-extension-test").toAbsolutePath();

  @BeforeEach
  void forget() throws IOException {
    SEEN.clear();
    Fixture.deleteTree(SCRATCH);
  }

  /** The fixture's temporary directory, from a cluster directory {@code ROOT/state/CLUSTER}. */
  static Path root(String seenKey) {
    Path dir = (Path) seen(seenKey);
    return Objects.requireNonNull(Objects.requireNonNull(dir.getParent()).getParent());
  }

  /** What a scenario saw under {@code key}; fails when it saw nothing. */
  static Object seen(String key) {
    Object value = SEEN.get(key);
    if (value == null) {
      throw new AssertionError("the scenario recorded no " + key + "; it saw " + SEEN.keySet());
    }
    return value;
  }

  static void assertEmptyOrAbsent(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> left = Files.list(dir)) {
        assertThat(left.toList()).as("left in " + dir).isEmpty();
      }
    }
  }

  // ------------------------------------------------------------------ PER_TEST

  @KubitectTest(spec = SpecFixtures.SINGLE_NODE, checkEventPairing = true)
  static class PerTest {
    @Test
    void first(
        Kubitect kubitect,
        AppliedCluster cluster,
        @ClusterDirectory Path dir,
        ClusterSpec spec,
        RecordingListener events) {
      check("first", kubitect, cluster, dir, spec, events);
    }

    @Test
    void second(
        Kubitect kubitect,
        AppliedCluster cluster,
        @ClusterDirectory Path dir,
        ClusterSpec spec,
        RecordingListener events) {
      check("second", kubitect, cluster, dir, spec, events);
    }

    private static void check(
        String name,
        Kubitect kubitect,
        AppliedCluster cluster,
        Path dir,
        ClusterSpec spec,
        RecordingListener events) {
      SEEN.put(name + ".kubitect", kubitect);
      SEEN.put(name + ".dir", dir);
      assertThat(cluster.name()).isEqualTo("single-node");
      assertThat(cluster.simulated()).isTrue();
      assertThat(cluster.nodes()).hasSize(1);
      assertThat(cluster.stateDirectory()).isEqualTo(dir);
      assertThat(dir.resolve("config/kubitect-applied.yaml")).exists();
      assertThat(spec).isEqualTo(SpecFixtures.singleNode());
      assertThat(kubitect.clusters()).containsExactly("single-node");
      assertThat(events.events(KubitectEvent.PhaseFinished.class))
          .extracting(KubitectEvent.PhaseFinished::phase)
          .contains(Phase.PROVISION, Phase.STATE);
      assertThat(events.pairingProblems()).isEmpty();
      // The fixture's own home and state, in the temporary directory; never the user's home.
      Path root = Objects.requireNonNull(Objects.requireNonNull(dir.getParent()).getParent());
      assertThat(root.getFileName().toString()).startsWith("kubitect-test-");
      assertThat(root.resolve("home")).isDirectory();
      assertThat(root).startsWith(Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath());
    }
  }

  @Test
  void perTestGivesEachTestItsOwnClusterAndLeavesNothingBehind() {
    List<Scenarios.Outcome> outcomes = Scenarios.run(PerTest.class);

    assertThat(Scenarios.of(outcomes, "first(").message()).isEmpty();
    assertThat(Scenarios.of(outcomes, "first(").succeeded()).isTrue();
    assertThat(Scenarios.of(outcomes, "second(").succeeded()).isTrue();
    assertThat(seen("first.kubitect")).isNotSameAs(seen("second.kubitect"));
    assertThat(root("first.dir")).isNotEqualTo(root("second.dir"));
    assertThat(root("first.dir")).doesNotExist();
    assertThat(root("second.dir")).doesNotExist();
  }

  // ------------------------------------------------------------------ PER_CLASS

  @KubitectTest(
      spec = SpecFixtures.MULTI_HOST,
      lifecycle = KubitectExtension.Lifecycle.PER_CLASS,
      checkEventPairing = true)
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class PerClass {
    @BeforeAll
    static void before(Kubitect kubitect, AppliedCluster cluster) {
      SEEN.put("beforeAll.kubitect", kubitect);
      SEEN.put("beforeAll.nodes", cluster.nodes().size());
    }

    @Test
    @Order(1)
    void scalesOut(Kubitect kubitect, ClusterSpec spec, @ClusterDirectory Path dir) {
      SEEN.put("scalesOut.kubitect", kubitect);
      SEEN.put("dir", dir);
      AppliedCluster bigger =
          kubitect.apply(
              spec.withWorker(
                  NodeInstance.builder().id("3").host("host1").ip("10.20.0.103").build()),
              ApplyAction.SCALE);
      assertThat(bigger.nodes()).hasSize(4);
    }

    @Test
    @Order(2)
    void seesTheScaledCluster(Kubitect kubitect, AppliedCluster cluster) {
      SEEN.put("seesTheScaledCluster.kubitect", kubitect);
      assertThat(cluster.nodes()).hasSize(4);
    }

    @Nested
    class Inner {
      @Test
      void sharesTheClassCluster(Kubitect kubitect, AppliedCluster cluster) {
        SEEN.put("inner.kubitect", kubitect);
        assertThat(cluster.nodes()).hasSize(4);
      }
    }
  }

  @Test
  void perClassSharesOneClusterAcrossTestsAndNestedClassesThenRemovesIt() {
    List<Scenarios.Outcome> outcomes = Scenarios.run(PerClass.class);

    assertThat(outcomes).allSatisfy(o -> assertThat(o.succeeded()).as(o.message()).isTrue());
    assertThat(outcomes)
        .extracting(Scenarios.Outcome::name)
        .contains("sharesTheClassCluster(Kubitect, AppliedCluster)");
    assertThat(seen("beforeAll.nodes")).isEqualTo(3);
    Object kubitect = seen("beforeAll.kubitect");
    assertThat(seen("scalesOut.kubitect")).isSameAs(kubitect);
    assertThat(seen("seesTheScaledCluster.kubitect")).isSameAs(kubitect);
    assertThat(seen("inner.kubitect")).isSameAs(kubitect);
    assertThat(root("dir")).doesNotExist();
  }

  // ------------------------------------------------------------------ the builder

  static final RecordingListener EXTRA = new RecordingListener();

  static class Built {
    @RegisterExtension
    static final KubitectExtension KUBITECT =
        KubitectExtension.builder()
            .spec(
                () ->
                    SpecFixtures.singleNode()
                        .withCluster(SpecFixtures.singleNode().cluster().withName("built")))
            .temporaryDirectoryIn(SCRATCH.resolve("built"))
            .checkEventPairing()
            .listener(EXTRA)
            .build();

    @Test
    void getsTheSuppliedCluster(AppliedCluster cluster, @ClusterDirectory Path dir) {
      SEEN.put("dir", dir);
      assertThat(cluster.name()).isEqualTo("built");
      assertThat(dir).startsWith(SCRATCH.resolve("built"));
    }
  }

  @Test
  void theBuilderTakesASupplierAListenerAndATemporaryDirectoryItLeavesEmpty() throws IOException {
    EXTRA.clear();
    List<Scenarios.Outcome> outcomes = Scenarios.run(Built.class);

    Scenarios.Outcome test = Scenarios.of(outcomes, "getsTheSuppliedCluster");
    assertThat(test.succeeded()).as(test.message()).isTrue();
    assertThat(SCRATCH.resolve("built")).isDirectory();
    assertEmptyOrAbsent(SCRATCH.resolve("built"));
    assertThat(EXTRA.events(KubitectEvent.PhaseFinished.class))
        .extracting(KubitectEvent.PhaseFinished::phase)
        .contains(Phase.PROVISION, Phase.DESTROY);
    EXTRA.assertPaired();
  }

  static class PerClassInAnInstanceField {
    @RegisterExtension
    final KubitectExtension kubitect =
        KubitectExtension.builder().lifecycle(KubitectExtension.Lifecycle.PER_CLASS).build();

    @Test
    void needsAStaticField(Kubitect kubitect) {
      SEEN.put("ran", kubitect);
    }
  }

  @Test
  void perClassInAnInstanceFieldSaysWhatToDo() {
    Scenarios.Outcome test =
        Scenarios.of(Scenarios.run(PerClassInAnInstanceField.class), "needsAStaticField");
    assertThat(test.failed()).isTrue();
    assertThat(test.message()).contains("register it in a static field");
    assertThat(SEEN).doesNotContainKey("ran");
  }

  // ------------------------------------------------------------------ no specification

  @KubitectTest
  static class WithoutSpec {
    @Test
    void appliesItsOwn(Kubitect kubitect) {
      AppliedCluster cluster = kubitect.apply(SpecFixtures.ha(), ApplyAction.CREATE);
      SEEN.put("dir", cluster.stateDirectory());
      assertThat(cluster.nodes()).hasSize(8);
    }

    @Test
    void hasNoAppliedCluster(AppliedCluster cluster) {
      SEEN.put("ran", cluster);
    }
  }

  @Test
  void withoutASpecOnlyTheKubitectIsThereAndWhatTheTestAppliedIsDestroyed() {
    List<Scenarios.Outcome> outcomes = Scenarios.run(WithoutSpec.class);

    assertThat(Scenarios.of(outcomes, "appliesItsOwn").succeeded()).isTrue();
    assertThat(root("dir")).doesNotExist();
    Scenarios.Outcome missing = Scenarios.of(outcomes, "hasNoAppliedCluster");
    assertThat(missing.failed()).isTrue();
    assertThat(missing.message())
        .contains("applied no specification, so there is no AppliedCluster")
        .contains("@KubitectTest(spec = ...)");
  }

  @KubitectTest(spec = SpecFixtures.SINGLE_NODE)
  static class DestroysItsCluster {
    @Test
    void destroysIt(Kubitect kubitect, @ClusterDirectory Path dir) {
      SEEN.put("dir", dir);
      kubitect.destroy("single-node");
      assertThat(dir).doesNotExist();
    }
  }

  @Test
  void aClusterTheTestDestroyedIsFine() {
    Scenarios.Outcome test = Scenarios.of(Scenarios.run(DestroysItsCluster.class), "destroysIt");
    assertThat(test.succeeded()).as(test.message()).isTrue();
    assertThat(root("dir")).doesNotExist();
  }

  @KubitectTest(spec = SpecFixtures.SINGLE_NODE)
  static class ClosesTheKubitect {
    @Test
    void closesIt(Kubitect kubitect, @ClusterDirectory Path dir) {
      SEEN.put("dir", dir);
      kubitect.close();
    }
  }

  @Test
  void whatCannotBeCleanedUpFailsTheTestAndTheDirectoryIsStillDeleted() {
    Scenarios.Outcome test = Scenarios.of(Scenarios.run(ClosesTheKubitect.class), "closesIt");

    assertThat(test.failed()).isTrue();
    assertThat(test.message())
        .contains("KubitectExtension could not clean up after")
        .contains("destroying cluster single-node failed: this Kubitect is closed");
    assertThat(root("dir")).doesNotExist();
  }

  // ------------------------------------------------------------------ failing applies

  /** The single-node cluster with a node key file that does not exist. */
  public static final class MissingKey implements java.util.function.Supplier<ClusterSpec> {
    @Override
    public ClusterSpec get() {
      ClusterSpec spec = SpecFixtures.singleNode();
      return spec.withCluster(
          spec.cluster()
              .withNodeTemplate(
                  spec.cluster()
                      .nodeTemplate()
                      .withSsh(NodeSsh.builder().privateKeyPath("~/.ssh/not-there").build())));
    }
  }

  @KubitectTest(specSupplier = MissingKey.class)
  static class FailingApply {
    @Test
    void neverRuns() {
      SEEN.put("ran", true);
    }
  }

  @KubitectTest(spec = SpecFixtures.SINGLE_NODE, action = ApplyAction.SCALE)
  static class RefusedApply {
    @Test
    void neverRuns() {
      SEEN.put("ran", true);
    }
  }

  @Test
  void aFailingApplySaysWhatFailedWhereAndForWhichTest() {
    Scenarios.Outcome test = Scenarios.of(Scenarios.run(FailingApply.class), "neverRuns");

    assertThat(test.failed()).isTrue();
    assertThat(SEEN).doesNotContainKey("ran");
    String message = String.valueOf(test.error().orElseThrow().getMessage());
    assertThat(message)
        .startsWith(
            "KubitectExtension: applying spec supplier "
                + MissingKey.class.getName()
                + " (create) to cluster single-node on simulated hosts failed for "
                + FailingApply.class.getName()
                + ".neverRuns(): ")
        .contains("/home/.ssh/not-there");
    // ~ was the fixture's own home, in its temporary directory, which is gone again.
    int home = message.indexOf("/home/.ssh/not-there");
    int start = message.lastIndexOf(' ', home) + 1;
    Path root = Path.of(message.substring(start, home).replaceAll("[^/A-Za-z0-9._-]", ""));
    assertThat(root.getFileName().toString()).startsWith("kubitect-test-");
    assertThat(root).doesNotExist();

    Scenarios.Outcome refused = Scenarios.of(Scenarios.run(RefusedApply.class), "neverRuns");
    assertThat(refused.failed()).isTrue();
    assertThat(refused.error().orElseThrow().getMessage())
        .contains("applying spec resource 'classpath:io/kubitect/testing/single-node.yaml' (scale)")
        .contains("failed:\n  [single-node] phase plan: plan scale -> failed");
  }

  // ------------------------------------------------------------------ hostile input

  @KubitectTest(spec = "no-such-spec.yaml")
  static class MissingFile {
    @Test
    void neverRuns() {}
  }

  @KubitectTest(spec = "../pom.xml")
  static class DotDot {
    @Test
    void neverRuns() {}
  }

  @KubitectTest(spec = "/etc/passwd")
  static class Absolute {
    @Test
    void neverRuns() {}
  }

  @KubitectTest(spec = "target/kubitect-extension-test/specs/escape.yaml")
  static class SymlinkOut {
    @Test
    void neverRuns() {}
  }

  @KubitectTest(spec = "classpath:../kubitect-extension-test/secret.yaml")
  static class ResourceDotDot {
    @Test
    void neverRuns() {}
  }

  @KubitectTest(spec = "classpath:specs/not-there.yaml")
  static class MissingResource {
    @Test
    void neverRuns() {}
  }

  @KubitectTest(spec = "src/test/resources/specs/unknown-key.yaml")
  static class UnknownKey {
    @Test
    void neverRuns() {}
  }

  @KubitectTest(spec = "classpath:specs/invalid.yaml")
  static class Invalid {
    @Test
    void neverRuns() {}
  }

  /** A supplier that fails. */
  public static final class Throwing implements java.util.function.Supplier<ClusterSpec> {
    @Override
    public ClusterSpec get() {
      throw new IllegalStateException("no spec today");
    }
  }

  @KubitectTest(specSupplier = Throwing.class)
  static class ThrowingSupplier {
    @Test
    void neverRuns() {}
  }

  @KubitectTest(spec = SpecFixtures.HA, specSupplier = Throwing.class)
  static class Both {
    @Test
    void neverRuns() {}
  }

  /** The failure of the scenario's test, or of its class when it failed before the test. */
  private static String failure(Class<?> scenario) {
    List<Scenarios.Outcome> outcomes = Scenarios.run(scenario);
    Scenarios.Outcome test =
        outcomes.stream()
            .filter(o -> o.name().startsWith("neverRuns"))
            .findFirst()
            .orElseGet(
                () -> Scenarios.of(outcomes, "KubitectExtensionTest$" + scenario.getSimpleName()));
    assertThat(test.failed()).as(scenario.getSimpleName()).isTrue();
    return String.valueOf(test.error().orElseThrow().getMessage());
  }

  @Test
  void hostileSpecLocationsAreRefusedWithTheirPathBeforeAnythingIsCreated() throws IOException {
    Path module = Path.of("").toAbsolutePath();
    Path links = SCRATCH.resolve("specs");
    Files.createDirectories(links);
    Files.createSymbolicLink(links.resolve("escape.yaml"), module.resolveSibling("pom.xml"));

    assertThat(failure(MissingFile.class))
        .isEqualTo(
            "spec file 'no-such-spec.yaml' does not exist (looked for "
                + module.resolve("no-such-spec.yaml")
                + ")");
    assertThat(failure(DotDot.class))
        .startsWith("spec file '../pom.xml' leads outside the spec directory " + module + " (to ")
        .contains("use a classpath: resource");
    assertThat(failure(Absolute.class))
        .startsWith("spec file '/etc/passwd' leads outside the spec directory " + module);
    assertThat(failure(SymlinkOut.class))
        .contains("leads outside the spec directory")
        .contains("through a symbolic link (to " + module.resolveSibling("pom.xml").toRealPath());
    assertThat(failure(ResourceDotDot.class)).contains("has an empty, '.' or '..' segment");
    assertThat(failure(MissingResource.class))
        .isEqualTo(
            "spec resource 'classpath:specs/not-there.yaml' is not on the class path of the test");
    assertThat(failure(UnknownKey.class))
        .startsWith(
            "spec file 'src/test/resources/specs/unknown-key.yaml' is not a valid specification: ")
        .contains("colour");
    assertThat(failure(Invalid.class))
        .startsWith("KubitectExtension: spec resource 'classpath:specs/invalid.yaml' is invalid: ")
        .contains("cluster.nodes.master.instances[0].host");
    assertThat(failure(ThrowingSupplier.class))
        .isEqualTo(
            "spec supplier "
                + Throwing.class.getName()
                + " failed: java.lang.IllegalStateException: no spec today");
    assertThat(failure(Both.class)).isEqualTo("@KubitectTest takes spec or specSupplier, not both");
  }

  static class HostileBuilder {
    @RegisterExtension
    static final KubitectExtension KUBITECT =
        KubitectExtension.builder()
            .spec("../../outside.yaml")
            .specBaseDirectory(SCRATCH.resolve("base"))
            .temporaryDirectoryIn(SCRATCH.resolve("tmp"))
            .build();

    @Test
    void neverRuns() {}
  }

  @Test
  void aRefusedSpecCreatesNoTemporaryDirectory() throws IOException {
    assertThat(failure(HostileBuilder.class))
        .contains(
            "'../../outside.yaml' leads outside the spec directory " + SCRATCH.resolve("base"));
    assertEmptyOrAbsent(SCRATCH.resolve("tmp"));
  }

  // ------------------------------------------------------------------ rendered artifacts

  @KubitectTest(spec = SpecFixtures.HA, checkRenderedArtifacts = true)
  static class CheckedArtifacts {
    @Test
    void rendersAndChecks(RecordingListener events, @ClusterDirectory Path dir) {
      SEEN.put("dir", dir);
      assertThat(dir.resolve("artifacts/load-balancers/kubitect-ha-lb-1/haproxy.cfg")).exists();
      assertThat(events.lines())
          .anyMatch(l -> l.contains("haproxy -c accepts it"))
          .anyMatch(l -> l.contains("ansible-inventory reads 8 hosts"));
    }
  }

  @Test
  void checkRenderedArtifactsHasTheRealToolsCheckTheRenderedFiles() {
    boolean tools =
        Stream.of("haproxy", "ansible-inventory")
            .allMatch(
                t ->
                    Files.isExecutable(Path.of("/usr/sbin", t))
                        || Files.isExecutable(Path.of("/usr/bin", t)));
    Scenarios.Outcome test =
        Scenarios.of(Scenarios.run(CheckedArtifacts.class), "rendersAndChecks");
    if (tools) {
      assertThat(test.succeeded()).as(test.message()).isTrue();
      assertThat(root("dir")).doesNotExist();
    } else {
      // Without the tools the apply fails, and says which tool is missing.
      assertThat(test.failed()).isTrue();
      assertThat(test.message()).containsAnyOf("haproxy", "ansible-inventory");
    }
  }
}
