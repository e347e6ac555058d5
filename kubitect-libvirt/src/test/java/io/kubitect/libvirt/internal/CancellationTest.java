package io.kubitect.libvirt.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The cancellation contract on simulated hosts (libvirt's test driver), 20 runs per scenario, with
 * 3 ms added to every libvirt call and 5 ms to every connect (the hosts connect in parallel), so
 * the interrupt lands between or during calls and connects; and on hosts that upload.
 */
class CancellationTest extends CancellationContract {
  @Override
  int runs() {
    return 20;
  }

  @Override
  Settings settings() {
    return new Settings(
        Map.of(),
        true,
        Optional.of(tmp.resolve("hosts")),
        tmp.resolve("known_hosts"),
        4,
        8,
        Optional.empty(),
        Duration.ofSeconds(5),
        Duration.ofMillis(100),
        Optional.empty(),
        tmp.resolve("cache"),
        Duration.ofMillis(3),
        Duration.ofMillis(5),
        tmp);
  }

  /**
   * Three hosts with a NAT network each, a data pool on one, nodes with and without an IP, data
   * disks in the main and the data pool; without {@code allWorkers}, workers 1 and 3 are gone. The
   * image is a raw file of 640 KiB: ten upload chunks of the uploading hosts.
   */
  @Override
  String yaml(boolean allWorkers) throws IOException {
    Path image = tmp.resolve("image.raw");
    if (!Files.exists(image)) {
      Files.write(image, new byte[640 * 1024]);
    }
    return """
        hosts:
          - name: h1
            connection: {type: remote, user: k, ip: 10.10.0.5, ssh: {keyfile: "~/.ssh/id_c"}}
          - name: h2
            connection: {type: remote, user: k, ip: 10.10.0.6, ssh: {keyfile: "~/.ssh/id_c"}}
            dataResourcePools:
              - {name: data, path: /mnt/pools/}
          - name: h3
            connection: {type: remote, user: k, ip: 10.10.0.7, ssh: {keyfile: "~/.ssh/id_c"}}
        cluster:
          name: cancel
          network: {mode: nat, cidr: 10.40.0.0/24}
          nodeTemplate:
            os: {source: %s, networkInterface: ens3}
          nodes:
            loadBalancer:
              vip: 10.40.0.200
              instances:
                - {id: 1, ip: 10.40.0.201, host: h1}
            master:
              default: {cpu: 1, ram: 1, mainDiskSize: 8}
              instances:
                - {id: 1, ip: 10.40.0.10, host: h1}
                - {id: 2, ip: 10.40.0.11, host: h2}
                - {id: 3, ip: 10.40.0.12, host: h3}
            worker:
              default: {cpu: 1, ram: 1, mainDiskSize: 8}
              instances:
        %s        - {id: 2, ip: 10.40.0.21, host: h3}
        %skubernetes:
          version: v1.33.4
        """
        .formatted(
            image,
            allWorkers
                ? "        - {id: 1, ip: 10.40.0.20, host: h2, dataDisks: [{name: rook, pool: data,"
                    + " size: 4}, {name: scratch, size: 1}]}\n"
                : "",
            allWorkers ? "        - {id: 3, host: h1}\n" : "");
  }

  /**
   * The same on hosts that upload (a stand-in for a real libvirtd over the test driver): the base
   * image and the cloud-init seeds are streamed in chunks, so a cancel lands mid-upload too, and
   * every uploaded volume must hold all its bytes after the next apply.
   */
  @Test
  void cancelledUploadsAreNeverMistakenForCompleteVolumes() throws Exception {
    Report report = runs("uploading hosts", Uploading::wrap);
    assertThat(report.failures).as(report.summary()).isEmpty();
  }
}
