package io.kubitect.core.loadbalancer;

import io.kubitect.core.spi.ClusterCredentials;
import io.kubitect.core.spi.LoadBalancerInspection;
import io.kubitect.core.spi.SshKeyPair;
import io.kubitect.core.spi.StepListener;
import io.kubitect.core.spi.Topology;
import io.kubitect.core.ssh.SshConnections;
import io.kubitect.core.ssh.SshOptions;
import io.kubitect.core.ssh.SshTarget;
import io.kubitect.core.testing.LabClient;
import io.kubitect.core.testing.NamespaceLab;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The load-balancer lab: two load-balancer nodes ({@code k8s-lb-1} priority 110 at {@code .11},
 * {@code k8s-lb-2} priority 100 at {@code .12}), each a namespace with its own sshd, and three
 * masters ({@code .21}-{@code .23}) with a stand-in API server; virtual IP {@code .100}. The nodes
 * are configured only over SSH, exactly as a real cluster's would be.
 */
public final class LoadBalancerLab implements AutoCloseable {
  public static final List<String> LBS = List.of("k8s-lb-1", "k8s-lb-2");
  public static final List<String> MASTERS =
      List.of("k8s-master-1", "k8s-master-2", "k8s-master-3");

  public final NamespaceLab lab;
  public final Topology topology;
  public final ClusterCredentials credentials;
  public final String vip;

  private LoadBalancerLab(
      NamespaceLab lab, Topology topology, ClusterCredentials credentials, String vip) {
    this.lab = lab;
    this.topology = topology;
    this.credentials = credentials;
    this.vip = vip;
  }

  public static LoadBalancerLab start(Path dir) throws IOException {
    NamespaceLab lab = NamespaceLab.create(dir);
    try {
      SshKeyPair user = SshKeyPair.generateEd25519("kubitect-lab");
      Path key = dir.resolve("id_ed25519");
      Files.writeString(key, user.privateKey(), StandardCharsets.US_ASCII);
      Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
      Map<String, SshKeyPair> hostKeys = new LinkedHashMap<>();
      StringBuilder knownHosts = new StringBuilder();
      Map<String, Integer> lbs = new LinkedHashMap<>();
      for (int i = 0; i < LBS.size(); i++) {
        String name = LBS.get(i);
        String ip = lab.ip(11 + i);
        SshKeyPair hostKey = SshKeyPair.generateEd25519(name);
        hostKeys.put(name, hostKey);
        knownHosts.append(ip).append(' ').append(hostKey.publicKeyWithoutComment()).append('\n');
        lab.addSshNode(name, ip, hostKey, user.publicKey());
        lbs.put(ip, 110 - 10 * i);
      }
      for (int i = 0; i < MASTERS.size(); i++) {
        lab.addMaster(MASTERS.get(i), lab.ip(21 + i));
      }
      Path knownHostsFile = dir.resolve("known_hosts");
      Files.writeString(knownHostsFile, knownHosts);
      String vip = lab.ip(100);
      Topology topology =
          Topology.of(
              LabSpecs.spec(
                  lab.subnet() + ".0/24",
                  Optional.of(vip),
                  lbs,
                  List.of(lab.ip(21), lab.ip(22), lab.ip(23)),
                  List.of(),
                  List.of()));
      ClusterCredentials credentials =
          new ClusterCredentials(key, user.publicKey(), hostKeys, knownHostsFile);
      return new LoadBalancerLab(lab, topology, credentials, vip);
    } catch (IOException | RuntimeException e) {
      lab.close();
      throw e;
    }
  }

  /** Runs the SDK's configurator against the lab's load balancers. */
  public void configure(LoadBalancerTuning tuning, StepListener listener) {
    new KeepalivedHaproxyConfigurator(tuning, SshOptions.defaults())
        .configure(topology, LabSpecs.noStatus(), credentials, listener);
  }

  /** What the SDK's configurator reads from the lab's load balancers. */
  Map<String, LoadBalancerInspection> inspect() {
    Map<String, LoadBalancerInspection> found = new LinkedHashMap<>();
    new KeepalivedHaproxyConfigurator(LoadBalancerTuning.defaults(), SshOptions.defaults())
        .inspect(topology, LabSpecs.noStatus(), credentials)
        .forEach(lb -> found.put(lb.node(), lb));
    return found;
  }

  /** SSH connections to the lab's nodes, as the SDK makes them. */
  SshConnections ssh() {
    return SshConnections.open(credentials, SshOptions.defaults());
  }

  /** The SSH target of a load balancer. */
  SshTarget target(String lb) {
    return SshTarget.of(lab.node(lb).ip(), "root");
  }

  /** Which master serves a new client of {@code VIP:6443}, if any. */
  public Optional<String> whoServes(Duration timeout) {
    return LabClient.whoServes(vip, 6443, timeout);
  }

  /** The load balancers holding the virtual IP. */
  public List<String> vipHolders() {
    return LBS.stream().filter(lb -> lab.holds(lb, vip)).toList();
  }

  /** A file of a load balancer's private /etc (haproxy, keepalived or sysctl.d). */
  Path etc(String lb, String relative) {
    return lab.node(lb).dir().resolve("etc").resolve(relative);
  }

  @Override
  public void close() {
    lab.close();
  }
}
