package io.kubitect.libvirt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubitect.core.NodeStatus;
import io.kubitect.core.ResourceChange;
import io.kubitect.core.SpecValidator;
import io.kubitect.core.Step;
import io.kubitect.core.StepOutcome;
import io.kubitect.core.spi.ClusterCredentials;
import io.kubitect.core.spi.HostInspection;
import io.kubitect.core.spi.InfrastructureStatus;
import io.kubitect.core.spi.ProvisioningException;
import io.kubitect.core.spi.StepListener;
import io.kubitect.core.spi.Topology;
import io.kubitect.model.ClusterSpec;
import io.kubitect.model.KubitectYaml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every way of reaching libvirt must do, run against simulated hosts, a real libvirtd and a
 * real libvirtd over {@code qemu+ssh}: apply, re-apply without mutations, scale a worker out and
 * in, destroy everything owned and nothing else, leave foreign domains alone.
 */
abstract class ProvisionerContract {
  @TempDir Path tmp;

  Engine engine;
  ClusterCredentials credentials;
  final List<String> events = Collections.synchronizedList(new ArrayList<>());
  final StepListener recorder =
      new StepListener() {
        @Override
        public void started(Step step) {
          events.add("started " + step);
        }

        @Override
        public void finished(Step step, StepOutcome typed, String detail) {
          String outcome = typed.describe(detail);
          events.add("finished " + step + " -> " + outcome);
        }

        @Override
        public void failed(Step step, Throwable error) {
          events.add("failed " + step + " -> " + error.getMessage());
        }
      };

  /** The cluster name, unique per implementation so runs never meet. */
  abstract String cluster();

  /** The first octets of the cluster's /24, e.g. {@code 10.231.0}. */
  abstract String subnet();

  /** The host's YAML {@code connection:} block (indented by 4) and anything else of the host. */
  abstract String hostYaml();

  /** Where the OS image comes from. */
  abstract String imageSource();

  abstract Settings settings();

  /** Whether these hosts are simulated. */
  abstract boolean simulated();

  @BeforeEach
  void start() throws java.io.IOException {
    Settings settings = settings();
    if (!simulated()) {
      // the second host of the removal tests: libvirt's test driver, taken as a real host
      Map<String, String> uris = new HashMap<>(settings.hostUris());
      uris.put(SPARE, "test://" + Files.writeString(tmp.resolve("spare.xml"), "<node/>\n"));
      settings =
          new Settings(
              uris,
              settings.simulated(),
              settings.simulatedDir(),
              settings.knownHosts(),
              settings.callsInFlightPerHost(),
              settings.hostsInParallel(),
              settings.probe(),
              settings.readinessTimeout(),
              settings.readinessInterval(),
              settings.domainType(),
              settings.imageCache(),
              settings.callDelay(),
              settings.connectDelay(),
              settings.home());
    }
    engine = new Engine(settings);
    credentials = Fixtures.generatedCredentials(shape(true, true, true, 3, DISKS), tmp);
  }

  @AfterEach
  void stop() {
    try {
      engine.destroy(topology(3), StepListener.NONE);
      // the removal tests' hosts and data pool, also when a test failed before removing them
      engine.destroy(shape(true, true, true, 3, DISKS), StepListener.NONE);
    } catch (RuntimeException e) {
      // best effort; the test itself reported what matters
    } finally {
      removeForeignDomains();
      engine.close();
    }
  }

  Topology topology(int workers) {
    StringBuilder workerYaml = new StringBuilder();
    for (int i = 1; i <= workers; i++) {
      workerYaml
          .append("        - id: ")
          .append(i)
          .append("\n          ip: ")
          .append(subnet())
          .append('.')
          .append(20 + i)
          .append('\n');
    }
    String yaml =
        "hosts:\n"
            + "  - name: h1\n"
            + hostYaml()
            + "    mainResourcePoolPath: "
            + tmp.resolve("pools")
            + "\n"
            + "cluster:\n"
            + "  name: "
            + cluster()
            + "\n"
            + "  network:\n"
            + "    mode: nat\n"
            + "    cidr: "
            + subnet()
            + ".0/24\n"
            + "  nodeTemplate:\n"
            + "    os:\n"
            + "      source: "
            + imageSource()
            + "\n"
            + "      networkInterface: ens3\n"
            + "  nodes:\n"
            + "    master:\n"
            + "      default: {cpu: 1, ram: 1, mainDiskSize: 1}\n"
            + "      instances:\n"
            + "        - id: 1\n"
            + "          ip: "
            + subnet()
            + ".10\n"
            + "    worker:\n"
            + "      default: {cpu: 1, ram: 1, mainDiskSize: 1}\n"
            + "      instances:\n"
            + workerYaml
            + "kubernetes:\n"
            + "  version: v1.33.4\n";
    ClusterSpec spec = KubitectYaml.read(yaml, cluster() + ".yaml");
    assertThat(SpecValidator.validate(spec).errors()).isEmpty();
    return Topology.of(spec);
  }

  /** The name of the removal tests' second host (in {@link #shape}); never removed. */
  static final String SPARE = "h0";

  /** worker 1's data disks in the removal tests: one in the data pool, one in the main pool. */
  static final String DISKS = "rook:data scratch:main";

  /**
   * A cluster of the removal tests: master 1 on host {@link #SPARE} when {@code spare} (else on
   * h1), {@code workers} workers on h1, worker 1 with the data disks {@code disks} ({@code
   * name:pool}, space-separated), h1 with the data pool {@code data} when {@code dataPool}, and h1
   * in the specification only when {@code h1}.
   */
  Topology shape(boolean spare, boolean h1, boolean dataPool, int workers, String disks) {
    StringBuilder yaml = new StringBuilder("hosts:\n");
    if (spare) {
      yaml.append("  - name: ")
          .append(SPARE)
          .append("\n    connection: {type: remote, user: k, ip: 127.0.0.9,")
          .append(" ssh: {keyfile: \"~/.ssh/k\"}}\n")
          .append("    mainResourcePoolPath: ")
          .append(tmp.resolve("spare-pools"))
          .append('\n');
    }
    if (h1) {
      yaml.append("  - name: h1\n")
          .append(hostYaml())
          .append("    mainResourcePoolPath: ")
          .append(tmp.resolve("pools"))
          .append('\n');
      if (dataPool) {
        yaml.append("    dataResourcePools:\n      - name: data\n        path: ")
            .append(tmp.resolve("data-pools"))
            .append('\n');
      }
    }
    yaml.append("cluster:\n  name: ")
        .append(cluster())
        .append("\n  network:\n    mode: nat\n    cidr: ")
        .append(subnet())
        .append(".0/24\n  nodeTemplate:\n    os:\n      source: ")
        .append(imageSource())
        .append("\n      networkInterface: ens3\n  nodes:\n    master:\n")
        .append("      default: {cpu: 1, ram: 1, mainDiskSize: 1}\n      instances:\n")
        .append("        - {id: 1, host: ")
        .append(spare ? SPARE : "h1")
        .append(", ip: ")
        .append(subnet())
        .append(".10}\n");
    if (workers > 0) {
      yaml.append("    worker:\n      default: {cpu: 1, ram: 1, mainDiskSize: 1}\n")
          .append("      instances:\n");
      for (int i = 1; i <= workers; i++) {
        yaml.append("        - id: ")
            .append(i)
            .append("\n          host: h1\n          ip: ")
            .append(subnet())
            .append('.')
            .append(20 + i)
            .append('\n');
        if (i == 1 && !disks.isBlank()) {
          yaml.append("          dataDisks:\n");
          for (String disk : disks.strip().split(" ", -1)) {
            int colon = disk.indexOf(':');
            yaml.append("            - {name: ")
                .append(disk, 0, colon)
                .append(", pool: ")
                .append(disk.substring(colon + 1))
                .append(", size: 1}\n");
          }
        }
      }
    }
    yaml.append("kubernetes:\n  version: v1.33.4\n");
    ClusterSpec spec = KubitectYaml.read(yaml.toString(), cluster() + "-shape.yaml");
    assertThat(SpecValidator.validate(spec).errors()).as(yaml.toString()).isEmpty();
    return Topology.of(spec);
  }

  String mainPool() {
    return cluster() + "-main-resource-pool";
  }

  String dataPool() {
    return cluster() + "-data-data-resource-pool";
  }

  /**
   * What the cluster left on a host: its domains, its pools (with the cluster's volumes in them:
   * every volume named for one of its VMs, the base image and markers), its network.
   */
  List<String> leftovers(String hostName) {
    Hypervisor hv = engine.hypervisor(hostName).orElseThrow();
    List<String> left = new ArrayList<>();
    for (String name : hv.domainNames()) {
      hv.domain(name)
          .flatMap(d -> DomainXml.ownership(d.xml()))
          .filter(o -> o.cluster().equals(cluster()))
          .ifPresent(o -> left.add("domain " + name));
    }
    for (String pool : List.of(mainPool(), dataPool())) {
      if (hv.pool(pool).isPresent()) {
        left.add("pool " + pool);
        for (String volume : hv.volumeNames(pool)) {
          if (HostReconciler.clusterVolume(volume, cluster(), pool.equals(mainPool()))) {
            left.add("volume " + pool + "/" + volume);
          }
        }
      }
    }
    if (hv.network(cluster() + "-network").isPresent()) {
      left.add("network " + cluster() + "-network");
    }
    return left;
  }

  Hypervisor host() {
    return engine.hypervisor("h1").orElseThrow();
  }

  List<String> ownedDomains() {
    List<String> owned = new ArrayList<>();
    for (String name : host().domainNames()) {
      host()
          .domain(name)
          .flatMap(d -> DomainXml.ownership(d.xml()))
          .filter(o -> o.cluster().equals(cluster()))
          .ifPresent(o -> owned.add(name));
    }
    owned.sort(null);
    return owned;
  }

  String foreignXml(String name) {
    return "<domain type='qemu'><name>"
        + name
        + "</name><memory unit='MiB'>64</memory><os><type arch='x86_64'>hvm</type></os>"
        + "</domain>";
  }

  private final List<String> foreign = new ArrayList<>();

  void defineForeign(String name) {
    host().defineDomain(foreignXml(name));
    foreign.add(name);
  }

  private void removeForeignDomains() {
    for (String name : foreign) {
      try {
        engine.hypervisor("h1").ifPresent(h -> h.undefineDomain(name));
      } catch (RuntimeException e) {
        // already gone
      }
    }
  }

  // ------------------------------------------------------------------ the contract

  @Test
  void appliesThenReappliesWithoutMutations() {
    InfrastructureStatus first = engine.apply(topology(2), credentials, recorder);
    assertThat(first.simulated()).isEqualTo(simulated());
    assertThat(first.nodes()).extracting(NodeStatus::change).containsOnly(ResourceChange.CREATED);
    assertThat(first.nodes())
        .extracting(NodeStatus::name)
        .containsExactly(cluster() + "-master-1", cluster() + "-worker-1", cluster() + "-worker-2");
    assertThat(first.mutatingCalls()).isPositive();
    assertThat(ownedDomains()).hasSize(3);
    for (String name : ownedDomains()) {
      Hypervisor.DomainState state = host().domain(name).orElseThrow();
      assertThat(state.active()).as(name + " running").isTrue();
      assertThat(state.autostart()).as(name + " autostart").isTrue();
    }
    assertThat(host().network(cluster() + "-network")).get().matches(n -> n.active());
    assertThat(host().volumeNames(cluster() + "-main-resource-pool"))
        .contains(
            "base_volume",
            cluster() + "-master-1-main-disk",
            cluster() + "-master-1-cloud-init.iso");

    InfrastructureStatus second = engine.apply(topology(2), credentials, recorder);
    assertThat(second.mutatingCalls()).isZero();
    assertThat(second.nodes())
        .extracting(NodeStatus::change)
        .containsOnly(ResourceChange.UNCHANGED);
    if (simulated()) {
      assertThat(events)
          .anyMatch(e -> e.contains("skipped: simulated host, nothing boots"))
          .anyMatch(e -> e.contains("image not transferred"));
    }
  }

  @Test
  void scalesAWorkerOutAndIn() {
    engine.apply(topology(1), credentials, recorder);
    InfrastructureStatus out = engine.apply(topology(2), credentials, recorder);
    assertThat(out.node(cluster() + "-worker-2"))
        .get()
        .extracting(NodeStatus::change)
        .isEqualTo(ResourceChange.CREATED);
    assertThat(out.node(cluster() + "-worker-1"))
        .get()
        .extracting(NodeStatus::change)
        .isEqualTo(ResourceChange.UNCHANGED);

    InfrastructureStatus in = engine.apply(topology(1), credentials, recorder);
    assertThat(in.node(cluster() + "-worker-2"))
        .get()
        .extracting(NodeStatus::change)
        .isEqualTo(ResourceChange.REMOVED);
    assertThat(ownedDomains()).containsExactly(cluster() + "-master-1", cluster() + "-worker-1");
    assertThat(host().volumeNames(cluster() + "-main-resource-pool"))
        .noneMatch(v -> v.startsWith(cluster() + "-worker-2-"));
    assertThat(engine.apply(topology(1), credentials, recorder).mutatingCalls()).isZero();
  }

  @Test
  void inspectionReportsEachDomainsStateAndChangesNothing() {
    Topology topology = topology(1);
    engine.apply(topology, credentials, recorder);
    String master = cluster() + "-master-1";
    String worker = cluster() + "-worker-1";
    long mutations = engine.mutatingCalls();

    assertThat(engine.inspect(topology))
        .singleElement()
        .satisfies(
            h -> {
              assertThat(h.host()).isEqualTo("h1");
              assertThat(h.reachability()).isEqualTo(HostInspection.Reachability.REACHABLE);
              assertThat(h.domains())
                  .containsEntry(master, HostInspection.RUNNING)
                  .containsEntry(worker, HostInspection.RUNNING);
            });

    host().stopDomain(worker);
    assertThat(engine.inspect(topology).get(0).domains().get(worker)).startsWith("shut off (");
    host().undefineDomain(worker);
    assertThat(engine.inspect(topology).get(0).domains())
        .containsEntry(worker, HostInspection.MISSING);
    defineForeign(worker);
    assertThat(engine.inspect(topology).get(0).domains())
        .containsEntry(worker, "not owned by cluster " + cluster())
        .containsEntry(master, HostInspection.RUNNING);
    assertThat(engine.mutatingCalls()).isEqualTo(mutations);
  }

  @Test
  void destroyRemovesEverythingOwnedAndNothingElse() {
    engine.apply(topology(1), credentials, recorder);
    // unowned, and named like one of the cluster's nodes: apply and destroy must leave it alone
    defineForeign(cluster() + "-worker-9");
    defineForeign("someone-elses-vm");
    engine.apply(topology(1), credentials, recorder);
    engine.destroy(topology(1), recorder);

    assertThat(ownedDomains()).isEmpty();
    // The host may be shared (a developer's own VMs): only the test's names are checked.
    assertThat(host().domainNames()).contains(cluster() + "-worker-9", "someone-elses-vm");
    assertThat(host().domainNames())
        .filteredOn(name -> name.startsWith(cluster()))
        .containsExactly(cluster() + "-worker-9");
    assertThat(host().pool(cluster() + "-main-resource-pool")).isEmpty();
    assertThat(host().network(cluster() + "-network")).isEmpty();
  }

  @Test
  void neverAdoptsADomainItDoesNotOwn() {
    engine.apply(topology(0), credentials, recorder); // connects; master only
    defineForeign(cluster() + "-worker-1");
    assertThatThrownBy(() -> engine.apply(topology(1), credentials, recorder))
        .isInstanceOf(ProvisioningException.class)
        .hasMessageContaining("host h1, node " + cluster() + "-worker-1")
        .hasMessageContaining("not owned by any cluster")
        .satisfies(
            e ->
                assertThat(((ProvisioningException) e).nodes())
                    .filteredOn(n -> n.name().equals(cluster() + "-master-1"))
                    .extracting(NodeStatus::change)
                    .containsExactly(ResourceChange.UNCHANGED));
    Hypervisor.DomainState foreignState = host().domain(cluster() + "-worker-1").orElseThrow();
    assertThat(DomainXml.ownership(foreignState.xml())).isEmpty();
    assertThat(foreignState.active()).isFalse();
  }

  @Test
  void aRemovedDataDiskIsDetachedAndItsVolumeDeleted() {
    Topology before = shape(false, true, true, 1, DISKS);
    engine.apply(before, Optional.empty(), credentials, recorder);
    String worker = cluster() + "-worker-1";
    String scratch = worker + "-scratch-data-disk";
    assertThat(host().volumeNames(mainPool())).contains(scratch);

    Topology after = shape(false, true, true, 1, "rook:data");
    InfrastructureStatus removed = engine.apply(after, Optional.of(before), credentials, recorder);
    assertThat(removed.node(worker))
        .get()
        .extracting(NodeStatus::change)
        .isEqualTo(ResourceChange.UPDATED);
    assertThat(host().volumeNames(mainPool())).doesNotContain(scratch);
    assertThat(host().volumeNames(dataPool())).containsExactly(worker + "-rook-data-disk");
    Hypervisor.DomainState domain = host().domain(worker).orElseThrow();
    assertThat(domain.active()).as("restarted").isTrue();
    assertThat(domain.xml()).doesNotContain(scratch).contains(worker + "-rook-data-disk");
    assertThat(events)
        .anyMatch(e -> e.contains("stopped to detach removed data disks"))
        .anyMatch(e -> e.contains("removed data disk " + scratch + " deleted"));
    assertThat(engine.apply(after, Optional.of(after), credentials, recorder).mutatingCalls())
        .isZero();
    engine.destroy(after, recorder);
    assertThat(leftovers("h1")).isEmpty();
  }

  @Test
  void aRemovedDataPoolLosesTheClustersVolumesAndKeepsOtherFiles() {
    Topology before = shape(false, true, true, 1, DISKS);
    engine.apply(before, Optional.empty(), credentials, recorder);
    String worker = cluster() + "-worker-1";
    // not the cluster's: must survive, and keep the pool's directory
    host()
        .createVolume(
            dataPool(),
            VolumeXml.render(VolumePlan.plain(dataPool(), "someone-elses.img", 1024, "raw")));
    Path directory = tmp.resolve("data-pools").resolve(dataPool());

    Topology after = shape(false, true, false, 1, "scratch:main");
    InfrastructureStatus removed = engine.apply(after, Optional.of(before), credentials, recorder);
    assertThat(removed.node(worker))
        .get()
        .extracting(NodeStatus::change)
        .isEqualTo(ResourceChange.UPDATED);
    assertThat(host().pool(dataPool())).isEmpty();
    assertThat(host().domain(worker).orElseThrow().xml()).doesNotContain("-rook-data-disk");
    assertThat(events)
        .anyMatch(
            e ->
                e.contains("pool " + dataPool())
                    && e.contains("; directory " + directory)
                    && e.contains(
                        "kept: it holds 1 file(s) that are not the cluster's"
                            + " (someone-elses.img)"));
    if (!simulated()) {
      assertThat(directory.resolve("someone-elses.img")).exists();
      assertThat(directory.resolve(worker + "-rook-data-disk")).doesNotExist();
    }
    assertThat(engine.apply(after, Optional.of(after), credentials, recorder).mutatingCalls())
        .isZero();
    assertThat(leftovers("h1"))
        .contains("volume " + mainPool() + "/" + worker + "-scratch-data-disk")
        .noneMatch(left -> left.contains(dataPool()) || left.contains("-rook-"));
    engine.destroy(after, recorder);
    assertThat(leftovers("h1")).isEmpty();
  }

  @Test
  void aRemovedDataPoolWaitsWhileANodeOfItsHostFails() {
    Topology before = shape(false, true, true, 1, DISKS);
    engine.apply(before, Optional.empty(), credentials, recorder);
    // worker 1's domain replaced behind the SDK's back by one that is not the cluster's
    String worker = cluster() + "-worker-1";
    host().stopDomain(worker);
    host().undefineDomain(worker);
    defineForeign(worker);
    Topology after = shape(false, true, false, 1, "scratch:main");
    assertThatThrownBy(() -> engine.apply(after, Optional.of(before), credentials, recorder))
        .isInstanceOf(ProvisioningException.class)
        .hasMessageContaining("node " + worker);
    assertThat(host().pool(dataPool())).isPresent();
    assertThat(events)
        .anyMatch(
            e ->
                e.contains("remove pool " + dataPool())
                    && e.contains("skipped: a node of this host failed"));

    host().undefineDomain(worker);
    InfrastructureStatus again = engine.apply(after, Optional.of(before), credentials, recorder);
    assertThat(again.node(worker))
        .get()
        .extracting(NodeStatus::change)
        .isEqualTo(ResourceChange.CREATED);
    assertThat(host().pool(dataPool())).isEmpty();
    events.clear();
    assertThat(engine.apply(after, Optional.of(after), credentials, recorder).mutatingCalls())
        .as("%s", events)
        .isZero();
  }

  @Test
  void aRemovedHostIsClearedOfEverythingTheClusterMadeThere() {
    Topology before = shape(true, true, true, 1, DISKS);
    engine.apply(before, Optional.empty(), credentials, recorder);
    String worker = cluster() + "-worker-1";
    assertThat(leftovers("h1")).contains("domain " + worker, "pool " + dataPool());

    // the worker scaled away and its host removed in one apply
    Topology after = shape(true, false, false, 0, "");
    InfrastructureStatus removed = engine.apply(after, Optional.of(before), credentials, recorder);
    assertThat(removed.node(worker))
        .get()
        .extracting(NodeStatus::change)
        .isEqualTo(ResourceChange.REMOVED);
    assertThat(removed.node(cluster() + "-master-1"))
        .get()
        .extracting(NodeStatus::change)
        .isEqualTo(ResourceChange.UNCHANGED);
    assertThat(leftovers("h1")).isEmpty();
    if (!simulated()) {
      assertThat(tmp.resolve("pools").resolve(mainPool())).doesNotExist();
      assertThat(tmp.resolve("data-pools").resolve(dataPool())).doesNotExist();
    }
    assertThat(engine.apply(after, Optional.of(after), credentials, recorder).mutatingCalls())
        .isZero();
    engine.destroy(after, recorder);
    assertThat(leftovers(SPARE)).isEmpty();
  }

  @Test
  void anAppliedTopologyOfAnotherClusterIsRefused() {
    Topology other =
        Topology.of(
            KubitectYaml.read(
                KubitectYaml.write(shape(false, true, false, 0, "").spec())
                    .replace("name: " + cluster() + "\n", "name: " + cluster() + "-other\n"),
                "other.yaml"));
    assertThatThrownBy(
            () ->
                engine.apply(
                    shape(false, true, false, 0, ""), Optional.of(other), credentials, recorder))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the applied topology is of cluster "
                + cluster()
                + "-other, not "
                + cluster()
                + ": pass the topology this cluster applied last");
    assertThat(engine.mutatingCalls()).isZero();
  }

  Optional<String> unused() {
    return Optional.empty();
  }
}
