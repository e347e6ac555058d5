package io.kubitect.libvirt;

import io.kubitect.core.spi.ClusterCredentials;
import io.kubitect.core.spi.InfrastructureStatus;
import io.kubitect.core.spi.Node;
import io.kubitect.core.spi.SshKeyPair;
import io.kubitect.core.spi.StepListener;
import io.kubitect.core.spi.Topology;
import io.kubitect.model.ClusterSpec;
import io.kubitect.model.KubitectYaml;
import io.kubitect.model.LoadBalancerInstance;
import io.kubitect.model.NodeInstance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Benchmark behind {@code bench/libvirt-apply}: applies a topology (default: examples/ha.yaml, 8
 * VMs on 5 hosts) to simulated hosts with a delay injected into every libvirt call, then the
 * busiest host's share alone, then the whole topology one call at a time. Prints the figures; the
 * last line is machine-readable.
 */
public final class LibvirtApplyBench {
  private LibvirtApplyBench() {}

  public static void main(String[] args) throws Exception {
    Path specFile = Path.of(args.length > 0 ? args[0] : "examples/ha.yaml");
    Duration delay = Duration.ofMillis(args.length > 1 ? Long.parseLong(args[1]) : 20);
    ClusterSpec spec = KubitectYaml.read(specFile);
    Topology topology = Topology.of(spec);
    ClusterCredentials credentials = credentials(topology);
    int vms = topology.nodes().size();

    // warm-up (JIT, JNA, libvirt's test driver), no delay
    for (int i = 0; i < 3; i++) {
      try (LibvirtProvisioner warm = LibvirtProvisioner.builder().simulated().build()) {
        warm.apply(topology, credentials, StepListener.NONE);
      }
    }
    long fast;
    try (LibvirtProvisioner undelayed = LibvirtProvisioner.builder().simulated().build()) {
      long start = System.nanoTime();
      undelayed.apply(topology, credentials, StepListener.NONE);
      fast = System.nanoTime() - start;
    }

    long wallNanos;
    long calls;
    int reapplyMutations;
    try (LibvirtProvisioner provisioner = simulated(delay, 4, 64)) {
      long start = System.nanoTime();
      provisioner.apply(topology, credentials, StepListener.NONE);
      wallNanos = System.nanoTime() - start;
      calls = provisioner.libvirtCalls();
      InfrastructureStatus again = provisioner.apply(topology, credentials, StepListener.NONE);
      reapplyMutations = again.mutatingCalls();
      System.out.printf(
          Locale.ROOT,
          "re-apply: %d calls, %d mutating%n",
          provisioner.libvirtCalls() - calls,
          reapplyMutations);
    }

    Map<String, Long> perHost = new HashMap<>();
    topology.nodes().forEach(n -> perHost.merge(n.host(), 1L, Long::sum));
    String busiest =
        topology.hosts().stream()
            .map(h -> h.name().orElseThrow())
            .max((a, b) -> Long.compare(perHost.getOrDefault(a, 0L), perHost.getOrDefault(b, 0L)))
            .orElseThrow();
    Topology alone = Topology.of(only(spec, busiest));
    long busiestNanos;
    try (LibvirtProvisioner provisioner = simulated(delay, 4, 64)) {
      long start = System.nanoTime();
      provisioner.apply(alone, credentials, StepListener.NONE);
      busiestNanos = System.nanoTime() - start;
      System.out.printf(
          Locale.ROOT,
          "busiest host %s alone: %d VMs, %d calls%n",
          busiest,
          alone.nodes().size(),
          provisioner.libvirtCalls());
    }

    long serialNanos;
    try (LibvirtProvisioner provisioner = simulated(delay, 1, 1)) {
      long start = System.nanoTime();
      provisioner.apply(topology, credentials, StepListener.NONE);
      serialNanos = System.nanoTime() - start;
      System.out.printf(Locale.ROOT, "one call at a time: %d calls%n", provisioner.libvirtCalls());
    }

    long wallMs = wallNanos / 1_000_000;
    long busiestMs = busiestNanos / 1_000_000;
    long serialMs = serialNanos / 1_000_000;
    System.out.printf(
        Locale.ROOT,
        "topology %s: %d VMs on %d hosts, %d ms per libvirt call injected%n",
        specFile,
        vms,
        topology.hosts().size(),
        delay.toMillis());
    System.out.printf(
        Locale.ROOT,
        "whole apply without delay: %.1f ms (%.2f ms per VM)%n",
        fast / 1e6,
        fast / 1e6 / vms);
    System.out.printf(
        Locale.ROOT, "whole apply: %d calls (%.1f per VM)%n", calls, (double) calls / vms);
    System.out.printf(
        Locale.ROOT,
        "libvirt-apply: calls_per_vm=%d wall_ms=%d busiest_host_ms=%d serial_ms=%d"
            + " ratio_busiest=%.2f speedup_vs_serial=%.2f reapply_mutations=%d%n",
        Math.round((double) calls / vms),
        wallMs,
        busiestMs,
        serialMs,
        (double) wallNanos / busiestNanos,
        (double) serialNanos / wallNanos,
        reapplyMutations);
  }

  private static LibvirtProvisioner simulated(Duration delay, int calls, int hosts) {
    return LibvirtProvisioner.builder()
        .simulated()
        .callDelay(delay)
        .callsInFlightPerHost(calls)
        .hostsInParallel(hosts)
        .build();
  }

  /** The specification reduced to one host and the nodes on it. */
  private static ClusterSpec only(ClusterSpec spec, String host) {
    ClusterSpec resolved = spec.resolveDefaults();
    var nodes = resolved.cluster().nodes();
    Function<List<NodeInstance>, List<NodeInstance>> keep =
        list -> list.stream().filter(i -> i.host().orElse("").equals(host)).toList();
    List<LoadBalancerInstance> lbs =
        nodes.loadBalancer().instances().stream()
            .filter(i -> i.host().orElse("").equals(host))
            .toList();
    return resolved
        .withHosts(resolved.hosts().stream().filter(h -> h.name().orElse("").equals(host)).toList())
        .withCluster(
            resolved
                .cluster()
                .withNodes(
                    nodes
                        .withLoadBalancer(nodes.loadBalancer().withInstances(lbs))
                        .withMaster(
                            nodes.master().withInstances(keep.apply(nodes.master().instances())))
                        .withWorker(
                            nodes.worker().withInstances(keep.apply(nodes.worker().instances())))));
  }

  private static ClusterCredentials credentials(Topology topology) throws Exception {
    Map<String, SshKeyPair> keys = new HashMap<>();
    for (Node node : topology.nodes()) {
      keys.put(node.name(), SshKeyPair.generateEd25519(node.name()));
    }
    Path dir = Files.createTempDirectory("kubitect-bench");
    dir.toFile().deleteOnExit();
    return new ClusterCredentials(
        dir.resolve("id_ed25519"),
        SshKeyPair.generateEd25519("bench").publicKey(),
        keys,
        dir.resolve("known_hosts"));
  }
}
