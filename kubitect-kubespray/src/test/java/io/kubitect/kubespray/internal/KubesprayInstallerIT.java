package io.kubitect.kubespray.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubitect.core.NodeStatus;
import io.kubitect.core.ResourceChange;
import io.kubitect.core.spi.ClusterCredentials;
import io.kubitect.core.spi.InfrastructureStatus;
import io.kubitect.core.spi.InstallationException;
import io.kubitect.core.spi.KubernetesInstaller;
import io.kubitect.core.spi.Node;
import io.kubitect.core.spi.SshKeyPair;
import io.kubitect.core.spi.Topology;
import io.kubitect.kubespray.KubesprayInstaller;
import io.kubitect.model.ClusterSpec;
import io.kubitect.model.DataDisk;
import io.kubitect.model.KubitectYaml;
import io.kubitect.model.NodeInstance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The installer with real {@code ansible-playbook} against real OpenSSH servers in network
 * namespaces, running a stand-in Kubespray release (see {@link StandInKubespray}). One cluster goes
 * through create, scale-up, scale-down and upgrade; then failures: a failing task, a cancelled run
 * and a host whose key changed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubesprayInstallerIT {
  static final String CLUSTER = "ks";

  @TempDir static Path temp;
  static NamespaceHosts net;
  static Path standIn;
  static SshKeyPair nodeKey;
  static ClusterCredentials credentials;
  static KubesprayInstaller installer;
  static Path work;

  @BeforeAll
  static void setUp() throws IOException {
    Requirements.requireNamespaces();
    Requirements.requireCommand("ansible-playbook");
    Requirements.requireCommand("git");
    nodeKey = SshKeyPair.generateEd25519("kubitect@" + CLUSTER);
    Path key = temp.resolve("id_ed25519");
    Files.createFile(
        key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(key, nodeKey.privateKey());
    net = new NamespaceHosts(Files.createDirectories(temp.resolve("hosts")), nodeKey.publicKey());
    for (String n : List.of("master-1", "worker-1", "worker-2", "worker-3")) {
      net.add(CLUSTER + "-" + n);
    }
    credentials = credentials(key, temp.resolve("known_hosts"));
    standIn = StandInKubespray.create(temp.resolve("kubespray-standin"), "v2.29.0");
    installer =
        KubesprayInstaller.builder()
            .cacheDirectory(temp.resolve("cache"))
            .ansible(KubesprayInstaller.Ansible.PATH)
            .playbookTimeout(Duration.ofMinutes(5))
            .build();
    work = Files.createDirectories(temp.resolve("cluster-" + CLUSTER));
  }

  /** Credentials whose known_hosts lists every host's current key. */
  static ClusterCredentials credentials(Path key, Path knownHosts) throws IOException {
    Map<String, SshKeyPair> hostKeys = new HashMap<>();
    List<String> lines = new ArrayList<>();
    for (NamespaceHosts.Host h : net.hosts()) {
      hostKeys.put(h.name, h.hostKey);
      lines.add(h.knownHostsLine());
    }
    Files.writeString(knownHosts, String.join("\n", lines) + "\n");
    return new ClusterCredentials(key, nodeKey.publicKey(), hostKeys, knownHosts);
  }

  @AfterAll
  static void tearDown() {
    if (net != null) {
      net.close();
    }
  }

  /** The cluster's specification with these workers (ids) and addons.kubespray entries. */
  static Topology topology(List<Integer> workers, String version, Map<String, Object> addons) {
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
                - id: 1
                  ip: %s
            worker:
              default:
                labels:
                  tier: app
                taints:
                  - "dedicated=app:PreferNoSchedule"
              instances:
        """
            .formatted(
                CLUSTER,
                net.subnet(),
                net.spareAddress(250),
                net.spareAddress(240),
                net.host(CLUSTER + "-master-1").ip));
    for (int id : workers) {
      yaml.append("        - id: ").append(id).append('\n');
      yaml.append("          ip: ").append(net.host(CLUSTER + "-worker-" + id).ip).append('\n');
      yaml.append("          labels:\n            worker-id: \"").append(id).append("\"\n");
    }
    yaml.append(
        """
        kubernetes:
          version: %s
          networkPlugin: calico
          kubespray:
            url: %s
            version: v2.29.0
        """
            .formatted(version, standIn));
    if (!addons.isEmpty()) {
      yaml.append("addons:\n  kubespray:\n");
      addons.forEach((k, v) -> yaml.append("    ").append(k).append(": ").append(v).append('\n'));
    }
    return Topology.of(KubitectYaml.read(yaml.toString(), "test"));
  }

  static Topology topology(List<Integer> workers) {
    return topology(workers, "v1.33.4", Map.of());
  }

  /** Every node of the topology ready at its address, plus {@code alsoRunning} (being removed). */
  static InfrastructureStatus infrastructure(Topology topology, String... alsoRunning) {
    List<NodeStatus> nodes = new ArrayList<>();
    for (Node n : topology.nodes()) {
      nodes.add(status(n.name(), n.ip().orElseThrow()));
    }
    for (String name : alsoRunning) {
      nodes.add(status(name, net.host(name).ip));
    }
    return new InfrastructureStatus(nodes, false, 0);
  }

  private static NodeStatus status(String name, String ip) {
    return new NodeStatus(
        name,
        "localhost",
        Optional.of(ip),
        Optional.empty(),
        ResourceChange.UNCHANGED,
        true,
        Optional.empty());
  }

  static Optional<Path> install(
      KubernetesInstaller.Action action,
      Topology topology,
      InfrastructureStatus infra,
      List<String> nodes,
      RecordingListener listener) {
    return installer.install(
        new KubernetesInstaller.Request(action, topology, infra, credentials, nodes, work),
        listener);
  }

  /** Marker lines per host so far. */
  static Map<String, List<String>> markers() throws IOException {
    Map<String, List<String>> all = new LinkedHashMap<>();
    for (NamespaceHosts.Host h : net.hosts()) {
      Path file = h.etc().resolve(StandInKubespray.MARKERS);
      all.put(h.name, Files.exists(file) ? Files.readAllLines(file) : List.of());
    }
    return all;
  }

  /** Marker lines added since {@code before}, per host that got any. */
  static Map<String, List<String>> added(Map<String, List<String>> before) throws IOException {
    Map<String, List<String>> added = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> e : markers().entrySet()) {
      List<String> old = before.getOrDefault(e.getKey(), List.of());
      List<String> now = e.getValue();
      if (now.size() > old.size()) {
        added.put(e.getKey(), now.subList(old.size(), now.size()));
      }
    }
    return added;
  }

  static String ip(String node) {
    return net.host(CLUSTER + "-" + node).ip;
  }

  @Test
  @Order(1)
  void createTouchesEveryNodeFetchesTheKubeconfigAndReportsProgressInOrder() throws Exception {
    Map<String, List<String>> before = markers();
    RecordingListener listener = new RecordingListener();
    Topology topology = topology(List.of(1, 2));

    Optional<Path> kubeconfig =
        install(
            KubernetesInstaller.Action.CREATE,
            topology,
            infrastructure(topology),
            List.of(),
            listener);

    assertThat(added(before))
        .containsOnlyKeys("ks-master-1", "ks-worker-1", "ks-worker-2")
        .containsEntry("ks-master-1", List.of("cluster.yml run ks-master-1 " + ip("master-1")))
        .containsEntry("ks-worker-1", List.of("cluster.yml run ks-worker-1 " + ip("worker-1")))
        .containsEntry("ks-worker-2", List.of("cluster.yml run ks-worker-2 " + ip("worker-2")));
    // The variables as the playbook received them.
    String vars =
        Files.readString(
            net.host("ks-worker-1").etc().resolve("kubitect-standin/cluster.yml.vars.json"));
    assertThat(vars)
        .contains("\"kube_version\": \"1.33.4\"")
        .contains("\"worker-id\": \"1\"", "\"tier\": \"app\"")
        .contains("dedicated=app:PreferNoSchedule")
        .contains("\"address\": \"" + net.spareAddress(250) + "\"");

    // Kubeconfig: 0600, names are the cluster's, server is the VIP.
    assertThat(kubeconfig).contains(work.resolve("admin.conf"));
    Path file = kubeconfig.orElseThrow();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    String text = Files.readString(file);
    assertThat(text)
        .contains("current-context: ks\n")
        .contains("server: https://" + net.spareAddress(250) + ":6443")
        .contains("client-key-data: c2VjcmV0Cg==")
        .doesNotContain("cluster.local", "kubernetes-admin");
    assertThat(work.resolve("ansible/download/admin.conf")).doesNotExist();

    // Progress: the run starts, then plays, tasks and host results in order; hosts finish
    // before the run does.
    List<String> events = listener.events();
    int runStarted =
        listener.first(e -> e.equals("started kubernetes: ansible-playbook cluster.yml"));
    int play1 = listener.first(e -> e.contains("ansible-playbook cluster.yml | play 1: Install"));
    int task1 = listener.first(e -> e.contains("ansible-playbook cluster.yml | task 1: "));
    int host =
        listener.first(
            e -> e.startsWith("started kubernetes [localhost] ks-worker-1: cluster.yml"));
    int play2 = listener.first(e -> e.contains("| play 2: Write the admin kubeconfig"));
    int hostDone =
        listener.first(
            e -> e.startsWith("finished kubernetes [localhost] ks-worker-1: cluster.yml"));
    int runDone =
        listener.first(e -> e.startsWith("finished kubernetes: ansible-playbook cluster.yml"));
    assertThat(List.of(runStarted, play1, task1, host, play2, hostDone, runDone))
        .as(String.join("\n", events))
        .doesNotContain(-1)
        .isSorted();
    List<Integer> taskNumbers =
        events.stream()
            .filter(e -> e.contains("ansible-playbook cluster.yml | task "))
            .map(e -> Integer.parseInt(e.replaceAll(".*\\| task (\\d+):.*", "$1")))
            .toList();
    assertThat(taskNumbers).isSorted().doesNotHaveDuplicates().hasSizeGreaterThan(3);
    assertThat(events.stream().filter(e -> e.contains("ks-worker-1: cluster.yml")))
        .filteredOn(e -> e.startsWith("progress"))
        .anyMatch(e -> e.contains("changed: Leave a marker on the host (ok="));
    assertThat(events.stream().filter(e -> e.startsWith("started ")).count())
        .isEqualTo(events.stream().filter(e -> e.startsWith("finished ")).count());
    assertThat(events.get(events.size() - 1))
        .startsWith("finished kubeconfig: fetch the admin kubeconfig");
  }

  @Test
  @Order(2)
  void scaleUpTouchesOnlyTheNewNodeAndTheFirstMaster() throws Exception {
    Map<String, List<String>> before = markers();
    Topology topology = topology(List.of(1, 2, 3));

    Optional<Path> result =
        install(
            KubernetesInstaller.Action.SCALE_UP,
            topology,
            infrastructure(topology),
            List.of("ks-worker-3"),
            new RecordingListener());

    assertThat(result).isEmpty();
    // The new worker: facts, then scale.yml. The first master: its facts (scale.yml reads them)
    // and the join token, delegated to it. Workers 1 and 2 are not touched at all.
    assertThat(added(before))
        .containsOnlyKeys("ks-worker-3", "ks-master-1")
        .containsEntry(
            "ks-worker-3",
            List.of(
                "facts.yml run ks-worker-3 " + ip("worker-3"),
                "scale.yml run ks-worker-3 " + ip("worker-3")))
        .containsEntry(
            "ks-master-1",
            List.of(
                "facts.yml run ks-master-1 " + ip("master-1"),
                "scale.yml delegated ks-worker-3 " + ip("master-1")));
  }

  @Test
  @Order(3)
  void scaleDownRunsRemovalOncePerRemovedNode() throws Exception {
    Map<String, List<String>> before = markers();
    RecordingListener listener = new RecordingListener();
    // The target topology no longer has workers 2 and 3; they still run (infrastructure status).
    Topology topology = topology(List.of(1));

    install(
        KubernetesInstaller.Action.REMOVE_NODES,
        topology,
        infrastructure(topology, "ks-worker-2", "ks-worker-3"),
        List.of("ks-worker-2", "ks-worker-3"),
        listener);

    assertThat(added(before))
        .containsOnlyKeys("ks-worker-2", "ks-worker-3", "ks-master-1")
        .containsEntry("ks-worker-2", List.of("remove-node.yml run ks-worker-2 " + ip("worker-2")))
        .containsEntry("ks-worker-3", List.of("remove-node.yml run ks-worker-3 " + ip("worker-3")))
        .containsEntry(
            "ks-master-1",
            List.of(
                "remove-node.yml delegated ks-worker-2 " + ip("master-1"),
                "remove-node.yml delegated ks-worker-3 " + ip("master-1")));
    assertThat(listener.events())
        .filteredOn(e -> e.startsWith("started kubernetes: ansible-playbook"))
        .containsExactly(
            "started kubernetes: ansible-playbook remove-node.yml",
            "started kubernetes: ansible-playbook remove-node.yml");
    assertThat(Files.readString(work.resolve("ansible/logs").resolve(latestLog("remove-node.yml"))))
        .contains("ks-worker-3");
  }

  private static String latestLog(String playbook) throws IOException {
    try (var files = Files.list(work.resolve("ansible/logs"))) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith("-" + playbook + ".log"))
          .sorted()
          .reduce((a, b) -> b)
          .orElseThrow();
    }
  }

  @Test
  @Order(4)
  void upgradeRunsUpgradeClusterOnEveryNodeWithTheNewVersion() throws Exception {
    Map<String, List<String>> before = markers();
    Topology topology = topology(List.of(1), "v1.33.5", Map.of());

    Optional<Path> kubeconfig =
        install(
            KubernetesInstaller.Action.UPGRADE,
            topology,
            infrastructure(topology),
            List.of(),
            new RecordingListener());

    assertThat(added(before))
        .containsOnlyKeys("ks-master-1", "ks-worker-1")
        .containsEntry(
            "ks-worker-1", List.of("upgrade-cluster.yml run ks-worker-1 " + ip("worker-1")));
    assertThat(
            Files.readString(
                net.host("ks-worker-1")
                    .etc()
                    .resolve("kubitect-standin/upgrade-cluster.yml.vars.json")))
        .contains("\"kube_version\": \"1.33.5\"");
    assertThat(kubeconfig).isPresent();
  }

  @Test
  @Order(5)
  void aFailingTaskSurfacesAsAnErrorNamingTaskAndHost() {
    Topology topology = topology(List.of(1), "v1.33.4", Map.of("standin_fail_on", "ks-worker-1"));
    RecordingListener listener = new RecordingListener();

    assertThatThrownBy(
            () ->
                install(
                    KubernetesInstaller.Action.CREATE,
                    topology,
                    infrastructure(topology),
                    List.of(),
                    listener))
        .isInstanceOfSatisfying(
            InstallationException.class,
            e -> {
              assertThat(e.exitCode()).isEqualTo(2);
              assertThat(e.failedTask()).isEqualTo("Fail where the test asks for it");
              assertThat(e.failedHosts()).containsExactly("ks-worker-1");
              assertThat(e.getMessage())
                  .contains("cluster.yml failed with exit code 2")
                  .contains("task 'Fail where the test asks for it' failed on ks-worker-1")
                  .contains("stand-in failure on ks-worker-1");
              assertThat(e.logTail()).contains("PLAY RECAP").contains("ks-worker-1");
            });
    assertThat(listener.events())
        .anyMatch(e -> e.startsWith("failed kubernetes: ansible-playbook cluster.yml"))
        .anyMatch(e -> e.startsWith("failed kubernetes [localhost] ks-worker-1: cluster.yml"))
        .anyMatch(e -> e.startsWith("finished kubernetes [localhost] ks-master-1: cluster.yml"));
  }

  @Test
  @Order(6)
  void cancellationKillsTheWholeProcessTree() throws Exception {
    Topology topology = topology(List.of(1), "v1.33.4", Map.of("standin_sleep", "300"));
    RecordingListener listener = new RecordingListener();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread worker =
        new Thread(
            () -> {
              try {
                install(
                    KubernetesInstaller.Action.CREATE,
                    topology,
                    infrastructure(topology),
                    List.of(),
                    listener);
              } catch (Throwable t) {
                thrown.set(t);
              }
            });
    worker.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!listener.any(
        e -> e.contains("task") && e.contains("Sleep where the test asks for it"))) {
      assertThat(System.nanoTime()).as("the sleeping task did not start").isLessThan(deadline);
      Thread.sleep(50);
    }
    Thread.sleep(1000);
    List<ProcessHandle> tree = ansibleProcesses();
    assertThat(tree).as("ansible-playbook and its workers").isNotEmpty();

    long start = System.nanoTime();
    worker.interrupt();
    worker.join(Duration.ofSeconds(30).toMillis());

    assertThat(worker.isAlive()).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
    assertThat(thrown.get())
        .isInstanceOf(InstallationException.class)
        .hasMessageContaining("cluster.yml was cancelled");
    assertThat(tree).noneMatch(ProcessHandle::isAlive);
    assertThat(ansibleProcesses()).isEmpty();
  }

  /** Processes working for this test's cluster (their command line names its work directory). */
  private static List<ProcessHandle> ansibleProcesses() {
    String marker = work.toString();
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
        .collect(Collectors.toList());
  }

  @Test
  @Order(7)
  void refusesAHostWhoseKeyChanged() throws Exception {
    net.changeHostKey("ks-worker-1");
    Map<String, List<String>> before = markers();
    Topology topology = topology(List.of(1));

    assertThatThrownBy(
            () ->
                install(
                    KubernetesInstaller.Action.CREATE,
                    topology,
                    infrastructure(topology),
                    List.of(),
                    new RecordingListener()))
        .isInstanceOfSatisfying(
            InstallationException.class,
            e -> {
              assertThat(e.exitCode()).isEqualTo(4);
              assertThat(e.failedHosts()).containsExactly("ks-worker-1");
              assertThat(e.getMessage()).contains("Host key verification failed");
            });
    assertThat(added(before)).doesNotContainKey("ks-worker-1").containsKey("ks-master-1");
  }

  @Test
  @Order(8)
  void upgradeWithRookRunsBothReleasesAfterKubesprayWithTheFetchedKubeconfig() throws Exception {
    Requirements.require(
        new ProcessBuilder("python3", "-c", "import yaml").start().waitFor() == 0,
        "python3 with python3-yaml runs the stand-in helm");
    credentials = credentials(temp.resolve("id_ed25519"), temp.resolve("known_hosts"));
    Path record = temp.resolve("helm-calls.jsonl");
    Path helm = temp.resolve("helm");
    Files.writeString(
        helm,
        "#!/bin/sh\nexport HELM_STANDIN_RECORD='"
            + record
            + "'\nexec '"
            + TestSpecs.repositoryRoot().resolve("lab/helm-standin/helm")
            + "' \"$@\"\n");
    assertThat(helm.toFile().setExecutable(true)).isTrue();
    KubesprayInstaller withHelm =
        KubesprayInstaller.builder()
            .cacheDirectory(temp.resolve("cache"))
            .ansible(KubesprayInstaller.Ansible.PATH)
            .playbookTimeout(Duration.ofMinutes(5))
            .helm(helm)
            .build();
    ClusterSpec spec = topology(List.of(1), "v1.33.5", Map.of()).spec();
    NodeInstance worker = spec.cluster().nodes().worker().instances().get(0);
    ClusterSpec withRook =
        spec.withoutWorker("1")
            .withWorker(
                worker.withDataDisks(List.of(DataDisk.builder().name("osd").size(8).build())));
    Topology topology =
        RookPlanTest.with(withRook, r -> r.withEnabled(true).withVersion("v1.13.4"));
    RecordingListener listener = new RecordingListener();

    Optional<Path> kubeconfig =
        withHelm.install(
            new KubernetesInstaller.Request(
                KubernetesInstaller.Action.UPGRADE,
                topology,
                infrastructure(topology),
                credentials,
                List.of(),
                work),
            listener);

    List<String> calls = Files.readAllLines(record);
    assertThat(calls).hasSize(3);
    assertThat(calls.get(1)).contains("\"rook-operator\", \"rook-release/rook-ceph\"", "v1.13.4");
    assertThat(calls.get(2)).contains("\"rook-ceph-cluster\"");
    assertThat(calls).allSatisfy(c -> assertThat(c).contains(kubeconfig.orElseThrow().toString()));
    // Rook comes after the playbook and the kubeconfig.
    assertThat(listener.first(e -> e.startsWith("finished kubernetes: helm upgrade --install")))
        .isGreaterThan(listener.first(e -> e.startsWith("finished kubeconfig:")));
    assertThat(Files.readString(work.resolve("config/helm/rook-operator-values.yaml")))
        .contains("provisionerReplicas: 1\n", "tag: \"v1.13.4\"");
  }
}
