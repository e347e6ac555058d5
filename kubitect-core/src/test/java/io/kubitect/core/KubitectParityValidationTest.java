package io.kubitect.core;

import static io.kubitect.core.Specs.kubernetes;
import static io.kubitect.core.Specs.lb;
import static io.kubitect.core.Specs.master;
import static io.kubitect.core.Specs.network;
import static io.kubitect.core.Specs.os;
import static io.kubitect.core.Specs.template;
import static io.kubitect.core.Specs.worker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.kubitect.model.ClusterSpec;
import io.kubitect.model.CpuMode;
import io.kubitect.model.DataDisk;
import io.kubitect.model.Distro;
import io.kubitect.model.KubitectProject;
import io.kubitect.model.KubitectYaml;
import io.kubitect.model.LegacyImage;
import io.kubitect.model.NetworkMode;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What Kubitect accepts, the validator accepts, with a warning (and its path) where the value has
 * no effect, means a default, or is spelled the way an older schema spelled it.
 */
class KubitectParityValidationTest {
  private static final String LB = "cluster.nodes.loadBalancer";
  private static final String MASTER = "cluster.nodes.master";
  private static final String WORKER = "cluster.nodes.worker";

  private static Path fixture(String name) {
    return Specs.repositoryRoot()
        .resolve("kubitect-core/src/test/resources/io/kubitect/core/SpecFuzzTestInputs")
        .resolve("readValidateWrite")
        .resolve(name);
  }

  private static List<Violation> violations(ClusterSpec spec) {
    return SpecValidator.validate(spec).violations();
  }

  private static Violation only(ClusterSpec spec) {
    List<Violation> found = violations(spec);
    assertThat(found).hasSize(1);
    return found.get(0);
  }

  // ------------------------------------------------------------------------ Kubitect's exports

  @Test
  void kubitectExportValidatesWithoutErrors() {
    ClusterSpec spec = KubitectYaml.read(fixture("example-kubitect-export.yaml"));

    ValidationReport report = SpecValidator.validate(spec);

    // The only remark: Kubitect writes the SSH port of a local host too.
    assertThat(report.violations())
        .extracting(Violation::severity, Violation::path)
        .containsExactly(tuple(Severity.WARNING, "hosts[0].connection"));
    assertThat(SpecValidator.validate(spec.resolveDefaults()).errors()).isEmpty();
  }

  @Test
  void kubitectExportPlansLikeTheSameClusterWrittenByThisSdk() {
    ClusterSpec export = KubitectYaml.read(fixture("example-kubitect-export.yaml"));
    ClusterSpec written =
        KubitectYaml.read(KubitectYaml.write(export.resolveDefaults()), "resolved.yaml");

    assertThat(written.kubernetes().version()).contains("v1.33.4");
    assertThat(SpecPaths.of(export.resolveDefaults())).isEqualTo(SpecPaths.of(written));
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.33.4", "1.31.0", "1.32.9", "v1.33.4"})
  void kubernetesVersionWithOrWithoutV(String version) {
    ClusterSpec spec = kubernetes(Specs.valid(), k -> k.withVersion(version));

    assertThat(violations(spec)).isEmpty();
  }

  @Test
  void unsupportedVersionWithoutVIsNamedAsWritten() {
    Violation v = only(kubernetes(Specs.valid(), k -> k.withVersion("1.28.6")));

    assertThat(v.path()).isEqualTo("kubernetes.version");
    assertThat(v.message()).startsWith("'1.28.6' is not supported by Kubespray v2.29.0");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.33", "v1.33", "1.33.4-rc1", "", "latest"})
  void otherVersionFormsStayRefused(String version) {
    Violation v = only(kubernetes(Specs.valid(), k -> k.withVersion(version)));

    assertThat(v.severity()).isEqualTo(Severity.ERROR);
    assertThat(v.message()).contains("is not a version of the form vX.Y.Z or X.Y.Z");
  }

  @Test
  void emptyPoolIsTheMainPool() {
    ClusterSpec spec =
        worker(
            Specs.valid(),
            0,
            w -> w.withDataDisks(DataDisk.builder().name("scratch").pool("").size(8).build()));

    assertThat(violations(spec)).isEmpty();
  }

  @Test
  void blankPoolIsStillRefused() {
    Violation v =
        only(
            worker(
                Specs.valid(),
                0,
                w -> w.withDataDisks(DataDisk.builder().name("x").pool(" ").size(8).build())));

    assertThat(v.path()).isEqualTo(WORKER + ".instances[0].dataDisks[0].pool");
    assertThat(v.message()).contains("is blank");
  }

  @Test
  void emptyRookVersionIsTheChartsDefault() {
    assertThat(violations(Specs.rook(Specs.valid(), r -> r.withVersion("")))).isEmpty();
  }

  // ----------------------------------------------------------------------------- zero values

  @Test
  void zeroValuesWarnWithTheDefaultThatApplies() {
    ClusterSpec spec = Specs.valid();
    spec = Specs.workers(spec, g -> g.withDefaults(g.defaults().withMainDiskSize(64)));
    spec = worker(spec, 0, w -> w.withMainDiskSize(0).withCpu(0));
    spec = lb(spec, 1, i -> i.withPriority(0));

    assertThat(violations(spec))
        .extracting(Violation::severity, Violation::path, Violation::message)
        .containsExactlyInAnyOrder(
            tuple(
                Severity.WARNING,
                WORKER + ".instances[0].cpu",
                "is 0, which Kubitect's configuration reads as not set: the default of 2 virtual"
                    + " CPUs applies; leave cpu out to say so"),
            tuple(
                Severity.WARNING,
                WORKER + ".instances[0].mainDiskSize",
                "is 0, which Kubitect's configuration reads as not set: the group's"
                    + " default.mainDiskSize (64 GiB of main disk) applies; leave mainDiskSize"
                    + " out to say so"),
            tuple(
                Severity.WARNING,
                LB + ".instances[1].priority",
                "is 0, which is no VRRP priority and is read as not set: the default priority"
                    + " 10 applies; leave priority out to say so"));
    assertThat(violations(spec.resolveDefaults())).isEmpty();
  }

  // ----------------------------------------------------------------------------------- cidr

  @Test
  void cidrWithHostBitsIsReadAsItsNetwork() {
    ClusterSpec spec = network(Specs.valid(), n -> n.withCidr("10.10.13.13/20"));

    Violation v = only(spec);

    assertThat(v.severity()).isEqualTo(Severity.WARNING);
    assertThat(v.path()).isEqualTo("cluster.network.cidr");
    assertThat(v.message())
        .isEqualTo(
            "'10.10.13.13/20' has host bits set; it is read as the network 10.10.0.0/20, as"
                + " Kubitect reads it; write '10.10.0.0/20' to say so");
    assertThat(violations(spec.resolveDefaults())).isEmpty();
  }

  @Test
  void nodesAreCheckedAgainstTheNetworkTheCidrMeans() {
    ClusterSpec spec =
        master(
            network(Specs.valid(), n -> n.withCidr("10.10.13.13/20")),
            0,
            m -> m.withIp("10.10.16.1"));

    assertThat(violations(spec))
        .extracting(Violation::severity, Violation::path)
        .containsExactlyInAnyOrder(
            tuple(Severity.WARNING, "cluster.network.cidr"),
            tuple(Severity.ERROR, MASTER + ".instances[0].ip"));
    assertThat(violations(spec))
        .filteredOn(v -> v.severity() == Severity.ERROR)
        .extracting(Violation::message)
        .containsExactly("'10.10.16.1' is outside the cluster network 10.10.0.0/20");
  }

  // --------------------------------------------------------------------------- instance name

  @Test
  void instanceNameThatIsTheNodeNameIsFine() {
    ClusterSpec spec = Specs.valid();
    spec = lb(spec, 0, i -> i.withName("k8s-lb-1"));
    spec = master(spec, 0, i -> i.withName("k8s-master-1"));
    spec = worker(spec, 1, i -> i.withName("k8s-worker-2"));

    assertThat(violations(spec)).isEmpty();
  }

  @Test
  void otherInstanceNamesWarnThatTheyHaveNoEffect() {
    ClusterSpec spec = Specs.valid();
    spec = lb(spec, 0, i -> i.withName("edge"));
    spec = master(spec, 1, i -> i.withName(""));
    spec = worker(spec, 0, i -> i.withName("db\nprimary").withId("Bad_Id"));

    List<Violation> found = violations(spec);

    assertThat(found)
        .filteredOn(v -> v.path().endsWith(".name"))
        .extracting(Violation::severity, Violation::path, Violation::message)
        .containsExactly(
            tuple(
                Severity.WARNING,
                LB + ".instances[0].name",
                "'edge' has no effect: as in Kubitect, the VM and the Kubernetes node are named"
                    + " 'k8s-lb-1', '<cluster>-lb-<id>'; leave name out"),
            tuple(
                Severity.WARNING,
                MASTER + ".instances[1].name",
                "'' has no effect: as in Kubitect, the VM and the Kubernetes node are named"
                    + " 'k8s-master-2', '<cluster>-master-<id>'; leave name out"),
            tuple(
                Severity.WARNING,
                WORKER + ".instances[0].name",
                "'db\\nprimary' has no effect: as in Kubitect, the VM and the Kubernetes node are"
                    + " named '<cluster>-worker-<id>'; leave name out"));
  }

  @Test
  void hugeInstanceNameStaysAShortWarning() {
    Violation v = only(worker(Specs.valid(), 0, i -> i.withName("n".repeat(60_000))));

    assertThat(v.severity()).isEqualTo(Severity.WARNING);
    assertThat(v.message()).hasSizeLessThan(250);
  }

  @Test
  void instanceNameIsNoChangeToTheCluster() {
    ClusterSpec spec = Specs.valid().resolveDefaults();
    ClusterSpec renamed = worker(spec, 0, i -> i.withName("anything"));

    assertThat(SpecPaths.of(renamed)).isEqualTo(SpecPaths.of(spec));
    assertThat(renamed.resolveDefaults().cluster().nodes().worker().instances().get(0).name())
        .contains("anything");
  }

  // ---------------------------------------------------------------------------- older schemas

  @Test
  void kubitectV2ExampleValidatesWithWarningsOnly() {
    ClusterSpec spec = KubitectYaml.read(fixture("example-kubitect-v2.0.yaml"));

    ValidationReport report = SpecValidator.validate(spec);

    assertThat(report.errors()).as("%s", report).isEmpty();
    assertThat(report.warnings())
        .extracting(Violation::path)
        .contains(
            "kubitect.url",
            "kubitect.version",
            "cluster.network.dns",
            "cluster.nodeTemplate.networkInterface",
            "cluster.nodeTemplate.image.source",
            "cluster.nodeTemplate.image.distro",
            "kubernetes.other.copyKubeconfig");
    assertThat(SpecValidator.validate(spec.resolveDefaults()).warnings())
        .extracting(Violation::path)
        .doesNotContain(
            "kubitect.url",
            "cluster.network.dns",
            "cluster.nodeTemplate.networkInterface",
            "cluster.nodeTemplate.image.source",
            "kubernetes.other.copyKubeconfig");
  }

  @Test
  void kubitectSectionHasNoEffect() {
    ClusterSpec spec =
        Specs.valid().withKubitect(KubitectProject.builder().url("").version("v2.0.7").build());

    assertThat(violations(spec))
        .extracting(Violation::severity, Violation::path, Violation::message)
        .containsExactly(
            tuple(
                Severity.WARNING,
                "kubitect.url",
                "'' has no effect: Kubitect v2 cloned its playbooks from this repository; this"
                    + " SDK (like current Kubitect) brings its own, so remove the kubitect"
                    + " section"),
            tuple(
                Severity.WARNING,
                "kubitect.version",
                "'v2.0.7' has no effect: Kubitect v2 cloned its playbooks at this version; this"
                    + " SDK (like current Kubitect) brings its own, so remove the kubitect"
                    + " section"));
  }

  @Test
  void hugeKubitectValuesStayShortWarnings() {
    ClusterSpec spec =
        Specs.valid().withKubitect(KubitectProject.builder().url("u\u0000".repeat(30_000)).build());

    Violation v = only(spec);

    // 80 characters of the value at most, each control character escaped as \\u0000.
    assertThat(v.message()).hasSizeLessThan(700).doesNotContain("\u0000");
  }

  @Test
  void networkDnsOfV2IsTheNodeTemplatesDns() {
    ClusterSpec spec = network(Specs.valid(), n -> n.withDns("1.1.1.1", "1.0.0.1"));

    Violation v = only(spec);

    assertThat(v.severity()).isEqualTo(Severity.WARNING);
    assertThat(v.path()).isEqualTo("cluster.network.dns");
    assertThat(v.message()).contains("read as cluster.nodeTemplate.dns");
    assertThat(spec.resolveDefaults().cluster().nodeTemplate().dns())
        .containsExactly("1.1.1.1", "1.0.0.1");
  }

  @Test
  void networkDnsOfV2IsCheckedAndMustAgree() {
    ClusterSpec bad = network(Specs.valid(), n -> n.withDns("1.1.1.1", "dns.example"));
    ClusterSpec conflicting =
        template(network(Specs.valid(), n -> n.withDns("1.1.1.1")), t -> t.withDns("9.9.9.9"));
    ClusterSpec same =
        template(network(Specs.valid(), n -> n.withDns("1.1.1.1")), t -> t.withDns("1.1.1.1"));

    assertThat(violations(bad))
        .extracting(Violation::severity, Violation::path)
        .containsExactlyInAnyOrder(
            tuple(Severity.ERROR, "cluster.network.dns[1]"),
            tuple(Severity.WARNING, "cluster.network.dns"));
    assertThat(only(conflicting).severity()).isEqualTo(Severity.ERROR);
    assertThat(only(conflicting).message()).contains("keep only cluster.nodeTemplate.dns");
    assertThat(only(same).severity()).isEqualTo(Severity.WARNING);
  }

  @Test
  void networkInterfaceOfV2() {
    ClusterSpec moved = template(Specs.valid(), t -> t.withNetworkInterface("eth1"));
    ClusterSpec bad = template(Specs.valid(), t -> t.withNetworkInterface(""));
    ClusterSpec conflicting =
        os(
            template(Specs.valid(), t -> t.withNetworkInterface("eth1")),
            o -> o.withNetworkInterface("ens3"));

    assertThat(only(moved).severity()).isEqualTo(Severity.WARNING);
    assertThat(only(moved).message())
        .isEqualTo(
            "is Kubitect v2.0's place of the NIC name and is read as"
                + " cluster.nodeTemplate.os.networkInterface; move it there");
    assertThat(moved.resolveDefaults().cluster().nodeTemplate().os().networkInterface())
        .contains("eth1");
    assertThat(violations(bad))
        .extracting(Violation::severity, Violation::path)
        .containsExactlyInAnyOrder(
            tuple(Severity.ERROR, "cluster.nodeTemplate.networkInterface"),
            tuple(Severity.WARNING, "cluster.nodeTemplate.networkInterface"));
    assertThat(only(conflicting).severity()).isEqualTo(Severity.ERROR);
    assertThat(only(conflicting).message())
        .isEqualTo(
            "'eth1' is Kubitect v2.0's place of the NIC name, and"
                + " cluster.nodeTemplate.os.networkInterface says 'ens3'; keep only"
                + " cluster.nodeTemplate.os.networkInterface");
  }

  @Test
  void imageOfV2() {
    ClusterSpec ubuntu =
        image(LegacyImage.builder().distro("ubuntu").source("/images/u.img").build());
    ClusterSpec debian = image(LegacyImage.builder().distro("debian").build());
    ClusterSpec other = image(LegacyImage.builder().distro("N/A").build());
    ClusterSpec otherWithSource =
        image(LegacyImage.builder().distro("N/A").source("https://example.com/x.img").build());
    ClusterSpec badSource = image(LegacyImage.builder().source("ftp://example.com/x.img").build());

    assertThat(violations(ubuntu))
        .extracting(Violation::severity, Violation::path, Violation::message)
        .containsExactlyInAnyOrder(
            tuple(
                Severity.WARNING,
                "cluster.nodeTemplate.image.source",
                "is Kubitect v2.0's place of the image and is read as"
                    + " cluster.nodeTemplate.os.source; move it there"),
            tuple(
                Severity.WARNING,
                "cluster.nodeTemplate.image.distro",
                "'ubuntu' is Kubitect v2.0's image distro and is read as"
                    + " cluster.nodeTemplate.os.distro 'ubuntu22'; as in v2.0 the network"
                    + " interface is 'ens3' (set cluster.nodeTemplate.os.networkInterface to"
                    + " change it)"));
    assertThat(only(debian).message())
        .isEqualTo(
            "'debian' is Kubitect v2.0's image distro and is read as"
                + " cluster.nodeTemplate.os.distro 'debian11'; as in v2.0 the network interface"
                + " is 'eth0' (set cluster.nodeTemplate.os.networkInterface to change it)");
    assertThat(only(other).severity()).isEqualTo(Severity.ERROR);
    assertThat(only(other).message()).contains("no image is given");
    assertThat(violations(otherWithSource))
        .extracting(Violation::severity)
        .containsOnly(Severity.WARNING);
    assertThat(violations(badSource))
        .extracting(Violation::severity, Violation::path)
        .containsExactlyInAnyOrder(
            tuple(Severity.ERROR, "cluster.nodeTemplate.image.source"),
            tuple(Severity.WARNING, "cluster.nodeTemplate.image.source"));
  }

  @Test
  void imageOfV2MustAgreeWithOs() {
    ClusterSpec same =
        os(
            image(LegacyImage.builder().distro("debian").build()),
            o -> o.withDistro(Distro.DEBIAN11));
    ClusterSpec conflicting =
        os(image(LegacyImage.builder().distro("ubuntu").build()), o -> o.withDistro(Distro.ROCKY9));
    ClusterSpec sources =
        os(image(LegacyImage.builder().source("/a.img").build()), o -> o.withSource("/b.img"));

    assertThat(only(same).severity()).isEqualTo(Severity.WARNING);
    assertThat(violations(conflicting))
        .extracting(Violation::severity, Violation::path)
        .contains(tuple(Severity.ERROR, "cluster.nodeTemplate.image.distro"));
    assertThat(only(sources).severity()).isEqualTo(Severity.ERROR);
    assertThat(only(sources).message()).contains("says '/b.img'");
  }

  @Test
  void copyKubeconfigIsMergeKubeconfig() {
    ClusterSpec copy =
        kubernetes(Specs.valid(), k -> k.withOther(k.other().withCopyKubeconfig(true)));
    ClusterSpec conflicting =
        kubernetes(
            Specs.valid(),
            k -> k.withOther(k.other().withCopyKubeconfig(true).withMergeKubeconfig(false)));

    assertThat(only(copy).severity()).isEqualTo(Severity.WARNING);
    assertThat(only(copy).path()).isEqualTo("kubernetes.other.copyKubeconfig");
    assertThat(only(copy).message())
        .isEqualTo(
            "is the older schema's (Kubitect v2.1 to v3.3) predecessor of mergeKubeconfig and is"
                + " read as mergeKubeconfig: true: the cluster's kubeconfig is merged into"
                + " ~/.kube/config, where those versions replaced that file; write"
                + " mergeKubeconfig instead");
    assertThat(copy.resolveDefaults().kubernetes().other().mergeKubeconfig()).contains(true);
    assertThat(only(conflicting).severity()).isEqualTo(Severity.ERROR);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ubuntu:ubuntu22", "debian:debian11", "centos:centos9", "rocky:rocky9"})
  void olderDistroSpellingsWarnWithThePresetTheyMean(String pair) {
    String written = pair.substring(0, pair.indexOf(':'));
    String preset = pair.substring(pair.indexOf(':') + 1);
    Distro distro = Distro.valueOf(written.toUpperCase(java.util.Locale.ROOT));
    ClusterSpec spec =
        template(
            os(Specs.valid(), o -> o.withDistro(distro)), t -> t.withCpuMode(CpuMode.HOST_MODEL));

    Violation v = only(spec);

    assertThat(v.path()).isEqualTo("cluster.nodeTemplate.os.distro");
    assertThat(v.message())
        .isEqualTo(
            "'"
                + written
                + "' is the older schema's spelling (Kubitect v3.3 and earlier) and is read as '"
                + preset
                + "', the preset it meant there; write '"
                + preset
                + "' to say so explicitly");
  }

  @Test
  void olderRockySpellingGetsTheCpuModeWarningToo() {
    ClusterSpec spec = os(Specs.valid(), o -> o.withDistro(Distro.ROCKY));

    assertThat(violations(spec))
        .extracting(Violation::path)
        .containsExactlyInAnyOrder(
            "cluster.nodeTemplate.os.distro", "cluster.nodeTemplate.cpuMode");
  }

  // ------------------------------------------------------------------- deliberate differences

  @Test
  void deliberateDifferencesStay() {
    assertThat(
            only(worker(Specs.valid(), 0, w -> w.withLabels(java.util.Map.of("a", "b c"))))
                .severity())
        .isEqualTo(Severity.ERROR);
    assertThat(only(worker(Specs.valid(), 0, w -> w.withTaints("x=y:Never"))).severity())
        .isEqualTo(Severity.ERROR);
    assertThat(
            violations(
                network(Specs.valid(), n -> n.withMode(NetworkMode.BRIDGE).withBridge("br-0_1"))))
        .isEmpty();
  }

  /** The valid specification with v2.0's image instead of an OS distro. */
  private static ClusterSpec image(LegacyImage image) {
    return template(
        Specs.valid(), t -> t.withImage(image).withOs(t.os().withDistro(Optional.empty())));
  }
}
