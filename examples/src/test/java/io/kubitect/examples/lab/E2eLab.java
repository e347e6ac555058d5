package io.kubitect.examples.lab;

import io.kubitect.core.AppliedCluster;
import io.kubitect.core.ApplyAction;
import io.kubitect.core.ClusterHealth;
import io.kubitect.core.DrillOptions;
import io.kubitect.core.DrillReport;
import io.kubitect.core.Kubitect;
import io.kubitect.core.NodeStatus;
import io.kubitect.core.Phase;
import io.kubitect.core.loadbalancer.KeepalivedHaproxyConfigurator;
import io.kubitect.core.ssh.SshReadinessProbe;
import io.kubitect.kubespray.K3sInstaller;
import io.kubitect.kubespray.KubesprayInstaller;
import io.kubitect.libvirt.LibvirtProvisioner;
import io.kubitect.model.ClusterSpec;
import io.kubitect.model.DataDisk;
import io.kubitect.model.KubernetesManager;
import io.kubitect.model.KubitectYaml;
import io.kubitect.model.NodeInstance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The end-to-end lab: the SDK, through its public API only, brings up lab/e2e-lab.yaml (the seed's
 * examples/ha.yaml moved into the lab: 2 load balancers, 3 masters and 3 workers with Rook data
 * disks over 5 hosts) on real VMs under QEMU, then re-applies, takes status and runs the failover
 * drill, scales the workers out and in, the control plane from 3 to 5 masters and back, upgrades
 * Kubernetes, loses the host of the primary load balancer and a master's host at once, and destroys
 * the cluster. Every step is checked; the times go into a {@link Summary}. Its time limits come
 * from a calibration boot of one node on this machine ({@link LabWaits}). See docs/e2e-lab.md.
 *
 * <p>The hosts are lab/hosts's network namespaces, each with its own libvirtd and sshd; the VMs
 * boot lab/build-node-image's image; Kubernetes is lab/kubespray-standin run by the real
 * ansible-playbook. Needs root and what scripts/setup-machine installs.
 */
public final class E2eLab {
  private static final String CLUSTER = "e2e-lab";
  private static final String USER = "kubitect";
  private static final String VIP = "10.88.0.200";
  private static final String KUBESPRAY_TAG = "v2.29.0";
  private static final String UPGRADED_VERSION = "v1.33.5";
  private static final String K3S_TAG = "v0.0.1";
  private static final int HOSTS = 5;
  private static final int NODES = 8;
  private static final Duration STEADY_GAP = Duration.ofSeconds(3);
  private static final Pattern LEFTOVERS = Pattern.compile("(?m)^leftovers=(\\d+)\\s*$");

  /** What the lab measured. Times from the host's clock. */
  public record Summary(
      int vms,
      double imageBuildSeconds,
      double bootAloneSeconds,
      double readinessLimitSeconds,
      double bootToSshMaxSeconds,
      double lbConfigSeconds,
      double playbookSeconds,
      int reapplyMutations,
      long drillGapMillis,
      long failoverGapMillis,
      int leftovers) {
    /** The benchmark's summary line. */
    public String line() {
      return String.format(
          Locale.ROOT,
          "e2e-lab: hosts=%d vms=%d image_build_s=%.0f boot_alone_s=%.0f readiness_limit_s=%.0f"
              + " boot_to_ssh_max_s=%.0f lb_config_s=%.0f playbook_s=%.0f reapply_mutations=%d"
              + " drill_gap_ms=%d failover_gap_ms=%d leftovers=%d",
          HOSTS,
          vms,
          imageBuildSeconds,
          bootAloneSeconds,
          readinessLimitSeconds,
          bootToSshMaxSeconds,
          lbConfigSeconds,
          playbookSeconds,
          reapplyMutations,
          drillGapMillis,
          failoverGapMillis,
          leftovers);
    }
  }

  private final LabShell shell;
  private final Path work;
  private final StepClock clock = new StepClock();
  private final Map<String, Double> bootSeconds = new LinkedHashMap<>();
  private String primaryLoadBalancer = CLUSTER + "-lb-2";
  private int vmsBooted;

  /**
   * A lab run in {@code work} (state, Kubespray repository, logs) with the scripts of {@code
   * repository}.
   */
  public E2eLab(Path repository, Path work) {
    this.shell = new LabShell(repository);
    this.work = work;
  }

  /** Runs the lab from the repository of the working directory; prints the summary line last. */
  public static void main(String[] args) throws IOException {
    Path work = Files.createTempDirectory("kubitect-e2e-lab-");
    Summary summary = new E2eLab(LabShell.findRepository(), work).run();
    System.out.println(summary.line());
  }

  /** Runs every step; any failed check throws. The lab hosts are taken down in any case. */
  public Summary run() {
    note("machine: %s, load %s", machine(), loadAverage());
    long t0 = System.nanoTime();
    String image = lastLine(shell.lab(Duration.ofMinutes(40), "build-node-image"));
    double imageBuild = seconds(System.nanoTime() - t0);
    note("image %s (build or cache look-up: %.1f s)", image, imageBuild);
    shell.lab(
        Duration.ofMinutes(5), Map.of("KUBITECT_LAB_HOSTS", String.valueOf(HOSTS)), "hosts", "up");
    boolean keep = System.getenv("KUBITECT_LAB_KEEP") != null;
    try {
      Summary summary = runOnHosts(Path.of(image, "disk.qcow2"), imageBuild);
      note("load at the end: %s", loadAverage());
      return summary;
    } finally {
      if (keep) {
        note("KUBITECT_LAB_KEEP is set: lab hosts left up (lab/hosts down removes them)");
      } else {
        shell.lab(Duration.ofMinutes(5), "hosts", "down");
      }
    }
  }

  private Summary runOnHosts(Path image, double imageBuild) {
    Properties env = LabShell.readEnv(Path.of("/run/kubitect-lab/hosts.env"));
    Path hostKey = Path.of(required(env, "LAB_SSH_KEY"));
    Path hostsKnown = Path.of(required(env, "LAB_KNOWN_HOSTS"));
    Path kubespray = kubesprayRepository();
    String yaml =
        read(shell.repository().resolve("lab/e2e-lab.yaml"))
            .replace("${LAB_SSH_KEY}", hostKey.toString())
            .replace("${NODE_IMAGE}", image.toString())
            .replace("${KUBESPRAY_REPO}", kubespray.toString());
    ClusterSpec spec = KubitectYaml.read(yaml, "lab/e2e-lab.yaml");
    LabWaits waits =
        new LabWaits(calibrate(yaml, hostsKnown), Runtime.getRuntime().availableProcessors());
    Duration readiness = waits.readiness(NODES);
    note(
        "limits from the calibration boot (%.1f s alone, %d cores): readiness %d s, playbooks %d s",
        waits.bootAlone().toMillis() / 1e3,
        waits.cores(),
        readiness.toSeconds(),
        waits.playbook().toSeconds());
    try (Kubitect kubitect =
        Kubitect.builder()
            .provisioner(provisioner(hostsKnown, readiness))
            .loadBalancers(new KeepalivedHaproxyConfigurator())
            .installer(
                KubesprayInstaller.builder()
                    .ansible(KubesprayInstaller.Ansible.PATH)
                    .cacheDirectory(work.resolve("kubespray-cache"))
                    .playbookTimeout(waits.playbook())
                    .build())
            .stateDirectory(work.resolve("state"))
            // addToKnownHosts writes here, not into the known_hosts of whoever runs the lab
            .home(home())
            .listener(clock)
            .approval(plan -> true)
            .build()) {

      AppliedCluster cluster = create(kubitect, spec);
      kubesprayAcceptance(cluster);
      double lbConfig = stepSeconds(Phase.LOAD_BALANCERS, "configure load balancers");
      double playbook = stepSeconds(Phase.KUBERNETES, "ansible-playbook cluster.yml");
      int reapplyMutations = reapply(kubitect, spec);
      long drillGap = statusAndDrill(kubitect);
      scaleWorkersOutAndIn(kubitect, spec, cluster);
      scaleControlPlaneOutAndIn(kubitect, spec);
      ClusterSpec upgraded = upgrade(kubitect, spec, cluster);
      long gap = loseTwoHosts(kubitect.cluster(CLUSTER).orElseThrow());
      statusAfterTheKill(kubitect);
      int leftovers = destroy(kubitect, upgraded);
      double bootMax = bootSeconds.values().stream().mapToDouble(d -> d).max().orElse(0);
      return new Summary(
          vmsBooted,
          imageBuild,
          waits.bootAlone().toMillis() / 1e3,
          readiness.toSeconds(),
          bootMax,
          lbConfig,
          playbook,
          reapplyMutations,
          drillGap,
          gap,
          leftovers);
    }
  }

  // ------------------------------------------------------------------ 0. calibrate

  /**
   * Boots one node alone on host1 with the lab's image and the SDK's cloud-init, and destroys it:
   * how fast this machine boots a node right now, which the lab's limits are derived from.
   */
  private Duration calibrate(String labYaml, Path hostsKnown) {
    ClusterSpec lab = KubitectYaml.read(labYaml, "lab/e2e-lab.yaml");
    // Only host1 and one master on it, at an address no lab node uses; the VIP stays (a warning).
    ClusterSpec one =
        lab.withHosts(lab.hosts().subList(0, 1))
            .withoutLoadBalancer("1")
            .withoutLoadBalancer("2")
            .withoutWorker("1")
            .withoutWorker("2")
            .withoutWorker("3")
            .withoutMaster("1")
            .withoutMaster("2")
            .withoutMaster("3")
            .withMaster(NodeInstance.builder().id("1").host("host1").ip("10.88.0.250").build());
    // Under k3s (the stand-in k3s-ansible tree, real Ansible on the real VM), without the VIP
    // (no load balancers to hold it): the API endpoint is the master.
    one =
        one.withCluster(
                one.cluster()
                    .withName(CLUSTER + "-calibrate")
                    .withNodes(
                        one.cluster()
                            .nodes()
                            .withLoadBalancer(
                                one.cluster()
                                    .nodes()
                                    .loadBalancer()
                                    .withVip(Optional.empty())
                                    .withVirtualRouterId(Optional.empty()))))
            .withKubernetes(one.kubernetes().withManager(KubernetesManager.K3S));
    StepClock calibration = new StepClock();
    try (Kubitect kubitect =
        Kubitect.builder()
            // one node alone: an hour means the machine cannot run the lab at all
            .provisioner(provisioner(hostsKnown, Duration.ofHours(1)))
            .withoutLoadBalancers()
            .installer(
                K3sInstaller.builder()
                    .repository(
                        "file://"
                            + standInRepository(
                                shell.repository().resolve("lab/k3s-standin"),
                                "k3s-standin",
                                K3S_TAG))
                    .ref(K3S_TAG)
                    .cacheDirectory(work.resolve("k3s-cache"))
                    .ansible(KubesprayInstaller.Ansible.PATH)
                    .playbookTimeout(Duration.ofHours(1))
                    .remoteKubectl("/etc/rancher/k3s/kubectl-standin")
                    .build())
            .stateDirectory(work.resolve("calibration"))
            .home(home())
            .listener(calibration)
            .approval(plan -> true)
            .build()) {
      String node = CLUSTER + "-calibrate-master-1";
      AppliedCluster applied = kubitect.apply(one, ApplyAction.CREATE);
      check(applied.nodes().get(0).ready(), node + " is not ready");
      Optional<StepClock.Timed> vm = calibration.nodeStep(Phase.PROVISION, "vm", node);
      Optional<StepClock.Timed> ready =
          calibration.nodeStep(Phase.PROVISION, "wait until ready", node);
      check(vm.isPresent() && ready.isPresent(), "no boot steps: " + calibration.ended());
      Duration alone = Duration.ofNanos(ready.get().endNanos() - vm.get().endNanos());
      note(
          "calibration: one node alone, SSH-ready after %.1f s, load %s",
          alone.toMillis() / 1e3, loadAverage());
      // k3s on a real VM: site.yml initialised the only server with the normalised version, and
      // an upgrade runs upgrade.yml with the new one.
      String ip = "10.88.0.250";
      String created = onNode(applied, node, ip, "sudo cat /etc/kubitect-standin/touched");
      check(
          created.contains("site.yml init " + node + " " + ip + " v1.33.4+k3s1"),
          "k3s site.yml did not initialise " + node + ": " + created);
      AppliedCluster upgradedK3s =
          kubitect.apply(
              one.withKubernetes(one.kubernetes().withVersion(UPGRADED_VERSION)),
              ApplyAction.UPGRADE);
      String upgraded = onNode(upgradedK3s, node, ip, "sudo cat /etc/kubitect-standin/touched");
      check(
          upgraded.contains(
              "upgrade.yml upgrade " + node + " " + ip + " " + UPGRADED_VERSION + "+k3s1"),
          "k3s upgrade.yml did not run on " + node + ": " + upgraded);
      note("calibration node under k3s: created and upgraded through the k3s-ansible stand-in");
      kubitect.destroy(CLUSTER + "-calibrate");
      return alone;
    }
  }

  /** The lab hosts' provisioner: QEMU without KVM, the SSH readiness probe every second. */
  private static LibvirtProvisioner provisioner(Path hostsKnown, Duration readiness) {
    return LibvirtProvisioner.builder()
        .knownHosts(hostsKnown)
        .domainType(LibvirtProvisioner.DomainType.QEMU)
        .readinessProbe(new SshReadinessProbe(USER))
        .readinessTimeout(readiness)
        .readinessInterval(Duration.ofSeconds(1))
        .build();
  }

  private Path home() {
    Path home = work.resolve("home");
    try {
      Files.createDirectories(home);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return home;
  }

  /**
   * With {@code KUBITECT_LAB_KUBESPRAY_ACCEPTANCE=DIR} (a Kubespray checkout, on a development
   * machine: Kubespray cannot be fetched in CI), Kubespray's own inventory validation and node
   * checks run against the lab's VMs as they stand after the create ({@code
   * bench/kubespray-acceptance --nodes lab}), and must find nothing.
   */
  private void kubesprayAcceptance(AppliedCluster cluster) {
    String kubespray = System.getenv("KUBITECT_LAB_KUBESPRAY_ACCEPTANCE");
    if (kubespray == null || kubespray.isBlank()) {
      return;
    }
    long t0 = System.nanoTime();
    LabShell.Result result =
        shell.tryRun(
            Duration.ofMinutes(30),
            shell.repository().resolve("bench/kubespray-acceptance").toString(),
            "--nodes",
            "lab",
            "--key",
            cluster.stateDirectory().resolve("config/.ssh/id_ed25519").toString(),
            "--case",
            "lab",
            kubespray);
    String summary = result.out().isBlank() ? "(no summary)" : lastLine(result.out());
    note(
        "Kubespray's own checks on the lab's VMs (%.1f s): %s",
        seconds(System.nanoTime() - t0), summary);
    check(
        result.exit() == 0
            && summary.contains(" validate_inventory=pass ")
            && summary.contains(" preinstall_verify=pass ")
            && summary.contains(" findings=0"),
        "Kubespray refuses what the SDK rendered for the lab (exit "
            + result.exit()
            + "):\n"
            + result.out()
            + tail(result.err(), 40));
  }

  private static String tail(String text, int lines) {
    List<String> all = text.lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  // ------------------------------------------------------------------ 1. apply

  private AppliedCluster create(Kubitect kubitect, ClusterSpec spec) {
    clock.clear();
    long t0 = System.nanoTime();
    AppliedCluster cluster = kubitect.apply(spec, ApplyAction.CREATE);
    note("apply (create): %.1f s, load %s", seconds(System.nanoTime() - t0), loadAverage());
    recordBootTimes(cluster.nodes().stream().map(NodeStatus::name).toList());
    check(cluster.nodes().size() == NODES, NODES + " nodes, got " + cluster.nodes());
    for (NodeStatus node : cluster.nodes()) {
      check(node.ready(), node.name() + " is not ready: " + node);
      checkNode(cluster, node);
    }
    // Exactly one load balancer holds the VIP. The seed leaves the priorities equal, so VRRP
    // picks the one with the higher address: lb-2.
    List<String> holders =
        List.of(CLUSTER + "-lb-1", CLUSTER + "-lb-2").stream()
            .filter(lb -> hasVip(cluster, lb))
            .toList();
    check(holders.size() == 1, "the VIP is held by " + holders);
    primaryLoadBalancer = holders.get(0);
    note("the VIP is on %s", primaryLoadBalancer);
    // Each worker has its 2 GiB rook disk, from host's data-pool, as its second disk.
    for (NodeStatus node : cluster.nodes()) {
      if (node.name().contains("-worker-")) {
        String size =
            onNode(cluster, node.name(), node.ip().orElseThrow(), "lsblk -bdno SIZE /dev/vdb");
        check(size.strip().equals(String.valueOf(2L << 30)), node.name() + "'s vdb is " + size);
      }
    }
    // addToKnownHosts: every node's verified key is in the (lab's) user known_hosts.
    String known = read(home().resolve(".ssh/known_hosts"));
    for (NodeStatus node : cluster.nodes()) {
      check(
          known.contains(node.ip().orElseThrow() + " ssh-ed25519 "),
          node.name() + " is not in ~/.ssh/known_hosts:\n" + known);
    }
    // The Kubespray stand-in ran cluster.yml on every Kubernetes node, with their real addresses.
    for (NodeStatus node : cluster.nodes()) {
      if (node.name().contains("-lb-")) {
        continue;
      }
      String markers = markers(cluster, node);
      check(
          markers.contains("cluster.yml run " + node.name() + " " + node.ip().orElseThrow()),
          "no cluster.yml marker on " + node.name() + ": " + markers);
    }
    Path kubeconfig = cluster.kubeconfig().orElseThrow(() -> new AssertionError("no kubeconfig"));
    check(
        read(kubeconfig).contains("server: https://" + VIP + ":6443"),
        "the kubeconfig does not point at the VIP");
    // Through the VIP, the load balancers reach the masters' API-server stand-ins.
    Optional<String> answer = VipProbe.once(VIP, certificate(cluster));
    check(
        answer.filter(a -> a.startsWith(CLUSTER + "-master-")).isPresent(),
        "no master answered through the VIP: " + answer);
    return cluster;
  }

  /** Boot to SSH-ready per VM: from the VM's domain started to its readiness wait ended. */
  private void recordBootTimes(List<String> nodes) {
    for (String node : nodes) {
      Optional<StepClock.Timed> vm = clock.nodeStep(Phase.PROVISION, "vm", node);
      Optional<StepClock.Timed> ready = clock.nodeStep(Phase.PROVISION, "wait until ready", node);
      if (vm.isPresent()
          && ready.isPresent()
          && vm.get().outcome().startsWith("created")
          && ready.get().outcome().startsWith("ready")) {
        double s = seconds(ready.get().endNanos() - vm.get().endNanos());
        bootSeconds.put(node, s);
        vmsBooted++;
        note("boot to SSH-ready: %s %.1f s", node, s);
      }
    }
  }

  /**
   * The node answers OpenSSH as the node user with exactly the host key the SDK injected, has its
   * static address on the configured interface and its name.
   */
  private void checkNode(AppliedCluster cluster, NodeStatus node) {
    String ip = node.ip().orElseThrow(() -> new AssertionError(node.name() + " has no IP"));
    String out =
        onNode(
            cluster,
            node.name(),
            ip,
            "hostname; ip -4 -o addr show dev ens3; sudo -n true && echo sudo-ok");
    check(out.startsWith(node.name() + "\n"), node.name() + " is called " + out);
    check(out.contains("inet " + ip + "/24"), node.name() + " has not " + ip + " on ens3");
    check(out.contains("sudo-ok"), node.name() + ": no passwordless sudo");
  }

  /** Runs {@code command} on the node over OpenSSH (its injected host key only); its stdout. */
  private String onNode(AppliedCluster cluster, String node, String ip, String command) {
    LabShell.Result r =
        shell.ssh(
            cluster.stateDirectory().resolve("config/.ssh/id_ed25519"),
            cluster.stateDirectory().resolve("config/known_hosts"),
            USER,
            ip,
            command);
    check(r.exit() == 0, "ssh to " + node + " failed: " + r.err());
    return r.out();
  }

  private boolean hasVip(AppliedCluster cluster, String node) {
    return onNode(cluster, node, ipOf(cluster, node), "ip -4 -o addr show")
        .contains("inet " + VIP + "/");
  }

  private String markers(AppliedCluster cluster, NodeStatus node) {
    return onNode(
        cluster,
        node.name(),
        node.ip().orElseThrow(),
        "cat /etc/kubitect-standin/touched 2>/dev/null || true");
  }

  // ------------------------------------------------------------------ 2. re-apply

  private int reapply(Kubitect kubitect, ClusterSpec spec) {
    clock.clear();
    long t0 = System.nanoTime();
    AppliedCluster again = kubitect.apply(spec, ApplyAction.CREATE);
    note(
        "re-apply: %.1f s, %d mutating libvirt calls",
        seconds(System.nanoTime() - t0), again.mutatingCalls());
    check(again.mutatingCalls() == 0, "re-apply changed something: " + clock.ended());
    check(!clock.ran(Phase.KUBERNETES), "re-apply ran a playbook");
    for (StepClock.Timed t : clock.steps(Phase.PROVISION, "vm")) {
      check(t.outcome().startsWith("unchanged"), "re-apply: " + t.step() + " " + t.outcome());
    }
    return again.mutatingCalls();
  }

  // ------------------------------------------------------------------ 3. scale

  private void scaleWorkersOutAndIn(Kubitect kubitect, ClusterSpec spec, AppliedCluster before) {
    String added = CLUSTER + "-worker-4";
    ClusterSpec more =
        spec.withWorker(
            NodeInstance.builder()
                .id("4")
                .host("host3")
                .ip("10.88.0.44")
                .addDataDisks(DataDisk.builder().name("rook").pool("data-pool").size(2).build())
                .build());
    Map<String, String> markersBefore = allMarkers(before);
    clock.clear();
    long t0 = System.nanoTime();
    AppliedCluster scaled = kubitect.apply(more, ApplyAction.SCALE);
    note("scale out (+%s): %.1f s, load %s", added, seconds(System.nanoTime() - t0), loadAverage());
    recordBootTimes(List.of(added));
    onlyTouched(added, "created");
    NodeStatus worker2 =
        scaled.nodes().stream()
            .filter(n -> n.name().equals(added))
            .findFirst()
            .orElseThrow(() -> new AssertionError(added + " missing after scale-out"));
    check(worker2.ready(), added + " is not ready");
    checkNode(scaled, worker2);
    Map<String, String> markersAfter = allMarkers(scaled);
    for (Map.Entry<String, String> e : markersAfter.entrySet()) {
      String fresh = e.getValue().substring(markersBefore.getOrDefault(e.getKey(), "").length());
      if (e.getKey().equals(added)) {
        check(
            fresh.contains("scale.yml run " + added),
            "scale.yml did not run on " + added + ": " + fresh);
      } else {
        // The control plane's facts are read (facts.yml changes nothing), the first master gets
        // the join (a task delegated to it); no other node sees anything.
        for (String line : fresh.lines().toList()) {
          boolean facts = line.startsWith("facts.yml ") && e.getKey().contains("-master-");
          boolean join =
              e.getKey().equals(CLUSTER + "-master-1") && line.contains(" delegated " + added);
          check(facts || join, "scale-out touched " + e.getKey() + ": " + line);
        }
      }
    }

    clock.clear();
    t0 = System.nanoTime();
    AppliedCluster shrunk = kubitect.apply(spec, ApplyAction.SCALE);
    note("scale in (-%s): %.1f s, load %s", added, seconds(System.nanoTime() - t0), loadAverage());
    check(
        shrunk.nodes().stream().noneMatch(n -> n.name().equals(added)),
        added + " is still in the cluster");
    onlyTouched(added, "removed");
    check(
        clock.steps(Phase.KUBERNETES, "ansible-playbook remove-node.yml").size() <= 1,
        "remove-node.yml ran more than once");
  }

  /**
   * 3 to 5 masters and back (Kubitect refuses both): the new masters join through cluster.yml and
   * upgrade-cluster.yml limited to the control plane, both load balancers' HAProxy send to all
   * five; removing them runs remove-node.yml for each and takes them out of HAProxy again.
   */
  private void scaleControlPlaneOutAndIn(Kubitect kubitect, ClusterSpec spec) {
    List<String> added = List.of(CLUSTER + "-master-4", CLUSTER + "-master-5");
    ClusterSpec five =
        spec.withMaster(NodeInstance.builder().id("4").host("host4").ip("10.88.0.34").build())
            .withMaster(NodeInstance.builder().id("5").host("host5").ip("10.88.0.35").build());
    clock.clear();
    long t0 = System.nanoTime();
    AppliedCluster scaled = kubitect.apply(five, ApplyAction.SCALE);
    note("control plane 3 -> 5: %.1f s, load %s", seconds(System.nanoTime() - t0), loadAverage());
    recordBootTimes(added);
    onlyTouched(added, "created");
    for (String name : added) {
      NodeStatus node =
          scaled.nodes().stream()
              .filter(n -> n.name().equals(name))
              .findFirst()
              .orElseThrow(() -> new AssertionError(name + " missing after the scale-out"));
      check(node.ready(), name + " is not ready");
      checkNode(scaled, node);
      check(
          markers(scaled, node).contains("cluster.yml run " + name),
          "cluster.yml did not run on " + name);
    }
    // (its step names the limit: "ansible-playbook upgrade-cluster.yml --limit etcd:...")
    check(
        clock.ended().stream()
                .filter(t -> t.step().phase() == Phase.KUBERNETES)
                .filter(t -> t.step().action().startsWith("ansible-playbook upgrade-cluster.yml"))
                .count()
            == 1,
        "upgrade-cluster.yml did not run once for the control plane");
    ClusterHealth five5 = kubitect.status(CLUSTER);
    check(five5.healthy(), "status with 5 masters: " + five5.problems());
    checkBackends(five5, 5);

    clock.clear();
    t0 = System.nanoTime();
    AppliedCluster three = kubitect.apply(spec, ApplyAction.SCALE);
    note("control plane 5 -> 3: %.1f s, load %s", seconds(System.nanoTime() - t0), loadAverage());
    check(
        three.nodes().stream().noneMatch(n -> added.contains(n.name())),
        "masters 4 and 5 are still in the cluster");
    onlyTouched(added, "removed");
    check(
        clock.steps(Phase.KUBERNETES, "ansible-playbook remove-node.yml").size() == 2,
        "remove-node.yml did not run once per removed master");
    ClusterHealth back = kubitect.status(CLUSTER);
    check(back.healthy(), "status with 3 masters again: " + back.problems());
    checkBackends(back, 3);
  }

  /**
   * Kubernetes {@value #UPGRADED_VERSION}: upgrade-cluster.yml on every Kubernetes node with the
   * new version; no VM is touched. Returns the upgraded specification.
   */
  private ClusterSpec upgrade(Kubitect kubitect, ClusterSpec spec, AppliedCluster cluster) {
    ClusterSpec upgraded = spec.withKubernetes(spec.kubernetes().withVersion(UPGRADED_VERSION));
    clock.clear();
    long t0 = System.nanoTime();
    AppliedCluster after = kubitect.apply(upgraded, ApplyAction.UPGRADE);
    note(
        "upgrade to %s: %.1f s, load %s",
        UPGRADED_VERSION, seconds(System.nanoTime() - t0), loadAverage());
    check(after.mutatingCalls() == 0, "the upgrade changed VMs: " + clock.ended());
    for (NodeStatus node : cluster.nodes()) {
      if (node.name().contains("-lb-")) {
        continue;
      }
      String vars =
          onNode(
              after,
              node.name(),
              node.ip().orElseThrow(),
              "cat /etc/kubitect-standin/upgrade-cluster.yml.vars.json");
      check(
          vars.contains("\"kube_version\": \"" + UPGRADED_VERSION.substring(1) + "\"")
              || vars.contains("\"kube_version\": \"" + UPGRADED_VERSION + "\""),
          node.name() + " was not upgraded to " + UPGRADED_VERSION + ": " + vars);
    }
    return upgraded;
  }

  /** In the last apply, the provisioner changed {@code node} ({@code change}) and no other VM. */
  private void onlyTouched(String node, String change) {
    onlyTouched(List.of(node), change);
  }

  /** In the last apply, the provisioner changed each of {@code nodes} and no other VM. */
  private void onlyTouched(List<String> nodes, String change) {
    Map<String, Boolean> seen = new LinkedHashMap<>();
    nodes.forEach(n -> seen.put(n, false));
    for (StepClock.Timed t : clock.ended()) {
      if (t.step().phase() != Phase.PROVISION || t.step().node().isEmpty()) {
        continue;
      }
      String name = t.step().node().get();
      if (seen.containsKey(name)) {
        seen.merge(name, t.outcome().startsWith(change), Boolean::logicalOr);
      } else if (t.step().action().equals("vm") || t.step().action().equals("remove vm")) {
        check(t.outcome().startsWith("unchanged"), "also touched: " + t.step() + " " + t.outcome());
      }
    }
    seen.forEach((node, was) -> check(was, node + " was not " + change + ": " + clock.ended()));
  }

  private Map<String, String> allMarkers(AppliedCluster cluster) {
    Map<String, String> markers = new LinkedHashMap<>();
    for (NodeStatus node : cluster.nodes()) {
      if (!node.name().contains("-lb-")) {
        markers.put(node.name(), markers(cluster, node));
      }
    }
    return markers;
  }

  // ------------------------------------------------------------------ status and drill

  /**
   * {@code Kubitect.status} of the new cluster is healthy (lb-1 the VRRP master, HAProxy sees every
   * master up, {@code /readyz} answers); the failover drill passes with lb-2 taking over; the
   * cluster is healthy again afterwards. Returns the drill's gap.
   */
  private long statusAndDrill(Kubitect kubitect) {
    ClusterHealth health = kubitect.status(CLUSTER);
    check(health.healthy(), "status of the new cluster: " + health.problems());
    for (ClusterHealth.NodeHealth node : health.nodes()) {
      note("status: %s %s", node.name(), node.checks());
    }
    checkBackends(health, 3);
    // With the seed's equal priorities the VIP stays wherever a transient failure moved it (seen
    // under load: a missed HAProxy check on the holder), so the primary is whoever holds it now.
    List<String> masters =
        health.nodes().stream()
            .filter(
                n ->
                    n.loadBalancer()
                        .map(lb -> lb.vrrp() == ClusterHealth.Vrrp.MASTER)
                        .orElse(false))
            .map(ClusterHealth.NodeHealth::name)
            .toList();
    check(masters.size() == 1, "VRRP masters: " + masters);
    primaryLoadBalancer = masters.get(0);
    check(health.api().state() == ClusterHealth.State.OK, "API through the VIP: " + health.api());
    DrillReport report = kubitect.drill(CLUSTER, DrillOptions.defaults());
    report.steps().forEach(step -> note("drill %s", step));
    check(report.passed(), "the drill found: " + report.problems());
    // The drill stops whoever holds the VIP when it starts (it may have moved since the status).
    check(
        report.takenOverBy().isPresent() && !report.takenOverBy().get().equals(report.stopped()),
        "no other load balancer took over from " + report.stopped() + ": " + report.takenOverBy());
    ClusterHealth after = kubitect.status(CLUSTER);
    check(after.healthy(), "status after the drill: " + after.problems());
    note("drill: longest gap %d ms, load %s", report.longestGap().toMillis(), loadAverage());
    return report.longestGap().toMillis();
  }

  /** Both HAProxies see exactly {@code masters} masters, all UP. */
  private static void checkBackends(ClusterHealth health, int masters) {
    for (ClusterHealth.NodeHealth node : health.nodes()) {
      node.loadBalancer()
          .ifPresent(
              lb ->
                  check(
                      lb.backends().size() == masters
                          && lb.backends().values().stream().allMatch("UP"::equals),
                      node.name() + " sees " + lb.backends() + ", not " + masters + " masters UP"));
    }
  }

  private String otherLoadBalancer() {
    return primaryLoadBalancer.equals(CLUSTER + "-lb-1") ? CLUSTER + "-lb-2" : CLUSTER + "-lb-1";
  }

  /** After the two hosts' VMs were killed, status names the load balancer and master as down. */
  private void statusAfterTheKill(Kubitect kubitect) {
    ClusterHealth health = kubitect.status(CLUSTER);
    note("status after the kill: %s", health.problems());
    check(!health.healthy(), "status says healthy after the hosts' VMs were killed");
    for (String node : List.of(primaryLoadBalancer, CLUSTER + "-master-1")) {
      check(
          health.problems().stream().anyMatch(p -> p.startsWith(node + ": domain")),
          "status does not report " + node + "'s domain: " + health.problems());
    }
  }

  // ------------------------------------------------------------------ 4. lose a host

  /**
   * Kills every VM of the primary load balancer's host and of host3 (master-1 and worker-1) at
   * once, and measures the longest time the API did not answer through the VIP.
   */
  long loseTwoHosts(AppliedCluster cluster) {
    if (!hasVip(cluster, primaryLoadBalancer)) {
      primaryLoadBalancer = otherLoadBalancer();
    }
    check(hasVip(cluster, primaryLoadBalancer), "no load balancer holds the VIP before the kill");
    note("the VIP is on %s before the kill", primaryLoadBalancer);
    String lbHost = primaryLoadBalancer.endsWith("-lb-1") ? "h1" : "h2";
    long gap;
    try (VipProbe probe = VipProbe.start(VIP, certificate(cluster))) {
      long start = System.nanoTime();
      sleep(Duration.ofSeconds(10));
      long baseline = probe.longestGapMillis(start);
      note(
          "before the kill: %d of %d requests through the VIP answered, longest gap %d ms",
          probe.attempts().stream().filter(a -> a.answeredBy().isPresent()).count(),
          probe.attempts().size(),
          baseline);
      check(
          answeredSteadily(probe, start, 5),
          "the API did not answer steadily through the VIP before the kill: " + probe.attempts());
      long kill = System.nanoTime();
      String killed =
          shell.lab(Duration.ofMinutes(1), "hosts", "kill", lbHost)
              + shell.lab(Duration.ofMinutes(1), "hosts", "kill", "h3");
      note("killed the VMs of %s and h3: %s", lbHost, killed.strip());
      // Wait until the API answers again, then for 10 s more of steady answers.
      long deadline = kill + Duration.ofMinutes(2).toNanos();
      while (System.nanoTime() < deadline && !answeredSteadily(probe, kill, 10)) {
        sleep(Duration.ofMillis(500));
      }
      gap = probe.longestGapMillis(kill);
      check(answeredSteadily(probe, kill, 10), "the API did not come back through the VIP");
      for (VipProbe.Attempt a : probe.attempts()) {
        if (a.endNanos() > kill + Duration.ofMillis(gap + 5_000).toNanos()) {
          check(
              !a.answeredBy().orElse("").equals(CLUSTER + "-master-1"),
              "the dead master-1 answered after the failover");
        }
      }
    }
    check(hasVip(cluster, otherLoadBalancer()), "the VIP did not move to " + otherLoadBalancer());
    note(
        "failover: longest time without an answer through the VIP: %d ms, load %s",
        gap, loadAverage());
    return gap;
  }

  /**
   * In the last {@code seconds} of attempts after {@code from}, the API answered at least every
   * {@link #STEADY_GAP}: single slow handshakes on a loaded host are allowed, an outage is not.
   */
  private static boolean answeredSteadily(VipProbe probe, long from, int seconds) {
    List<VipProbe.Attempt> after =
        probe.attempts().stream().filter(a -> a.endNanos() > from).toList();
    if (after.isEmpty()) {
      return false;
    }
    long end = after.get(after.size() - 1).endNanos();
    long windowStart = end - Duration.ofSeconds(seconds).toNanos();
    if (windowStart < from) {
      return false;
    }
    long previous = windowStart;
    for (VipProbe.Attempt a : after) {
      if (a.endNanos() < windowStart || a.answeredBy().isEmpty()) {
        continue;
      }
      if (a.endNanos() - previous > STEADY_GAP.toNanos()) {
        return false;
      }
      previous = a.endNanos();
    }
    return end - previous <= STEADY_GAP.toNanos();
  }

  // ------------------------------------------------------------------ 5. destroy

  int destroy(Kubitect kubitect, ClusterSpec spec) {
    long t0 = System.nanoTime();
    kubitect.destroy(CLUSTER);
    // addToKnownHosts is undone: no line for a node's address is left.
    String known = read(home().resolve(".ssh/known_hosts"));
    for (String ip : nodeAddresses(spec)) {
      check(!known.contains(ip + " "), ip + " is still in ~/.ssh/known_hosts:\n" + known);
    }
    note("destroy: %.1f s, load %s", seconds(System.nanoTime() - t0), loadAverage());
    check(kubitect.clusters().isEmpty(), "the cluster directory is still there");
    String out = shell.lab(Duration.ofMinutes(2), "hosts", "leftovers");
    Matcher m = LEFTOVERS.matcher(out);
    check(m.find(), "lab/hosts leftovers printed no count:\n" + out);
    int leftovers = Integer.parseInt(m.group(1));
    check(leftovers == 0, "left on the hosts after destroy:\n" + out);
    return leftovers;
  }

  // ------------------------------------------------------------------ helpers

  private static List<String> nodeAddresses(ClusterSpec spec) {
    List<String> ips = new ArrayList<>();
    spec.cluster().nodes().loadBalancer().instances().forEach(i -> i.ip().ifPresent(ips::add));
    spec.cluster().nodes().master().instances().forEach(i -> i.ip().ifPresent(ips::add));
    spec.cluster().nodes().worker().instances().forEach(i -> i.ip().ifPresent(ips::add));
    return ips;
  }

  /** A git repository of lab/kubespray-standin tagged like the release the spec names. */
  private Path kubesprayRepository() {
    URL tree = E2eLab.class.getResource("/kubespray-standin");
    if (tree == null) {
      throw new IllegalStateException("kubespray-standin is not on the test class path");
    }
    try {
      return standInRepository(Path.of(tree.toURI()), "kubespray-standin", KUBESPRAY_TAG);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A git repository in the work directory holding {@code tree}, tagged {@code tag}. */
  private Path standInRepository(Path tree, String name, String tag) {
    Path repo = work.resolve(name);
    try {
      Files.createDirectories(repo);
      shell.run(Duration.ofMinutes(1), "cp", "-R", tree + "/.", repo.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String git = "git -C '" + repo + "' ";
    shell.run(
        Duration.ofMinutes(1),
        "sh",
        "-ec",
        git
            + "init -q --initial-branch=master && "
            + git
            + "add -A && "
            + git
            + "-c user.name=lab -c user.email=lab@example.invalid commit -q -m standin && "
            + git
            + "tag "
            + tag);
    return repo;
  }

  private static Path certificate(AppliedCluster cluster) {
    return cluster.stateDirectory().resolve("ansible/standin-tls/cert.pem");
  }

  private static String ipOf(AppliedCluster cluster, String node) {
    return cluster.nodes().stream()
        .filter(n -> n.name().equals(node))
        .findFirst()
        .flatMap(NodeStatus::ip)
        .orElseThrow(() -> new AssertionError("no address for " + node));
  }

  /** How long the last apply's step of {@code phase} and {@code action} took. */
  private double stepSeconds(Phase phase, String action) {
    return clock.steps(phase, action).stream()
        .mapToDouble(t -> t.duration().toMillis() / 1e3)
        .sum();
  }

  private static String required(Properties env, String name) {
    String value = env.getProperty(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException("/run/kubitect-lab/hosts.env has no " + name);
    }
    return value;
  }

  private static String lastLine(String text) {
    List<String> lines = text.strip().lines().toList();
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static void check(boolean condition, String message) {
    if (!condition) {
      throw new AssertionError(message);
    }
  }

  private static void note(String format, Object... args) {
    System.err.println("e2e-lab: " + String.format(Locale.ROOT, format, args));
  }

  /** The host's load average over 1, 5 and 15 minutes (TCG guests get what is left). */
  static String loadAverage() {
    try {
      return String.join(
          " ", LabShell.words(Files.readString(Path.of("/proc/loadavg"))).subList(0, 3));
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** The machine the figures come from, for the summary. */
  static String machine() {
    String name;
    try {
      name = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      name = "unknown";
    }
    return name
        + ", "
        + Runtime.getRuntime().availableProcessors()
        + " cores, "
        + System.getProperty("os.name")
        + " "
        + System.getProperty("os.version");
  }
}
