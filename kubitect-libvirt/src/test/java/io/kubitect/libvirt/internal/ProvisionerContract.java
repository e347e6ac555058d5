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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
  void start() {
    engine = new Engine(settings());
    credentials = Fixtures.generatedCredentials(topology(3), tmp);
  }

  @AfterEach
  void stop() {
    try {
      engine.destroy(topology(3), StepListener.NONE);
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

  Optional<String> unused() {
    return Optional.empty();
  }
}
