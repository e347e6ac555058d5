package io.kubitect.kubespray.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubitect.core.NodeStatus;
import io.kubitect.core.ResourceChange;
import io.kubitect.core.spi.ClusterCredentials;
import io.kubitect.core.spi.InfrastructureStatus;
import io.kubitect.core.spi.KubernetesInstaller;
import io.kubitect.core.spi.Node;
import io.kubitect.core.spi.SshKeyPair;
import io.kubitect.core.spi.Topology;
import io.kubitect.kubespray.K3sInstaller;
import io.kubitect.kubespray.KubesprayInstaller;
import io.kubitect.model.KubitectYaml;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link K3sInstaller} with real {@code ansible-playbook} against real OpenSSH servers in network
 * namespaces, running the stand-in k3s-ansible tree (lab/k3s-standin). One cluster of two masters
 * goes through create, scale-up by two workers, upgrade and scale-down (with the first master
 * unreachable for its changed host key).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class K3sInstallerIT {
  static final String CLUSTER = "k3";

  @TempDir static Path temp;
  static NamespaceHosts net;
  static SshKeyPair nodeKey;
  static Path key;
  static ClusterCredentials credentials;
  static K3sInstaller installer;
  static Path work;

  @BeforeAll
  static void setUp() throws IOException {
    Requirements.requireNamespaces();
    Requirements.requireCommand("ansible-playbook");
    Requirements.requireCommand("git");
    nodeKey = SshKeyPair.generateEd25519("kubitect@" + CLUSTER);
    key = temp.resolve("id_ed25519");
    Files.createFile(
        key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(key, nodeKey.privateKey());
    net = new NamespaceHosts(Files.createDirectories(temp.resolve("hosts")), nodeKey.publicKey());
    for (String n : List.of("master-1", "master-2", "worker-1", "worker-2", "worker-3")) {
      net.add(CLUSTER + "-" + n);
    }
    credentials = credentials();
    Path standIn = StandInKubespray.create(temp.resolve("k3s-standin"), "v0.0.1", "k3s-standin");
    installer =
        K3sInstaller.builder()
            .repository("file://" + standIn)
            .ref("v0.0.1")
            .cacheDirectory(temp.resolve("cache"))
            .ansible(KubesprayInstaller.Ansible.PATH)
            .playbookTimeout(Duration.ofMinutes(5))
            .remoteKubectl("/etc/rancher/k3s/kubectl-standin")
            .build();
    work = Files.createDirectories(temp.resolve("cluster-" + CLUSTER));
  }

  /** Credentials whose known_hosts lists every host's current key. */
  static ClusterCredentials credentials() throws IOException {
    Map<String, SshKeyPair> hostKeys = new HashMap<>();
    List<String> lines = new ArrayList<>();
    for (NamespaceHosts.Host h : net.hosts()) {
      hostKeys.put(h.name, h.hostKey);
      lines.add(h.knownHostsLine());
    }
    Path knownHosts = temp.resolve("known_hosts");
    Files.writeString(knownHosts, String.join("\n", lines) + "\n");
    return new ClusterCredentials(key, nodeKey.publicKey(), hostKeys, knownHosts);
  }

  @AfterAll
  static void tearDown() {
    if (net != null) {
      net.close();
    }
  }

  static Topology topology(List<Integer> workers, String version) {
    return topology(workers, version, false);
  }

  /** With {@code rook}: every worker has a data disk, and Rook runs on worker 1 only. */
  static Topology topology(List<Integer> workers, String version, boolean rook) {
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
                - id: 2
                  ip: %s
            worker:
              instances:
        """
            .formatted(
                CLUSTER,
                net.subnet(),
                net.spareAddress(250),
                net.spareAddress(240),
                ip("master-1"),
                ip("master-2")));
    for (int id : workers) {
      yaml.append("        - id: ").append(id).append('\n');
      yaml.append("          ip: ").append(ip("worker-" + id)).append('\n');
      yaml.append("          labels:\n            worker-id: \"").append(id).append("\"\n");
      if (rook) {
        yaml.append("          dataDisks:\n            - name: osd\n              size: 8\n");
      }
    }
    yaml.append("kubernetes:\n  version: ").append(version).append("\n  manager: k3s\n");
    if (rook) {
      yaml.append("addons:\n  rook:\n    enabled: true\n    nodeSelector:\n");
      yaml.append("      worker-id: \"1\"\n");
    }
    return Topology.of(KubitectYaml.read(yaml.toString(), "test"));
  }

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
      List<String> nodes) {
    return installer.install(
        new KubernetesInstaller.Request(action, topology, infra, credentials, nodes, work),
        new RecordingListener());
  }

  static String ip(String node) {
    return net.host(CLUSTER + "-" + node).ip;
  }

  static Map<String, List<String>> markers() throws IOException {
    Map<String, List<String>> all = new LinkedHashMap<>();
    for (NamespaceHosts.Host h : net.hosts()) {
      Path file = h.etc().resolve(StandInKubespray.MARKERS);
      all.put(h.name, Files.exists(file) ? Files.readAllLines(file) : List.of());
    }
    return all;
  }

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

  static String token() throws IOException {
    return Files.readString(work.resolve("ansible/k3s-token")).trim();
  }

  @Test
  @Order(1)
  void createInitialisesTheFirstMasterJoinsTheRestAndWritesTheKubeconfig() throws Exception {
    Map<String, List<String>> before = markers();
    Topology topology = topology(List.of(1), "1.33.4");
    // As on a machine without kubectl: k3s-ansible leaves the kubeconfig on the master.
    Files.createDirectories(work.resolve("ansible"));
    Files.writeString(work.resolve("ansible/standin-no-controller-kubectl"), "");

    Optional<Path> kubeconfig =
        install(KubernetesInstaller.Action.CREATE, topology, infrastructure(topology), List.of());

    String v = "v1.33.4+k3s1";
    assertThat(added(before))
        .containsOnlyKeys("k3-master-1", "k3-master-2", "k3-worker-1")
        .containsEntry(
            "k3-master-1", List.of("site.yml init k3-master-1 " + ip("master-1") + " " + v))
        .containsEntry(
            "k3-master-2", List.of("site.yml join k3-master-2 " + ip("master-2") + " " + v))
        .containsEntry(
            "k3-worker-1", List.of("site.yml agent k3-worker-1 " + ip("worker-1") + " " + v));
    // Every node got the same random token and its own k3s configuration.
    String token = token();
    assertThat(token).matches("[0-9a-f]{64}");
    for (String n : List.of("master-1", "master-2", "worker-1")) {
      assertThat(Files.readString(net.host("k3-" + n).etc().resolve("rancher/k3s/token")))
          .isEqualTo(token + "\n");
    }
    assertThat(Files.readString(net.host("k3-master-2").etc().resolve("rancher/k3s/config.yaml")))
        .contains("tls-san:\n  - \"" + net.spareAddress(250) + "\"");
    assertThat(Files.readString(net.host("k3-worker-1").etc().resolve("rancher/k3s/config.yaml")))
        .contains("node-label:\n  - \"worker-id=1\"")
        .doesNotContain("tls-san");
    // No log or extra-vars file carries the token.
    try (var logs = Files.list(work.resolve("ansible/logs"))) {
      for (Path log : logs.toList()) {
        assertThat(Files.readString(log)).as(log.toString()).doesNotContain(token);
      }
    }

    assertThat(kubeconfig).contains(work.resolve("admin.conf"));
    Path file = kubeconfig.orElseThrow();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(Files.readString(file))
        .contains("current-context: k3\n")
        .contains("server: https://" + net.spareAddress(250) + ":6443")
        .contains("client-key-data: c2VjcmV0Cg==")
        .doesNotContain("default", "127.0.0.1");
    assertThat(work.resolve("ansible/download/admin.conf")).doesNotExist();
    assertThat(logs("kubitect-fetch-k3s-kubeconfig")).hasSize(1);
  }

  static List<Path> logs(String playbook) throws IOException {
    try (var files = Files.list(work.resolve("ansible/logs"))) {
      return files
          .filter(f -> f.getFileName().toString().contains(playbook))
          .filter(f -> f.getFileName().toString().endsWith(".log"))
          .toList();
    }
  }

  @Test
  @Order(5)
  void createAgainTakesTheKubeconfigK3sAnsibleCopiedWhenKubectlIsInstalledHere() throws Exception {
    Requirements.requireCommand("kubectl");
    credentials = credentials(); // the first master's new host key
    Files.delete(work.resolve("ansible/standin-no-controller-kubectl"));
    Files.delete(work.resolve("admin.conf"));
    Topology topology = topology(List.of(1), "v1.33.5");

    Optional<Path> kubeconfig =
        install(KubernetesInstaller.Action.CREATE, topology, infrastructure(topology), List.of());

    assertThat(logs("kubitect-fetch-k3s-kubeconfig")).hasSize(1);
    assertThat(Files.readString(kubeconfig.orElseThrow()))
        .contains("current-context: k3\n")
        .contains("server: https://" + net.spareAddress(250) + ":6443");
  }

  @Test
  @Order(6)
  void createWithRookInstallsBothReleasesAfterK3sWithTheNewKubeconfig() throws Exception {
    Requirements.require(
        new ProcessBuilder("python3", "-c", "import yaml").start().waitFor() == 0,
        "python3 with python3-yaml runs the stand-in helm");
    credentials = credentials();
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
    K3sInstaller withHelm =
        K3sInstaller.builder()
            .repository("file://" + temp.resolve("k3s-standin"))
            .ref("v0.0.1")
            .cacheDirectory(temp.resolve("cache"))
            .ansible(KubesprayInstaller.Ansible.PATH)
            .playbookTimeout(Duration.ofMinutes(5))
            .remoteKubectl("/etc/rancher/k3s/kubectl-standin")
            .helm(helm)
            .build();
    Files.createDirectories(work.resolve("ansible"));
    Files.writeString(work.resolve("ansible/standin-no-controller-kubectl"), "");
    Topology topology = topology(List.of(1, 2), "v1.33.5", true);
    Map<String, List<String>> before = markers();

    Optional<Path> kubeconfig =
        withHelm.install(
            new KubernetesInstaller.Request(
                KubernetesInstaller.Action.CREATE,
                topology,
                infrastructure(topology),
                credentials,
                List.of(),
                work),
            new RecordingListener());

    assertThat(added(before)).containsKeys("k3-master-1", "k3-worker-1", "k3-worker-2");
    List<String> calls = Files.readAllLines(record);
    assertThat(calls).hasSize(3);
    assertThat(calls.get(0)).contains("\"repo\", \"add\", \"rook-release\"");
    assertThat(calls.get(1)).contains("\"rook-operator\", \"rook-release/rook-ceph\"");
    assertThat(calls.get(2)).contains("\"rook-ceph-cluster\", \"rook-release/rook-ceph-cluster\"");
    // The kubeconfig the create just wrote, and the selector matched under k3s (worker 1 only).
    assertThat(calls).allSatisfy(c -> assertThat(c).contains(kubeconfig.orElseThrow().toString()));
    assertThat(Files.readString(work.resolve("config/helm/rook-cluster-values.yaml")))
        .contains("# rook-nodes: k3-worker-1\n# osd-nodes: k3-worker-1\n");
  }

  @Test
  @Order(2)
  void scaleUpJoinsEveryNewWorkerAndNothingElse() throws Exception {
    Map<String, List<String>> before = markers();
    String token = token();
    Topology topology = topology(List.of(1, 2, 3), "1.33.4");

    Optional<Path> result =
        install(
            KubernetesInstaller.Action.SCALE_UP,
            topology,
            infrastructure(topology),
            List.of("k3-worker-2", "k3-worker-3"));

    assertThat(result).isEmpty();
    assertThat(added(before))
        .containsOnlyKeys("k3-worker-2", "k3-worker-3")
        .containsEntry(
            "k3-worker-2",
            List.of("site.yml agent k3-worker-2 " + ip("worker-2") + " v1.33.4+k3s1"))
        .containsEntry(
            "k3-worker-3",
            List.of("site.yml agent k3-worker-3 " + ip("worker-3") + " v1.33.4+k3s1"));
    assertThat(token()).isEqualTo(token);
    assertThat(Files.readString(net.host("k3-worker-3").etc().resolve("rancher/k3s/token")))
        .isEqualTo(token + "\n");
  }

  @Test
  @Order(3)
  void upgradeRunsUpgradeYmlWithTheNewVersionOnEveryNode() throws Exception {
    Map<String, List<String>> before = markers();
    Topology topology = topology(List.of(1, 2, 3), "v1.33.5");

    install(KubernetesInstaller.Action.UPGRADE, topology, infrastructure(topology), List.of());

    Map<String, List<String>> added = added(before);
    assertThat(added)
        .containsOnlyKeys(
            "k3-master-1", "k3-master-2", "k3-worker-1", "k3-worker-2", "k3-worker-3");
    added.forEach(
        (host, lines) ->
            assertThat(lines)
                .containsExactly(
                    "upgrade.yml upgrade " + host + " " + net.host(host).ip + " v1.33.5+k3s1"));
  }

  @Test
  @Order(4)
  void scaleDownDrainsAndDeletesThroughTheFirstMasterThatAnswers() throws Exception {
    // The first master no longer answers as itself: its host key changed.
    net.changeHostKey("k3-master-1");
    Topology topology = topology(List.of(1), "v1.33.5");

    install(
        KubernetesInstaller.Action.REMOVE_NODES,
        topology,
        infrastructure(topology, "k3-worker-2", "k3-worker-3"),
        List.of("k3-worker-2", "k3-worker-3"));

    assertThat(net.host("k3-master-1").etc().resolve("kubitect-standin/kubectl.log"))
        .doesNotExist();
    List<String> calls =
        Files.readAllLines(net.host("k3-master-2").etc().resolve("kubitect-standin/kubectl.log"));
    String drain = " --ignore-daemonsets --force --delete-emptydir-data --timeout=10m";
    assertThat(calls)
        .containsExactly(
            "get nodes -o name",
            "get node k3-worker-2",
            "cordon k3-worker-2",
            "drain k3-worker-2" + drain,
            "delete node k3-worker-2",
            "get node k3-worker-3",
            "cordon k3-worker-3",
            "drain k3-worker-3" + drain,
            "delete node k3-worker-3");

    // Again (an interrupted apply re-runs the step): nodes already gone are skipped.
    install(
        KubernetesInstaller.Action.REMOVE_NODES,
        topology,
        infrastructure(topology, "k3-worker-2", "k3-worker-3"),
        List.of("k3-worker-2", "k3-worker-3"));
    List<String> again =
        Files.readAllLines(net.host("k3-master-2").etc().resolve("kubitect-standin/kubectl.log"));
    assertThat(again.subList(calls.size(), again.size()))
        .containsExactly("get nodes -o name", "get node k3-worker-2", "get node k3-worker-3");
  }
}
