package io.kubitect.kubespray.internal;

import io.kubitect.core.NodeStatus;
import io.kubitect.core.ResourceChange;
import io.kubitect.core.spi.ClusterCredentials;
import io.kubitect.core.spi.InfrastructureStatus;
import io.kubitect.core.spi.KubernetesInstaller;
import io.kubitect.core.spi.Node;
import io.kubitect.core.spi.SshKeyPair;
import io.kubitect.core.spi.StepListener;
import io.kubitect.core.spi.Topology;
import io.kubitect.kubespray.KubesprayInstaller;
import io.kubitect.model.KubitectYaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Scale-up by one worker against a full {@code cluster.yml} run, for a cluster of 3 masters and N
 * workers (N = 3 and N = 9), on OpenSSH servers in network namespaces with the stand-in Kubespray
 * tree. For each N: create the cluster (3 masters + N workers, not measured), then scale up by one
 * worker (measured: wall time of the installer call, hosts with a marker), then run the full {@code
 * cluster.yml} on the grown cluster (measured likewise). Run by {@code bench/kubespray-scale};
 * needs root. The last line printed is the summary the script's callers parse.
 */
public final class KubesprayScaleBenchmark {
  private static final String CLUSTER = "bench";

  private KubesprayScaleBenchmark() {}

  /** Runs the benchmark; {@code args} may name the worker counts (default 3 9). */
  public static void main(String[] args) throws Exception {
    List<Integer> sizes = new ArrayList<>();
    for (String a : args) {
      sizes.add(Integer.parseInt(a));
    }
    if (sizes.isEmpty()) {
      sizes = List.of(3, 9);
    }
    int maxWorkers = sizes.stream().mapToInt(Integer::intValue).max().orElseThrow() + 1;
    Path temp = Files.createTempDirectory("kubespray-scale");
    SshKeyPair nodeKey = SshKeyPair.generateEd25519("bench");
    Path key = temp.resolve("id_ed25519");
    Files.createFile(
        key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(key, nodeKey.privateKey());
    Map<String, String> summary = new LinkedHashMap<>();
    try (NamespaceHosts net =
        new NamespaceHosts(Files.createDirectories(temp.resolve("hosts")), nodeKey.publicKey())) {
      for (int m = 1; m <= 3; m++) {
        net.add(CLUSTER + "-master-" + m);
      }
      for (int w = 1; w <= maxWorkers; w++) {
        net.add(CLUSTER + "-worker-" + w);
      }
      Map<String, SshKeyPair> hostKeys = new HashMap<>();
      List<String> known = new ArrayList<>();
      for (NamespaceHosts.Host h : net.hosts()) {
        hostKeys.put(h.name, h.hostKey);
        known.add(h.knownHostsLine());
      }
      Path knownHosts = temp.resolve("known_hosts");
      Files.writeString(knownHosts, String.join("\n", known) + "\n");
      ClusterCredentials credentials =
          new ClusterCredentials(key, nodeKey.publicKey(), hostKeys, knownHosts);
      Path standIn = StandInKubespray.create(temp.resolve("kubespray-standin"), "v2.29.0");
      KubesprayInstaller installer =
          KubesprayInstaller.builder()
              .cacheDirectory(temp.resolve("cache"))
              .ansible(KubesprayInstaller.Ansible.PATH)
              .build();

      for (int n : sizes) {
        Path work = Files.createDirectories(temp.resolve("cluster-n" + n));
        Topology before = topology(net, standIn, n);
        Topology after = topology(net, standIn, n + 1);
        String newWorker = CLUSTER + "-worker-" + (n + 1);
        System.out.printf(
            Locale.ROOT, "kubespray-scale: N=%d: creating 3 masters + %d workers%n", n, n);
        run(
            installer,
            KubernetesInstaller.Action.CREATE,
            before,
            credentials,
            List.of(),
            work,
            net);

        Measure scale =
            run(
                installer,
                KubernetesInstaller.Action.SCALE_UP,
                after,
                credentials,
                List.of(newWorker),
                work,
                net);
        System.out.printf(
            Locale.ROOT,
            "kubespray-scale: N=%d scale-up by one worker: %d hosts touched %s in %d ms%n",
            n,
            scale.hosts().size(),
            scale.hosts(),
            scale.millis());
        Measure full =
            run(
                installer,
                KubernetesInstaller.Action.CREATE,
                after,
                credentials,
                List.of(),
                work,
                net);
        System.out.printf(
            Locale.ROOT,
            "kubespray-scale: N=%d full cluster.yml: %d hosts touched in %d ms; scale/full time"
                + " ratio %.2f%n",
            n,
            full.hosts().size(),
            full.millis(),
            full.millis() == 0 ? 0.0 : (double) scale.millis() / full.millis());
        summary.put("full_hosts_n" + n, Integer.toString(full.hosts().size()));
        summary.put("scale_hosts_n" + n, Integer.toString(scale.hosts().size()));
        summary.put("full_ms_n" + n, Long.toString(full.millis()));
        summary.put("scale_ms_n" + n, Long.toString(scale.millis()));
      }
    } finally {
      delete(temp);
    }
    List<String> order = new ArrayList<>();
    for (int n : sizes) {
      for (String k : List.of("full_hosts_n", "scale_hosts_n", "full_ms_n", "scale_ms_n")) {
        order.add(k + n + "=" + summary.get(k + n));
      }
    }
    System.out.println("kubespray-scale: " + String.join(" ", order));
  }

  record Measure(TreeSet<String> hosts, long millis) {}

  private static Measure run(
      KubesprayInstaller installer,
      KubernetesInstaller.Action action,
      Topology topology,
      ClusterCredentials credentials,
      List<String> nodes,
      Path work,
      NamespaceHosts net)
      throws IOException {
    Map<String, Integer> before = markerCounts(net);
    long start = System.nanoTime();
    installer.install(
        new KubernetesInstaller.Request(
            action, topology, infrastructure(topology), credentials, nodes, work),
        StepListener.NONE);
    long millis = (System.nanoTime() - start) / 1_000_000;
    TreeSet<String> touched = new TreeSet<>();
    markerCounts(net)
        .forEach(
            (host, count) -> {
              if (count > before.getOrDefault(host, 0)) {
                touched.add(host);
              }
            });
    return new Measure(touched, millis);
  }

  private static Map<String, Integer> markerCounts(NamespaceHosts net) throws IOException {
    Map<String, Integer> counts = new HashMap<>();
    for (NamespaceHosts.Host h : net.hosts()) {
      Path file = h.etc().resolve(StandInKubespray.MARKERS);
      counts.put(h.name, Files.exists(file) ? Files.readAllLines(file).size() : 0);
    }
    return counts;
  }

  private static Topology topology(NamespaceHosts net, Path standIn, int workers) {
    StringBuilder yaml = new StringBuilder();
    yaml.append(
        """
        hosts:
          - name: localhost
            connection:
              type: local
        cluster:
          name: %s
          network:
            mode: nat
            cidr: %s.0/24
          nodeTemplate:
            user: root
          nodes:
            loadBalancer:
              vip: %s
              instances:
                - id: 1
                  ip: %s
            master:
              instances:
        """
            .formatted(CLUSTER, net.subnet(), net.spareAddress(250), net.spareAddress(240)));
    for (int m = 1; m <= 3; m++) {
      yaml.append("        - id: ").append(m).append('\n');
      yaml.append("          ip: ").append(net.host(CLUSTER + "-master-" + m).ip).append('\n');
    }
    yaml.append("    worker:\n      instances:\n");
    for (int w = 1; w <= workers; w++) {
      yaml.append("        - id: ").append(w).append('\n');
      yaml.append("          ip: ").append(net.host(CLUSTER + "-worker-" + w).ip).append('\n');
    }
    yaml.append(
        """
        kubernetes:
          version: v1.33.4
          kubespray:
            url: %s
            version: v2.29.0
        """
            .formatted(standIn));
    return Topology.of(KubitectYaml.read(yaml.toString(), "benchmark"));
  }

  private static InfrastructureStatus infrastructure(Topology topology) {
    List<NodeStatus> nodes = new ArrayList<>();
    for (Node n : topology.nodes()) {
      nodes.add(
          new NodeStatus(
              n.name(),
              "localhost",
              n.ip(),
              Optional.empty(),
              ResourceChange.UNCHANGED,
              true,
              Optional.empty()));
    }
    return new InfrastructureStatus(nodes, false, 0);
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
