package io.kubitect.kubespray.internal;

import io.kubitect.core.spi.InfrastructureStatus;
import io.kubitect.core.spi.Topology;
import io.kubitect.model.KubesprayReleases;
import io.kubitect.model.KubitectYaml;
import io.kubitect.model.SpecFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * For {@code bench/kubespray-acceptance}: renders what {@code KubesprayInstaller} would hand
 * Kubespray for a specification, through the same {@link Inventory} code, into a directory:
 *
 * <ul>
 *   <li>{@code inventory/}: the inventory and group variables, exactly as an install writes them
 *       (every node at its specification address, as the provisioner reports static addresses);
 *   <li>{@code extra-vars.yml}: the extra variables every playbook run gets;
 *   <li>{@code facts.env}: {@code KEY=VALUE} lines the bench needs (releases, user, nodes).
 * </ul>
 *
 * Usage: {@code AcceptanceRender SPEC_FILE OUT_DIR}; bad input ends with one line on stderr and
 * exit status 2.
 */
public final class AcceptanceRender {
  private AcceptanceRender() {}

  /** Entry point: see the class comment. */
  public static void main(String[] args) {
    try {
      System.out.println(render(List.of(args)));
    } catch (IllegalArgumentException | SpecFormatException | UncheckedIOException e) {
      System.err.println("kubespray-acceptance: " + e.getMessage());
      System.exit(2);
    }
  }

  /** Renders {@code args} = SPEC_FILE OUT_DIR; returns what was written. */
  static String render(List<String> args) {
    if (args.size() != 2 || args.get(0).isBlank() || args.get(1).isBlank()) {
      throw new IllegalArgumentException("usage: AcceptanceRender SPEC_FILE OUT_DIR");
    }
    Path spec = Path.of(args.get(0));
    Path out = Path.of(args.get(1)).toAbsolutePath().normalize();
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new IllegalArgumentException("output " + out + " exists and is not a directory");
    }
    Topology topology = Topology.of(KubitectYaml.read(spec));
    InfrastructureStatus infrastructure = TestSpecs.infrastructure(topology, Map.of());
    Inventory inventory = Inventory.of(topology, infrastructure, List.of());
    inventory.write(out.resolve("inventory"));
    StringBuilder facts = new StringBuilder();
    facts.append("SPEC_RELEASE=").append(topology.kubernetes().kubesprayVersion()).append('\n');
    facts.append("DEFAULT_RELEASE=").append(KubesprayReleases.DEFAULT_VERSION).append('\n');
    facts
        .append("DEFAULT_RELEASE_KUBERNETES=")
        .append(
            KubesprayReleases.find(KubesprayReleases.DEFAULT_VERSION)
                .orElseThrow()
                .defaultKubernetesVersion())
        .append('\n');
    facts.append("KUBE_VERSION=").append(inventory.kubeVersion()).append('\n');
    facts.append("NODE_USER=").append(topology.nodeAccess().user()).append('\n');
    facts
        .append("INVENTORY_HOSTS=")
        .append(String.join(",", inventory.hosts().stream().map(Inventory.Host::name).toList()))
        .append('\n');
    facts
        .append("KUBERNETES_NODES=")
        .append(String.join(",", inventory.kubernetesHosts()))
        .append('\n');
    try {
      Files.writeString(out.resolve("extra-vars.yml"), Yaml.write(inventory.extraVariables()));
      Files.writeString(out.resolve("facts.env"), facts.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to " + out + ": " + e.getMessage(), e);
    }
    return "rendered " + spec + " into " + out + " (" + inventory.hosts().size() + " hosts)";
  }
}
