package io.kubitect.core.testing;

import io.kubitect.core.spi.SshKeyPair;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A small network of network namespaces on one machine, created and removed by the test: a bridge
 * in the root namespace (address {@code .1}, so the test JVM reaches every node), and "nodes", each
 * a namespace with one veth on the bridge. Load-balancer nodes run their own OpenSSH server in a
 * private mount namespace with their own {@code /etc/haproxy}, {@code /etc/keepalived}, {@code
 * /etc/sysctl.d} and {@code /run}; master nodes run a tiny HTTPS server answering {@code /readyz}.
 * Traffic only goes to the lab's own addresses.
 */
public final class NamespaceLab implements AutoCloseable {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String id;
  private final String subnet;
  private final Path dir;
  private final String bridge;
  private final Map<String, LabNode> nodes = new LinkedHashMap<>();
  private final Map<String, TestSshd> sshds = new LinkedHashMap<>();
  private final Map<String, Process> masters = new LinkedHashMap<>();
  private @Nullable Path cert;
  private @Nullable Path key;

  /** A node of the lab. */
  public record LabNode(String name, String netns, String ip, Path dir) {}

  private NamespaceLab(String id, String subnet, Path dir) {
    this.id = id;
    this.subnet = subnet;
    this.dir = dir;
    this.bridge = "kt" + id + "br";
  }

  /** Creates the bridge with a free /24 of 10.213.0.0/16. */
  public static NamespaceLab create(Path dir) {
    String routes = Local.run("ip", "-o", "-4", "route", "show") + Local.run("ip", "-o", "addr");
    for (int attempt = 0; attempt < 50; attempt++) {
      int third = 1 + RANDOM.nextInt(250);
      String subnet = "10.213." + third;
      if (routes.contains(subnet + ".")) {
        continue;
      }
      String id = String.format("%04x", RANDOM.nextInt(0x10000));
      NamespaceLab lab = new NamespaceLab(id, subnet, dir);
      try {
        Local.run("ip", "link", "add", lab.bridge, "type", "bridge");
        Local.run("ip", "addr", "add", subnet + ".1/24", "dev", lab.bridge);
        Local.run("ip", "link", "set", lab.bridge, "up");
        return lab;
      } catch (RuntimeException e) {
        lab.close();
        throw e;
      }
    }
    throw new IllegalStateException("no free 10.213.x.0/24 subnet");
  }

  /** {@code 10.213.x} without the last octet. */
  public String subnet() {
    return subnet;
  }

  /** The address {@code subnet.host}. */
  public String ip(int host) {
    return subnet + "." + host;
  }

  /** The lab's directory. */
  public Path dir() {
    return dir;
  }

  /** The nodes. */
  public Map<String, LabNode> nodes() {
    return nodes;
  }

  /** The node called {@code name}. */
  public LabNode node(String name) {
    LabNode node = nodes.get(name);
    if (node == null) {
      throw new IllegalArgumentException("no lab node " + name);
    }
    return node;
  }

  /** Adds a namespace {@code name} with address {@code ip}/24 on {@code eth0}. */
  public LabNode addNode(String name, String ip) {
    String netns = "kt-" + id + "-" + name;
    String hostSide = "kt" + id + "n" + nodes.size();
    Local.run("ip", "netns", "add", netns);
    LabNode node = new LabNode(name, netns, ip, dir.resolve(name));
    nodes.put(name, node);
    Local.run("ip", "link", "add", hostSide, "type", "veth", "peer", "name", hostSide + "p");
    Local.run("ip", "link", "set", hostSide + "p", "netns", netns);
    Local.run("ip", "-n", netns, "link", "set", hostSide + "p", "name", "eth0");
    Local.run("ip", "-n", netns, "addr", "add", ip + "/24", "dev", "eth0");
    Local.run("ip", "-n", netns, "link", "set", "eth0", "up");
    Local.run("ip", "-n", netns, "link", "set", "lo", "up");
    Local.run("ip", "link", "set", hostSide, "master", bridge);
    Local.run("ip", "link", "set", hostSide, "up");
    try {
      Files.createDirectories(node.dir());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return node;
  }

  /**
   * Adds a load-balancer node: a namespace running an OpenSSH server on port 22 with {@code
   * hostKey}, root login with {@code authorizedKey}, and private {@code /etc/haproxy}, {@code
   * /etc/keepalived}, {@code /etc/sysctl.d} and {@code /run}.
   */
  public LabNode addSshNode(String name, String ip, SshKeyPair hostKey, String authorizedKey) {
    LabNode node = addNode(name, ip);
    try {
      Path etc = node.dir().resolve("etc");
      for (String sub : List.of("haproxy", "keepalived", "sysctl.d")) {
        Files.createDirectories(etc.resolve(sub));
      }
      TestSshd sshd =
          TestSshd.start(
              new TestSshd.Spec(node.dir().resolve("sshd"), hostKey, authorizedKey)
                  .listen(ip, 22)
                  .netns(node.netns())
                  .privateRun()
                  .bind(etc.resolve("haproxy"), Path.of("/etc/haproxy"))
                  .bind(etc.resolve("keepalived"), Path.of("/etc/keepalived"))
                  .bind(etc.resolve("sysctl.d"), Path.of("/etc/sysctl.d")));
      sshds.put(name, sshd);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return node;
  }

  /** Adds a master: a namespace with the HTTPS stand-in API server on port 6443. */
  public LabNode addMaster(String name, String ip) {
    LabNode node = addNode(name, ip);
    startMaster(name);
    return node;
  }

  /** (Re)starts the master's HTTPS server and waits until it listens. */
  public void startMaster(String name) {
    LabNode node = node(name);
    try {
      ensureCertificate();
      Path script = dir.resolve("master.py");
      if (!Files.exists(script)) {
        String resource = "/lab/standin/apiserver.py";
        try (InputStream in = NamespaceLab.class.getResourceAsStream(resource)) {
          if (in == null) {
            throw new IOException("missing " + resource + " (lab/kubespray-standin in the pom)");
          }
          Files.write(script, in.readAllBytes());
        }
      }
      Path log = node.dir().resolve("master.log");
      Process process =
          new ProcessBuilder(
                  "ip",
                  "netns",
                  "exec",
                  node.netns(),
                  "/usr/bin/python3",
                  script.toString(),
                  node.ip(),
                  "6443",
                  String.valueOf(cert),
                  String.valueOf(key),
                  name,
                  node.dir().toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      masters.put(name, process);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (!Files.readString(log, StandardCharsets.UTF_8).contains("listening")) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "master " + name + " did not start: " + Files.readString(log));
        }
        Thread.sleep(20);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Kills the master's HTTPS server (SIGKILL): its port closes, as when an API server dies. */
  public void killMaster(String name) {
    Process process = masters.remove(name);
    if (process != null) {
      process.destroyForcibly();
      try {
        process.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Makes the master's {@code /readyz} fail (500) or succeed again; its port stays open. */
  public void setMasterReady(String name, boolean ready) {
    Path flag = node(name).dir().resolve("unready");
    try {
      if (ready) {
        Files.deleteIfExists(flag);
      } else {
        Files.writeString(flag, "");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void ensureCertificate() {
    if (cert != null) {
      return;
    }
    Path c = dir.resolve("master-cert.pem");
    Path k = dir.resolve("master-key.pem");
    Local.run(
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        k.toString(),
        "-out",
        c.toString(),
        "-days",
        "2",
        "-subj",
        "/CN=kubitect-lab-master");
    cert = c;
    key = k;
  }

  /**
   * The root directory as the node's processes see it (its private {@code /run}, {@code
   * /etc/haproxy}, ...), through {@code /proc/PID/root} of its sshd.
   */
  public Path rootOf(String name) {
    TestSshd sshd = sshds.get(name);
    if (sshd == null) {
      throw new IllegalArgumentException(name + " runs no sshd");
    }
    return Path.of("/proc", Long.toString(sshd.pid()), "root");
  }

  /** Process ids in the node's namespace whose command name is one of {@code names}. */
  public List<Long> pids(String node, String... names) {
    LabNode n = node(node);
    List<Long> pids = new ArrayList<>();
    for (String line : Local.run("ip", "netns", "pids", n.netns()).split("\n", -1)) {
      if (line.isBlank()) {
        continue;
      }
      long pid = Long.parseLong(line.strip());
      String comm;
      try {
        comm = Files.readString(Path.of("/proc", Long.toString(pid), "comm")).strip();
      } catch (IOException e) {
        continue;
      }
      if (List.of(names).contains(comm)) {
        pids.add(pid);
      }
    }
    return pids;
  }

  /**
   * Crashes the named daemons of a node: SIGSTOP all of them first (so none can react, e.g.
   * keepalived's child noticing its parent die and sending a goodbye advert), then SIGKILL.
   *
   * @return the nano time at which they stopped acting
   */
  public long crash(String node, String... names) {
    List<Long> pids = pids(node, names);
    if (pids.isEmpty()) {
      throw new IllegalStateException("no " + String.join("/", names) + " running on " + node);
    }
    List<String> stop = new ArrayList<>(List.of("kill", "-STOP"));
    pids.forEach(p -> stop.add(Long.toString(p)));
    long at = System.nanoTime();
    Local.run(stop.toArray(String[]::new));
    List<String> kill = new ArrayList<>(List.of("kill", "-KILL"));
    pids.forEach(p -> kill.add(Long.toString(p)));
    Local.run(kill.toArray(String[]::new));
    return at;
  }

  /** Whether the node's eth0 carries {@code address}. */
  public boolean holds(String node, String address) {
    return !Local.run(
            "ip", "-n", node(node).netns(), "-o", "-4", "addr", "show", "to", address + "/32")
        .isBlank();
  }

  /** Removes everything: processes in the namespaces (by pid), namespaces, bridge. */
  @Override
  public void close() {
    for (Process p : masters.values()) {
      p.destroyForcibly();
    }
    masters.clear();
    for (TestSshd sshd : sshds.values()) {
      sshd.close();
    }
    sshds.clear();
    for (LabNode node : nodes.values()) {
      Local.Result pids = Local.exec("ip", "netns", "pids", node.netns());
      for (String line : pids.output().split("\n", -1)) {
        if (!line.isBlank() && pids.exitCode() == 0) {
          Local.exec("kill", "-KILL", line.strip());
        }
      }
      Local.exec("ip", "netns", "del", node.netns());
    }
    nodes.clear();
    Local.exec("ip", "link", "del", bridge);
  }
}
