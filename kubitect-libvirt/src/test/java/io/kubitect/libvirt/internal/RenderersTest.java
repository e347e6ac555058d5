package io.kubitect.libvirt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubitect.core.spi.Topology;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Golden files for every renderer. Run with {@code -Dgolden.update=true} to rewrite them from the
 * current output, then review the diff.
 */
class RenderersTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden");

  private final Topology nat = Fixtures.topology("nat.yaml");
  private final HostPlan natHost = Layout.of(nat, Fixtures.HOME).get(0);
  private final VmPlan master = natHost.vms().get(0);
  private final VmPlan worker = natHost.vms().get(1);
  private final Topology bridge = Fixtures.topology("bridge.yaml");
  private final HostPlan bridgeHost = Layout.of(bridge, Fixtures.HOME).get(0);
  private final VmPlan bridged = bridgeHost.vms().get(0);

  @Test
  void natNetworkReservesStaticAddresses() {
    golden("nat-network.xml", NetworkXml.render(natHost.network().orElseThrow(), Optional.empty()));
  }

  @Test
  void bridgeModeHasNoLibvirtNetwork() {
    assertThat(bridgeHost.network()).isEmpty();
    assertThat(bridgeHost.bridge()).contains("br0");
  }

  @Test
  void pools() {
    golden("main-pool.xml", PoolXml.render(natHost.mainPool()));
    golden("data-pool.xml", PoolXml.render(natHost.dataPools().get(0)));
  }

  @Test
  void volumes() {
    golden("main-disk-volume.xml", VolumeXml.render(worker.mainDisk()));
    golden("data-disk-volume.xml", VolumeXml.render(worker.dataDisks().get(0)));
    golden("cloud-init-volume.xml", VolumeXml.render(worker.cloudInit().withBytes(53248)));
    golden("base-volume.xml", VolumeXml.render(natHost.baseVolume().withBytes(2147483648L)));
  }

  @Test
  void domains() {
    golden("master-domain.xml", DomainXml.render(master, "qemu", Optional.empty()));
    golden("worker-domain.xml", DomainXml.render(worker, "kvm", Optional.of("uuid-1")));
    golden("bridged-domain.xml", DomainXml.render(bridged, "qemu", Optional.empty()));
  }

  @Test
  void cloudInitStatic() {
    CloudInit files = CloudInit.of(master, Fixtures.CLUSTER_PUBLIC_KEY, Fixtures.HOST_KEY);
    golden("master-user-data.yaml", files.userData());
    golden("master-meta-data.yaml", files.metaData());
    golden("master-network-config.yaml", files.networkConfig());
  }

  @Test
  void offlineNodesFetchNothingOnBoot() {
    // updateOnBoot false and a static address: no apt run at all, so an image with package
    // sources but no way out boots without waiting on DNS.
    String offline = CloudInit.userData(master, Fixtures.CLUSTER_PUBLIC_KEY, Fixtures.HOST_KEY);
    assertThat(offline)
        .contains("package_update: false\n", "package_upgrade: false\n")
        .doesNotContain("packages:")
        .contains("if systemctl cat qemu-guest-agent.service")
        // no daemon-reload on every first boot, no waiting for the agent to start
        .doesNotContain("enable --now")
        .contains("systemctl start --no-block qemu-guest-agent.service");
    assertThat(CloudInit.networkConfig(master)).contains("    accept-ra: false\n");

    String updating =
        CloudInit.userData(
            variant(master, true, false, master.staticIp()),
            Fixtures.CLUSTER_PUBLIC_KEY,
            Fixtures.HOST_KEY);
    assertThat(updating)
        .contains("package_update: true\n", "package_upgrade: true\n")
        .contains("packages:\n  - qemu-guest-agent\n");

    // A bridged DHCP node's address only comes from the agent: it is installed even offline.
    String bridgedDhcp =
        CloudInit.userData(
            variant(master, false, true, Optional.empty()),
            Fixtures.CLUSTER_PUBLIC_KEY,
            Fixtures.HOST_KEY);
    assertThat(bridgedDhcp)
        .contains("package_update: true\n", "package_upgrade: false\n")
        .contains("packages:\n  - qemu-guest-agent\n");
  }

  private static VmPlan variant(
      VmPlan vm, boolean updateOnBoot, boolean bridged, Optional<String> staticIp) {
    return new VmPlan(
        vm.node(),
        vm.cluster(),
        vm.mac(),
        staticIp,
        vm.prefix(),
        vm.gateway(),
        vm.dns(),
        vm.user(),
        vm.interfaceName(),
        updateOnBoot,
        vm.cpuMode(),
        bridged,
        vm.networkSource(),
        vm.mainDisk(),
        vm.dataDisks(),
        vm.cloudInit());
  }

  @Test
  void cloudInitDhcp() {
    golden("worker-network-config.yaml", CloudInit.networkConfig(worker));
    golden("bridged-network-config.yaml", CloudInit.networkConfig(bridged));
  }

  @Test
  void namesFollowKubitect() {
    assertThat(natHost.mainPool().path())
        .isEqualTo("/var/lib/libvirt/pools/demo-main-resource-pool");
    assertThat(natHost.dataPools().get(0).name()).isEqualTo("demo-fast-data-resource-pool");
    assertThat(natHost.dataPools().get(0).path())
        .isEqualTo("/mnt/fast/demo-fast-data-resource-pool");
    assertThat(worker.volumes())
        .extracting(VolumePlan::name)
        .containsExactly(
            "demo-worker-1-main-disk",
            "demo-worker-1-rook-data-disk",
            "demo-worker-1-scratch-data-disk",
            "demo-worker-1-cloud-init.iso");
    assertThat(worker.dataDisks())
        .extracting(VolumePlan::pool)
        .containsExactly("demo-fast-data-resource-pool", "demo-main-resource-pool");
    assertThat(worker.mainDisk().bytes()).isEqualTo(40L * 1024 * 1024 * 1024);
  }

  @Test
  void derivedMacsAreStableAndSpecMacsKept() {
    assertThat(master.mac()).isEqualTo(MacAddresses.derive("demo", "demo-master-1"));
    assertThat(master.mac()).matches("52:54:00(:[0-9a-f]{2}){3}");
    assertThat(Layout.of(nat, Fixtures.HOME).get(0).vms().get(0).mac()).isEqualTo(master.mac());
    assertThat(bridged.mac()).isEqualTo("52:54:00:aa:bb:01");
  }

  @Test
  void derivedMacsNeverCollide() {
    List<java.util.Map.Entry<String, Optional<String>>> nodes = new java.util.ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      nodes.add(java.util.Map.entry("c-worker-" + i, Optional.empty()));
    }
    nodes.add(java.util.Map.entry("given", Optional.of(MacAddresses.derive("c", "c-worker-7"))));
    var macs = MacAddresses.assign("c", nodes);
    assertThat(new java.util.HashSet<>(macs.values())).hasSize(nodes.size());
    assertThat(macs.get("c-worker-7")).isNotEqualTo(MacAddresses.derive("c", "c-worker-7"));
  }

  @Test
  void specHashChangesWithSizingOnly() {
    String hash = DomainXml.specHash(worker, "qemu");
    assertThat(DomainXml.specHash(worker, "qemu")).isEqualTo(hash);
    VmPlan bigger =
        new VmPlan(
            worker.node(),
            worker.cluster(),
            worker.mac(),
            worker.staticIp(),
            worker.prefix(),
            worker.gateway(),
            worker.dns(),
            worker.user(),
            worker.interfaceName(),
            worker.updateOnBoot(),
            worker.cpuMode(),
            worker.bridged(),
            worker.networkSource(),
            worker.mainDisk().withBytes(worker.mainDisk().bytes() * 2),
            worker.dataDisks(),
            worker.cloudInit());
    assertThat(DomainXml.specHash(bigger, "qemu")).isNotEqualTo(hash);
  }

  @Test
  void ownershipIsReadBack() {
    String xml =
        DomainXml.render(master, "qemu", Optional.of("0e2b6a8c-0000-4000-8000-000000000001"));
    DomainXml.Ownership owner = DomainXml.ownership(xml).orElseThrow();
    assertThat(owner.cluster()).isEqualTo("demo");
    assertThat(owner.node()).isEqualTo("demo-master-1");
    assertThat(owner.spec()).isEqualTo(DomainXml.specHash(master, "qemu"));
    assertThat(DomainXml.uuid(xml)).contains("0e2b6a8c-0000-4000-8000-000000000001");
    assertThat(DomainXml.mac(xml)).contains(master.mac());
    assertThat(DomainXml.ownership("<domain><name>x</name></domain>")).isEmpty();
  }

  @Test
  void xmlWithADoctypeOrNotWellFormedIsRefusedInOneLine() {
    String entity =
        "<!DOCTYPE d [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><domain><name>&x;</name></domain>";
    assertThatThrownBy(() -> DomainXml.parse(entity))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("libvirt returned XML that does not parse")
        .hasMessageContaining("DOCTYPE");
    assertThatThrownBy(() -> DomainXml.uuid("<domain><uuid>"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("libvirt returned XML that does not parse");
    assertThatThrownBy(() -> DomainXml.uuid("")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theSharedParserServesManyThreadsAtOnce() throws Exception {
    String xml = DomainXml.render(master, "qemu", Optional.of("uuid-7"));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Optional<String>>> results = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        results.add(pool.submit(() -> DomainXml.uuid(xml)));
      }
      for (Future<Optional<String>> result : results) {
        assertThat(result.get()).contains("uuid-7");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void driveLetters() {
    assertThat(DomainXml.driveLetters(0)).isEqualTo("a");
    assertThat(DomainXml.driveLetters(25)).isEqualTo("z");
    assertThat(DomainXml.driveLetters(26)).isEqualTo("aa");
  }

  static void golden(String name, String actual) {
    Path file = GOLDEN.resolve(name);
    try {
      if (Boolean.getBoolean("golden.update")) {
        Files.createDirectories(GOLDEN);
        Files.writeString(file, actual, StandardCharsets.UTF_8);
      }
      assertThat(actual).as("golden file %s", file).isEqualTo(Files.readString(file));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
