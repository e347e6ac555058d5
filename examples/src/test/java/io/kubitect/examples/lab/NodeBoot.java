package io.kubitect.examples.lab;

import io.kubitect.core.AppliedCluster;
import io.kubitect.core.ApplyAction;
import io.kubitect.core.Kubitect;
import io.kubitect.core.NodeStatus;
import io.kubitect.core.Phase;
import io.kubitect.core.ssh.SshReadinessProbe;
import io.kubitect.libvirt.LibvirtProvisioner;
import io.kubitect.model.ClusterSpec;
import io.kubitect.model.KubitectYaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where one lab node's boot goes, with the SDK's own cloud-init: the SDK creates a one-node cluster
 * on the machine's libvirtd (a NAT network it makes, QEMU without KVM), waits until the node
 * answers SSH with its injected host key, reads {@code systemd-analyze} and {@code cloud-init
 * analyze} on the node, and destroys the cluster. Repeated {@code runs} times; the last line is the
 * benchmark's summary (bench/node-boot, docs/lab.md).
 *
 * <p>Traffic goes only to the node's address in the network the SDK created for it.
 */
public final class NodeBoot {
  private static final String CLUSTER = "node-boot";
  private static final String USER = "kubitect";
  private static final String NODE = CLUSTER + "-master-1";
  private static final String IP = "10.89.0.10";
  private static final Pattern ANALYZE =
      Pattern.compile(
          "Startup finished in (?:([\\d.]+)s \\(firmware\\) \\+ )?(?:([\\d.]+)s \\(loader\\) \\+ )?"
              + "([\\d.]+(?:min [\\d.]+)?)s \\(kernel\\) \\+ (?:([\\d.]+(?:min [\\d.]+)?)s"
              + " \\(initrd\\) \\+ )?([\\d.]+(?:min [\\d.]+)?)s \\(userspace\\)");

  /** One boot, measured from the host (wall clock) and from inside the guest. */
  record Boot(
      double bootToSsh,
      double kernel,
      double initrd,
      double userspace,
      String load,
      String blame,
      String cloudInit) {}

  private final LabShell shell;
  private final Path work;

  NodeBoot(Path repository, Path work) {
    this.shell = new LabShell(repository);
    this.work = work;
  }

  /** {@code [RUNS]}: boots one node that many times (default 3). */
  public static void main(String[] args) throws IOException {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    Path work = Files.createTempDirectory("kubitect-node-boot-");
    NodeBoot bench = new NodeBoot(LabShell.findRepository(), work);
    String image = lastLine(bench.shell.lab(Duration.ofMinutes(40), "build-node-image"));
    List<Boot> boots = new ArrayList<>();
    for (int i = 1; i <= runs; i++) {
      Boot boot = bench.bootOnce(Path.of(image, "disk.qcow2"), i);
      boots.add(boot);
      note(
          "run %d: boot_to_ssh %.1f s (guest: kernel %.1f s, initrd %.1f s, userspace %.1f s),"
              + " load %s",
          i, boot.bootToSsh(), boot.kernel(), boot.initrd(), boot.userspace(), boot.load());
      if (i == 1) {
        note("systemd-analyze blame (first run):%n%s", boot.blame());
        note("cloud-init analyze show (first run):%n%s", boot.cloudInit());
      }
    }
    System.out.println(summary(boots, Path.of(image).getFileName().toString()));
  }

  static String summary(List<Boot> boots, String image) {
    return String.format(
        Locale.ROOT,
        "node-boot: runs=%d image=%s boot_to_ssh_s=%s median_s=%.1f kernel_s=%.1f initrd_s=%.1f"
            + " userspace_s=%.1f load=%s",
        boots.size(),
        image,
        String.join(
            ",",
            boots.stream().map(b -> String.format(Locale.ROOT, "%.1f", b.bootToSsh())).toList()),
        median(boots.stream().map(Boot::bootToSsh).toList()),
        median(boots.stream().map(Boot::kernel).toList()),
        median(boots.stream().map(Boot::initrd).toList()),
        median(boots.stream().map(Boot::userspace).toList()),
        boots.get(boots.size() - 1).load().replace(' ', '/'));
  }

  Boot bootOnce(Path image, int run) {
    ClusterSpec spec = spec(image);
    StepClock clock = new StepClock();
    Path state = work.resolve("state-" + run);
    // The facade owns the provisioner and closes it.
    try (Kubitect kubitect =
        Kubitect.builder()
            .provisioner(
                LibvirtProvisioner.builder()
                    .domainType(LibvirtProvisioner.DomainType.QEMU)
                    .knownHosts(work.resolve("known_hosts"))
                    .readinessProbe(new SshReadinessProbe(USER))
                    .readinessTimeout(Duration.ofMinutes(20))
                    .readinessInterval(Duration.ofMillis(500))
                    .build())
            .withoutLoadBalancers()
            .withoutKubernetes()
            .stateDirectory(state)
            .listener(clock)
            .approval(plan -> true)
            .build()) {
      try {
        AppliedCluster cluster = kubitect.apply(spec, ApplyAction.CREATE);
        NodeStatus node = cluster.nodes().get(0);
        if (!node.ready()) {
          throw new AssertionError(NODE + " is not ready: " + node);
        }
        double bootToSsh = bootToSsh(clock);
        String load = E2eLab.loadAverage();
        String analyze = onNode(cluster, "systemd-analyze");
        String blame = onNode(cluster, "systemd-analyze blame | head -n 15");
        String cloudInit =
            onNode(
                cluster,
                "sudo cloud-init analyze show 2>/dev/null | grep -E 'Finished'; "
                    + "sudo cloud-init analyze blame 2>/dev/null | head -n 12; "
                    + "systemd-analyze critical-chain --no-pager 2>/dev/null | head -n 25");
        Matcher m = ANALYZE.matcher(analyze);
        if (!m.find()) {
          throw new AssertionError("systemd-analyze said: " + analyze);
        }
        return new Boot(
            bootToSsh,
            seconds(m.group(3)),
            m.group(4) == null ? 0 : seconds(m.group(4)),
            seconds(m.group(5)),
            load,
            blame.strip(),
            cloudInit.strip());
      } finally {
        if (System.getenv("KUBITECT_NODE_BOOT_KEEP") != null) {
          note(
              "KUBITECT_NODE_BOOT_KEEP is set: %s left running; ssh -i %s -o UserKnownHostsFile=%s"
                  + " %s@%s (destroy: kubitect destroy --cluster %s --state %s)",
              NODE,
              state.resolve(CLUSTER + "/config/.ssh/id_ed25519"),
              state.resolve(CLUSTER + "/config/known_hosts"),
              USER,
              IP,
              CLUSTER,
              state);
        } else if (!kubitect.clusters().isEmpty()) {
          kubitect.destroy(CLUSTER);
        }
      }
    }
  }

  /** From the domain started to the readiness wait ended, on the host's clock. */
  private static double bootToSsh(StepClock clock) {
    Optional<StepClock.Timed> vm = clock.nodeStep(Phase.PROVISION, "vm", NODE);
    Optional<StepClock.Timed> ready = clock.nodeStep(Phase.PROVISION, "wait until ready", NODE);
    if (vm.isEmpty() || ready.isEmpty()) {
      throw new AssertionError("no boot steps recorded: " + clock.ended());
    }
    return (ready.get().endNanos() - vm.get().endNanos()) / 1e9;
  }

  private String onNode(AppliedCluster cluster, String command) {
    LabShell.Result r =
        shell.ssh(
            cluster.stateDirectory().resolve("config/.ssh/id_ed25519"),
            cluster.stateDirectory().resolve("config/known_hosts"),
            USER,
            IP,
            command);
    if (r.exit() != 0) {
      throw new AssertionError("ssh " + command + " failed: " + r.err());
    }
    return r.out();
  }

  private static ClusterSpec spec(Path image) {
    String yaml =
        """
        hosts:
          - name: local
            connection:
              type: local
        cluster:
          name: %s
          network:
            mode: nat
            cidr: 10.89.0.0/24
          nodeTemplate:
            user: %s
            updateOnBoot: false
            os:
              distro: debian12
              source: "%s"
              networkInterface: ens3
          nodes:
            master:
              instances:
                - id: 1
                  ip: %s
                  cpu: 1
                  ram: 1
                  mainDiskSize: 4
        kubernetes:
          version: v1.33.4
        """
            .formatted(CLUSTER, USER, image, IP);
    return KubitectYaml.read(yaml, "node-boot.yaml");
  }

  /** systemd-analyze's "1min 2.345" or "2.345" in seconds. */
  static double seconds(String text) {
    String t = text.strip();
    int min = t.indexOf("min ");
    if (min >= 0) {
      return Integer.parseInt(t.substring(0, min)) * 60 + Double.parseDouble(t.substring(min + 4));
    }
    return Double.parseDouble(t);
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static String lastLine(String text) {
    List<String> lines = text.strip().lines().toList();
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
  }

  private static void note(String format, Object... args) {
    System.err.println("node-boot: " + String.format(Locale.ROOT, format, args));
  }
}
