package io.kubitect.kubespray.internal;

import io.kubitect.core.NodeStatus;
import io.kubitect.core.ResourceChange;
import io.kubitect.core.spi.InfrastructureStatus;
import io.kubitect.core.spi.Node;
import io.kubitect.core.spi.Topology;
import io.kubitect.model.KubitectYaml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Specifications the tests render: the repository's examples and this module's test specs. */
final class TestSpecs {
  private TestSpecs() {}

  /** The repository root (the directory holding {@code examples/ha.yaml}). */
  static Path repositoryRoot() {
    @Nullable Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("examples/ha.yaml"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException(
          "repository root not found above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  /** An example of the repository ({@code ha.yaml}) or a spec of this module's test resources. */
  static Topology topology(String name) {
    Path example = repositoryRoot().resolve("examples").resolve(name);
    Path file =
        Files.exists(example)
            ? example
            : repositoryRoot().resolve("kubitect-kubespray/src/test/resources/specs").resolve(name);
    return Topology.of(KubitectYaml.read(file));
  }

  /** Infrastructure status with every node ready at its configured address, plus {@code dhcp}. */
  static InfrastructureStatus infrastructure(Topology topology, Map<String, String> dhcp) {
    List<NodeStatus> nodes = new ArrayList<>();
    for (Node n : topology.nodes()) {
      Optional<String> ip = n.ip().or(() -> Optional.ofNullable(dhcp.get(n.name())));
      nodes.add(
          new NodeStatus(
              n.name(), n.host(), ip, n.mac(), ResourceChange.UNCHANGED, true, Optional.empty()));
    }
    return new InfrastructureStatus(nodes, false, 0);
  }
}
