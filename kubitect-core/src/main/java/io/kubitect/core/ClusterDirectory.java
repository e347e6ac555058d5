package io.kubitect.core;

import io.kubitect.model.ClusterSpec;
import io.kubitect.model.KubitectException;
import io.kubitect.model.KubitectYaml;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The state of one cluster on disk, one directory per cluster:
 *
 * <pre>
 * config/kubitect.yaml            the specification of the apply in progress
 * config/kubitect-applied.yaml    the last applied specification, defaults resolved
 * config/infrastructure.tsv       nodes as provisioned: name, host, IP, MAC
 * config/known_hosts              node host keys by IP, verified by every SSH client
 * config/admin.conf               kubeconfig (0600)
 * config/.ssh/id_ed25519[.pub]    the node user's key pair (0600)
 * config/.ssh/host-keys/NODE[.pub] the host key injected into each node (0600)
 * artifacts/                      rendered files (haproxy.cfg, inventory, ...)
 * journal                         steps finished by the apply in progress
 * lock                            held while an apply or destroy runs
 * </pre>
 *
 * Every write goes to a temporary file in the same directory and is moved into place atomically, so
 * a crash leaves either the old or the new content, never half of it.
 */
final class ClusterDirectory {
  private static final Pattern MUTATING_CALLS = Pattern.compile("mutatingCalls=(\\d+)");

  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private final Path root;

  ClusterDirectory(Path root) {
    this.root = root;
  }

  Path root() {
    return root;
  }

  boolean exists() {
    return Files.isDirectory(root);
  }

  Path config() {
    return root.resolve("config");
  }

  Path artifacts() {
    return root.resolve("artifacts");
  }

  Path kubeconfig() {
    return config().resolve("admin.conf");
  }

  Path knownHosts() {
    return config().resolve("known_hosts");
  }

  Path lockFile() {
    return root.resolve("lock");
  }

  Path journalFile() {
    return root.resolve("journal");
  }

  Optional<ClusterSpec> appliedSpec() {
    Path file = config().resolve("kubitect-applied.yaml");
    return Files.exists(file) ? Optional.of(KubitectYaml.read(file)) : Optional.empty();
  }

  void saveApplied(ClusterSpec resolved) {
    write(config().resolve("kubitect-applied.yaml"), KubitectYaml.write(resolved), false);
  }

  void saveDesired(ClusterSpec spec) {
    write(config().resolve("kubitect.yaml"), KubitectYaml.write(spec), false);
  }

  /**
   * The cluster's keys: the node user's pair (generated once, or copied from {@code
   * nodeTemplate.ssh.privateKeyPath} and its {@code .pub}) and a host key per node of the topology,
   * generated once and kept for the node's life.
   */
  ClusterCredentials credentials(Topology topology, Path home) {
    Path ssh = config().resolve(".ssh");
    Path privateKey = ssh.resolve("id_ed25519");
    Path publicKey = ssh.resolve("id_ed25519.pub");
    if (!Files.exists(privateKey) || !Files.exists(publicKey)) {
      Optional<String> given = topology.spec().cluster().nodeTemplate().ssh().privateKeyPath();
      if (given.isPresent()) {
        Path source = expandHome(given.get(), home);
        write(privateKey, read(source), true);
        write(publicKey, read(Path.of(source + ".pub")), false);
      } else {
        SshKeyPair pair = SshKeyPair.generateEd25519("kubitect@" + topology.clusterName());
        write(privateKey, pair.privateKey(), true);
        write(publicKey, pair.publicKey() + "\n", false);
      }
    }
    Map<String, SshKeyPair> hostKeys = new HashMap<>();
    Path hostKeyDir = ssh.resolve("host-keys");
    for (Node node : topology.nodes()) {
      Path key = hostKeyDir.resolve(node.name());
      Path pub = hostKeyDir.resolve(node.name() + ".pub");
      if (!Files.exists(key) || !Files.exists(pub)) {
        SshKeyPair pair = SshKeyPair.generateEd25519("root@" + node.name());
        write(key, pair.privateKey(), true);
        write(pub, pair.publicKey() + "\n", false);
      }
      hostKeys.put(node.name(), new SshKeyPair(read(key), read(pub).trim()));
    }
    return new ClusterCredentials(privateKey, read(publicKey).trim(), hostKeys, knownHosts());
  }

  /** Rewrites known_hosts with the host key of every node that has an address. */
  void writeKnownHosts(InfrastructureStatus infrastructure, ClusterCredentials credentials) {
    StringBuilder text = new StringBuilder();
    for (NodeStatus node : infrastructure.nodes()) {
      Optional<SshKeyPair> key = credentials.hostKey(node.name());
      if (node.ip().isPresent() && key.isPresent()) {
        text.append(node.ip().get())
            .append(' ')
            .append(key.get().publicKeyWithoutComment())
            .append('\n');
      }
    }
    write(knownHosts(), text.toString(), false);
  }

  /** Nodes as provisioned, one per line: name, host, IP, MAC, ready (tab-separated). */
  void saveInfrastructure(InfrastructureStatus infrastructure) {
    StringBuilder text =
        new StringBuilder("# name\thost\tip\tmac\tready (simulated=")
            .append(infrastructure.simulated())
            .append(", mutatingCalls=")
            .append(infrastructure.mutatingCalls())
            .append(")\n");
    for (NodeStatus node : infrastructure.nodes()) {
      if (node.change() == ResourceChange.REMOVED) {
        continue;
      }
      text.append(node.name())
          .append('\t')
          .append(node.host())
          .append('\t')
          .append(node.ip().orElse("-"))
          .append('\t')
          .append(node.mac().orElse("-"))
          .append('\t')
          .append(node.ready())
          .append('\n');
    }
    write(config().resolve("infrastructure.tsv"), text.toString(), false);
  }

  /** What {@link #saveInfrastructure} wrote, or an empty status when nothing was provisioned. */
  InfrastructureStatus infrastructure() {
    Path file = config().resolve("infrastructure.tsv");
    if (!Files.exists(file)) {
      return new InfrastructureStatus(List.of(), false, 0);
    }
    List<NodeStatus> nodes = new ArrayList<>();
    boolean simulated = false;
    int mutatingCalls = 0;
    for (String line : read(file).split("\n", -1)) {
      if (line.startsWith("#")) {
        simulated = line.contains("simulated=true");
        Matcher mutations = MUTATING_CALLS.matcher(line);
        if (mutations.find()) {
          mutatingCalls = Integer.parseInt(mutations.group(1));
        }
        continue;
      }
      String[] f = line.split("\t", -1);
      if (f.length < 5) {
        continue;
      }
      nodes.add(
          new NodeStatus(
              f[0],
              f[1],
              "-".equals(f[2]) ? Optional.empty() : Optional.of(f[2]),
              "-".equals(f[3]) ? Optional.empty() : Optional.of(f[3]),
              ResourceChange.UNCHANGED,
              Boolean.parseBoolean(f[4]),
              Optional.empty()));
    }
    return new InfrastructureStatus(nodes, simulated, mutatingCalls);
  }

  void deleteAll() {
    if (!exists()) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      List<Path> paths = walk.sorted((a, b) -> b.compareTo(a)).toList();
      for (Path path : paths) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new KubitectException(
          "cannot remove the cluster directory " + root + ": " + e.getMessage(), e);
    }
  }

  static Path expandHome(String path, Path home) {
    if (path.equals("~")) {
      return home;
    }
    return path.startsWith("~/") ? home.resolve(path.substring(2)) : Path.of(path);
  }

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new KubitectException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Writes atomically: a temporary sibling, then a rename over the target. */
  static void write(Path file, String content, boolean secret) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path temp = Files.createTempFile(parent, "." + file.getFileName(), ".tmp");
      try {
        if (secret) {
          Files.setPosixFilePermissions(temp, OWNER_ONLY);
        }
        Files.writeString(temp, content, StandardCharsets.UTF_8);
        try {
          Files.move(
              temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
