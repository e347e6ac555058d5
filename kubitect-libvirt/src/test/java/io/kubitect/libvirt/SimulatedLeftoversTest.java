package io.kubitect.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubitect.core.SpecValidator;
import io.kubitect.core.spi.ClusterCredentials;
import io.kubitect.core.spi.SshKeyPair;
import io.kubitect.core.spi.StepListener;
import io.kubitect.core.spi.Topology;
import io.kubitect.model.ClusterSpec;
import io.kubitect.model.KubitectYaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A simulated provisioner leaves nothing in the temporary directory: not after an apply while it is
 * still open (callers such as a command-line app may never close it), not after close. Other
 * processes may create and remove files there meanwhile, so only what this test can tell is its own
 * counts: files named with this process's id, and directories holding this test's host file.
 */
class SimulatedLeftoversTest {
  private static final Path TMP = Path.of(System.getProperty("java.io.tmpdir"));
  private static final String HOST = "leftover-" + ProcessHandle.current().pid();

  @Test
  void aSimulatedProvisionerLeavesNothingInTheTemporaryDirectory(@TempDir Path keys)
      throws IOException {
    Set<Path> before = entries();
    Topology topology = topology();
    ClusterCredentials credentials = credentials(topology, keys);

    LibvirtProvisioner provisioner = LibvirtProvisioner.builder().simulated().build();
    assertThat(ours(before)).as("after build").isEmpty();
    provisioner.apply(topology, credentials, StepListener.NONE);
    assertThat(provisioner.apply(topology, credentials, StepListener.NONE).mutatingCalls())
        .as("the simulated host keeps its state while open")
        .isZero();
    assertThat(ours(before)).as("after apply, not closed").isEmpty();
    provisioner.close();
    assertThat(ours(before)).as("after close").isEmpty();
  }

  private static Set<Path> entries() throws IOException {
    try (Stream<Path> files = Files.list(TMP)) {
      return new HashSet<>(
          files.filter(p -> p.getFileName().toString().startsWith("kubitect-simulated")).toList());
    }
  }

  /** New entries that are this process's or hold this test's host file. */
  private static List<Path> ours(Set<Path> before) throws IOException {
    List<Path> found = new ArrayList<>();
    String pid = "kubitect-simulated-" + ProcessHandle.current().pid() + "-";
    for (Path entry : entries()) {
      if (before.contains(entry)) {
        continue;
      }
      if (entry.getFileName().toString().startsWith(pid)
          || Files.exists(entry.resolve(HOST + ".xml"))) {
        found.add(entry);
      }
    }
    return found;
  }

  private static Topology topology() {
    String yaml =
        """
        hosts:
          - name: %s
            connection:
              type: local
        cluster:
          name: leftovers
          network:
            mode: nat
            cidr: 10.41.0.0/24
          nodeTemplate:
            os:
              distro: ubuntu22
          nodes:
            master:
              instances:
                - id: 1
                  ip: 10.41.0.10
        kubernetes:
          version: v1.33.4
        """
            .formatted(HOST);
    ClusterSpec spec = KubitectYaml.read(yaml, "leftovers.yaml");
    assertThat(SpecValidator.validate(spec).errors()).isEmpty();
    return Topology.of(spec);
  }

  private static ClusterCredentials credentials(Topology topology, Path dir) {
    Map<String, SshKeyPair> hostKeys = new HashMap<>();
    topology.nodes().forEach(n -> hostKeys.put(n.name(), SshKeyPair.generateEd25519(n.name())));
    return new ClusterCredentials(
        dir.resolve("id_ed25519"),
        SshKeyPair.generateEd25519("kubitect").publicKey(),
        hostKeys,
        dir.resolve("known_hosts"));
  }
}
