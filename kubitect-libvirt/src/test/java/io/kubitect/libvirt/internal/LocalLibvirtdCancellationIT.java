package io.kubitect.libvirt.internal;

import io.kubitect.core.spi.NodeReadinessProbe;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * The cancellation contract on the machine's real libvirtd ({@code qemu:///system}, QEMU without
 * KVM): real pool directories, volumes on disk, uploads over libvirt streams, a NAT network with
 * dnsmasq, domains started under TCG from a tiny image; readiness seen by a probe that only checks
 * the wiring. No delay is added: real calls take their own time.
 */
class LocalLibvirtdCancellationIT extends CancellationContract {
  @BeforeAll
  static void libvirtd() {
    Libvirtd.require();
  }

  @AfterEach
  void cleanUp() {
    try (Engine engine = new Engine(settings())) {
      engine.destroy(topology(), io.kubitect.core.spi.StepListener.NONE);
    } catch (RuntimeException e) {
      // best effort: the test reported what matters
    }
  }

  @Override
  int runs() {
    return Integer.getInteger("kubitect.cancel.runs", 10);
  }

  @Override
  Settings settings() {
    NodeReadinessProbe wiring = (node, ip, credentials) -> NodeReadinessProbe.Readiness.isReady();
    return new Settings(
        Map.of(),
        false,
        Optional.empty(),
        tmp.resolve("known_hosts"),
        4,
        8,
        Optional.of(wiring),
        Duration.ofSeconds(30),
        Duration.ofMillis(200),
        Optional.of("qemu"),
        tmp.resolve("cache"),
        Duration.ZERO,
        tmp);
  }

  /** One local host, a data pool, three nodes (one with data disks in both pools). */
  @Override
  String yaml(boolean allWorkers) throws IOException {
    return """
        hosts:
          - name: local
            connection: {type: local}
            mainResourcePoolPath: %s
            dataResourcePools:
              - {name: data, path: %s}
        cluster:
          name: ct-cancel
          network: {mode: nat, cidr: 10.236.0.0/24}
          nodeTemplate:
            os: {source: %s, networkInterface: ens3}
          nodes:
            master:
              default: {cpu: 1, ram: 1, mainDiskSize: 1}
              instances:
                - {id: 1, ip: 10.236.0.10}
            worker:
              default: {cpu: 1, ram: 1, mainDiskSize: 1}
              instances:
        %s        - {id: 2, ip: 10.236.0.21}
        kubernetes:
          version: v1.33.4
        """
        .formatted(
            tmp.resolve("pools"),
            tmp.resolve("data"),
            Libvirtd.tinyImage(tmp.resolve("image")),
            allWorkers
                ? "        - {id: 1, ip: 10.236.0.20, dataDisks: [{name: rook, pool: data, size: 1},"
                    + " {name: scratch, size: 1}]}\n"
                : "");
  }
}
