package io.kubitect.core;

import io.kubitect.core.spi.ClusterCredentials;
import io.kubitect.core.spi.InfrastructureStatus;
import io.kubitect.core.spi.Node;
import io.kubitect.core.spi.SshKeyPair;
import io.kubitect.core.spi.Topology;
import io.kubitect.model.ClusterSpec;
import io.kubitect.model.KubitectException;
import io.kubitect.model.KubitectYaml;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
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
import org.jspecify.annotations.Nullable;

/**
 * The state of one cluster on disk, one directory per cluster:
 *
 * <pre>
 * config/kubitect.yaml            the specification of the apply in progress
 * config/kubitect-applied.yaml    the last applied specification, defaults resolved
 * config/provisioning             simulated or real hosts, and which (written before provisioning)
 * config/infrastructure.tsv       nodes as provisioned: name, host, IP, MAC
 * config/known_hosts              node host keys by IP, verified by every SSH client
 * config/admin.conf               kubeconfig (0600)
 * config/.ssh/id_ed25519[.pub]    the node user's key pair (0600)
 * config/.ssh/host-keys/NODE[.pub] the host key injected into each node (0600)
 * artifacts/                      rendered files: load-balancers/NODE/, hosts/HOST/ (simulated)
 * journal                         steps finished by the apply in progress
 * lock                            held while an apply or destroy runs
 * </pre>
 *
 * Every write goes to a temporary file in the same directory and is moved into place atomically, so
 * a crash leaves either the old or the new content, never half of it. Directories are created
 * owner-only (0700) and secrets 0600, whatever the umask. A file that cannot be read makes the
 * state {@linkplain DamagedStateException damaged}, never a stack trace.
 */
final class ClusterDirectory {
  private static final Pattern MUTATING_CALLS = Pattern.compile("mutatingCalls=(\\d+)");

  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY =
      PosixFilePermissions.fromString("rwx------");

  private static final String APPLIED = "config/kubitect-applied.yaml";
  private static final String DESIRED = "config/kubitect.yaml";
  private static final String PROVISIONING = "config/provisioning";

  private final String cluster;
  private final Path root;

  private ClusterDirectory(String cluster, Path root) {
    this.cluster = cluster;
    this.root = root;
  }

  /**
   * The directory of {@code cluster} under {@code stateRoot}. The name must be a valid cluster
   * name, so the directory is always one plain child of the state root.
   *
   * @throws KubitectException when the name is not a cluster name
   */
  static ClusterDirectory of(Path stateRoot, String cluster) {
    ClusterNames.requireValid(cluster);
    Path base = stateRoot.toAbsolutePath().normalize();
    Path root = base.resolve(cluster).normalize();
    if (!base.equals(root.getParent())) {
      // Unreachable for valid names; kept so no derived path ever leaves the state root.
      throw new KubitectException("cluster name " + cluster + " leaves the state directory");
    }
    return new ClusterDirectory(cluster, root);
  }

  String cluster() {
    return cluster;
  }

  Path root() {
    return root;
  }

  boolean exists() {
    return Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS);
  }

  /**
   * Refuses a cluster directory the SDK did not make: a symbolic link (its target could be
   * anywhere) or a file.
   */
  void requirePlainDirectory() {
    if (Files.isSymbolicLink(root)) {
      throw new DamagedStateException(
          cluster, root + " is a symbolic link; cluster state must be a plain directory");
    }
    if (Files.exists(root, LinkOption.NOFOLLOW_LINKS) && !exists()) {
      throw new DamagedStateException(cluster, root + " is not a directory");
    }
  }

  /** Creates the cluster directory (owner only, whatever the umask) when it is missing. */
  void create() {
    requirePlainDirectory();
    createPrivateDirectories(root);
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

  /**
   * The last applied specification.
   *
   * @throws DamagedStateException when the file exists but cannot be read as a specification
   */
  Optional<ClusterSpec> appliedSpec() {
    return spec(APPLIED);
  }

  /**
   * A digest of the applied specification file ({@code "none"} when there is none): a plan made
   * against one digest is stale once it differs.
   */
  String appliedFingerprint() {
    Path file = root.resolve(APPLIED);
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return "none";
    }
    try {
      java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
      return java.util.HexFormat.of().formatHex(sha.digest(Files.readAllBytes(file)));
    } catch (IOException e) {
      throw new DamagedStateException(cluster, APPLIED + " cannot be read: " + describe(e));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  /**
   * The specification of the last apply that started (saved before any host is touched), so a
   * cluster whose first apply was interrupted, or whose applied file is damaged, can still be
   * destroyed.
   *
   * @throws DamagedStateException when the file exists but cannot be read as a specification
   */
  Optional<ClusterSpec> desiredSpec() {
    return spec(DESIRED);
  }

  /**
   * Whether the desired and the applied specification files both exist and hold the same bytes (the
   * state after every completed apply), so one of them need not be read.
   */
  boolean desiredIsApplied() {
    try {
      Path desired = root.resolve(DESIRED);
      Path applied = root.resolve(APPLIED);
      return Files.isRegularFile(desired, LinkOption.NOFOLLOW_LINKS)
          && Files.isRegularFile(applied, LinkOption.NOFOLLOW_LINKS)
          && Files.size(desired) == Files.size(applied)
          && Files.mismatch(desired, applied) == -1;
    } catch (IOException e) {
      return false; // reading each file on its own reports the problem
    }
  }

  private Optional<ClusterSpec> spec(String relative) {
    Path file = root.resolve(relative);
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    try {
      return Optional.of(KubitectYaml.read(file));
    } catch (KubitectException e) {
      throw new DamagedStateException(cluster, relative + ": " + oneLine(e.getMessage()), e);
    }
  }

  /** Saves the applied specification, {@code specYaml} as {@link KubitectYaml#write} made it. */
  void saveApplied(String specYaml) {
    write(root.resolve(APPLIED), specYaml, false);
  }

  /** Saves the specification an apply starts with, as {@link KubitectYaml#write} made it. */
  void saveDesired(String specYaml) {
    write(root.resolve(DESIRED), specYaml, false);
  }

  /**
   * Records how the cluster is provisioned, before any host is touched: destroy honours it, and an
   * apply or destroy with the other kind of provisioner is refused.
   */
  void saveProvisioning(ProvisioningRecord record) {
    write(
        root.resolve(PROVISIONING),
        "# how cluster "
            + cluster
            + " is provisioned; destroy and apply honour it\n"
            + "simulated="
            + record.simulated()
            + "\nhosts="
            + String.join(" ", record.hosts())
            + "\n",
        false);
  }

  /**
   * How the cluster was provisioned: the record, or for state written before records existed, the
   * mode the infrastructure file names. Empty when nothing was ever provisioned.
   *
   * @throws DamagedStateException when the record exists but cannot be read
   */
  Optional<ProvisioningRecord> provisioning() {
    Path file = root.resolve(PROVISIONING);
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      if (!Files.exists(config().resolve("infrastructure.tsv"), LinkOption.NOFOLLOW_LINKS)) {
        return Optional.empty();
      }
      InfrastructureStatus infrastructure = infrastructure();
      return Optional.of(
          new ProvisioningRecord(
              infrastructure.simulated(),
              infrastructure.nodes().stream().map(NodeStatus::host).distinct().toList()));
    }
    Optional<Boolean> simulated = Optional.empty();
    List<String> hosts = List.of();
    for (String line : readState(file, PROVISIONING).split("\n", -1)) {
      if (line.startsWith("simulated=")) {
        String value = line.substring("simulated=".length()).strip();
        if (!value.equals("true") && !value.equals("false")) {
          throw new DamagedStateException(
              cluster, PROVISIONING + ": simulated is " + Violations.quote(value));
        }
        simulated = Optional.of(value.equals("true"));
      } else if (line.startsWith("hosts=")) {
        String value = line.substring("hosts=".length()).strip();
        hosts = value.isEmpty() ? List.of() : List.of(value.split(" +"));
      }
    }
    if (simulated.isEmpty()) {
      throw new DamagedStateException(cluster, PROVISIONING + ": no 'simulated=' line");
    }
    return Optional.of(new ProvisioningRecord(simulated.get(), hosts));
  }

  /**
   * The cluster's keys: the node user's pair (generated once, or copied from {@code
   * nodeTemplate.ssh.privateKeyPath} and its {@code .pub} after both were checked to be SSH keys)
   * and a host key per node of the topology, generated once and kept for the node's life.
   *
   * @throws KubitectException when the given key files are not SSH keys (nothing is copied)
   * @throws DamagedStateException when a key in the state is empty or not a key
   */
  ClusterCredentials credentials(Topology topology, Path home) {
    Path ssh = config().resolve(".ssh");
    createPrivateDirectories(ssh);
    Path privateKey = ssh.resolve("id_ed25519");
    Path publicKey = ssh.resolve("id_ed25519.pub");
    if (!Files.exists(privateKey) || !Files.exists(publicKey)) {
      Optional<String> given = topology.spec().cluster().nodeTemplate().ssh().privateKeyPath();
      if (given.isPresent()) {
        Path source = expandHome(given.get(), home);
        String path = "cluster.nodeTemplate.ssh.privateKeyPath";
        String privateText = givenKey(source, path, SshKeyFiles::privateKeyProblem);
        String publicText =
            givenKey(Path.of(source + ".pub"), path + " (.pub)", SshKeyFiles::publicKeyProblem);
        write(privateKey, privateText, true);
        write(publicKey, publicText, false);
      } else {
        SshKeyPair pair = SshKeyPair.generateEd25519("kubitect@" + topology.clusterName());
        write(privateKey, pair.privateKey(), true);
        write(publicKey, pair.publicKey() + "\n", false);
      }
    }
    Map<String, SshKeyPair> hostKeys = new HashMap<>();
    Path hostKeyDir = ssh.resolve("host-keys");
    createPrivateDirectories(hostKeyDir);
    for (Node node : topology.nodes()) {
      Path key = hostKeyDir.resolve(node.name());
      Path pub = hostKeyDir.resolve(node.name() + ".pub");
      if (!Files.exists(key) || !Files.exists(pub)) {
        SshKeyPair pair = SshKeyPair.generateEd25519("root@" + node.name());
        write(key, pair.privateKey(), true);
        write(pub, pair.publicKey() + "\n", false);
      }
      hostKeys.put(node.name(), new SshKeyPair(stateKey(key, true), stateKey(pub, false)));
    }
    return new ClusterCredentials(privateKey, stateKey(publicKey, false), hostKeys, knownHosts());
  }

  /**
   * The cluster's keys when the state has all of them (the user's pair and every node's host key),
   * read without writing anything; empty when one is missing.
   *
   * @throws DamagedStateException when a key in the state is empty or not a key
   */
  Optional<ClusterCredentials> existingCredentials(Topology topology, Path home) {
    Path ssh = config().resolve(".ssh");
    List<Path> needed =
        new ArrayList<>(List.of(ssh.resolve("id_ed25519"), ssh.resolve("id_ed25519.pub")));
    for (Node node : topology.nodes()) {
      needed.add(ssh.resolve("host-keys").resolve(node.name()));
      needed.add(ssh.resolve("host-keys").resolve(node.name() + ".pub"));
    }
    if (!needed.stream().allMatch(Files::isRegularFile)) {
      return Optional.empty();
    }
    return Optional.of(credentials(topology, home));
  }

  /** A key file the user named, checked before anything of it is copied. */
  private static String givenKey(
      Path file, String path, java.util.function.Function<String, Optional<String>> problem) {
    String text;
    try {
      text = SshKeyFiles.read(file);
    } catch (NoSuchFileException e) {
      throw new KubitectException(path + ": " + file + " does not exist");
    } catch (IOException e) {
      throw new KubitectException(path + ": " + file + " " + describe(e));
    }
    Optional<String> why = problem.apply(text);
    if (why.isPresent()) {
      throw new KubitectException(path + ": " + file + " " + why.get() + "; nothing was copied");
    }
    return text;
  }

  /** A key of the cluster's state, checked: an empty or broken key must not reach a node. */
  private String stateKey(Path file, boolean secret) {
    String relative = root.relativize(file).toString();
    String text;
    try {
      text = SshKeyFiles.read(file);
    } catch (IOException e) {
      throw new DamagedStateException(cluster, relative + " " + describe(e));
    }
    Optional<String> why =
        secret ? SshKeyFiles.privateKeyProblem(text) : SshKeyFiles.publicKeyProblem(text);
    if (why.isPresent()) {
      throw new DamagedStateException(cluster, relative + " " + why.get());
    }
    return secret ? text : text.strip();
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

  /**
   * What {@link #saveInfrastructure} wrote, or an empty status when nothing was provisioned.
   *
   * @throws DamagedStateException when the file cannot be parsed
   */
  InfrastructureStatus infrastructure() {
    String relative = "config/infrastructure.tsv";
    Path file = root.resolve(relative);
    if (!Files.exists(file)) {
      return new InfrastructureStatus(List.of(), false, 0);
    }
    List<NodeStatus> nodes = new ArrayList<>();
    boolean simulated = false;
    int mutatingCalls = 0;
    String[] lines = readState(file, relative).split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.startsWith("#")) {
        simulated = line.contains("simulated=true");
        Matcher mutations = MUTATING_CALLS.matcher(line);
        if (mutations.find()) {
          try {
            mutatingCalls = Integer.parseInt(mutations.group(1));
          } catch (NumberFormatException e) {
            throw new DamagedStateException(
                cluster, relative + " line " + (i + 1) + ": mutatingCalls is not a number");
          }
        }
        continue;
      }
      if (line.isEmpty()) {
        continue;
      }
      String[] f = line.split("\t", -1);
      if (f.length < 5 || f[0].isEmpty() || f[1].isEmpty()) {
        throw new DamagedStateException(
            cluster,
            relative
                + " line "
                + (i + 1)
                + ": expected name, host, ip, mac and ready separated by tabs");
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

  /**
   * Removes the directory and everything in it. The caller holds the cluster lock, and keeps it
   * until this returned. The directory is first renamed to a hidden name that is not a cluster name
   * (one atomic step), so an apply that starts meanwhile finds no cluster and starts afresh instead
   * of writing into a half-removed directory. Symbolic links inside are removed, never followed.
   */
  void deleteAll() {
    if (!exists()) {
      return;
    }
    Path doomed = root.resolveSibling("." + cluster + ".removing-" + ProcessHandle.current().pid());
    try {
      Files.move(root, doomed, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new KubitectException(
          "cannot remove the cluster directory " + root + ": " + describe(e), e);
    }
    try (Stream<Path> walk = Files.walk(doomed)) {
      List<Path> paths = walk.sorted((a, b) -> b.compareTo(a)).toList();
      for (Path path : paths) {
        Files.deleteIfExists(path);
      }
    } catch (IOException | UncheckedIOException e) {
      throw new KubitectException(
          "cannot remove " + doomed + " (the renamed cluster directory): " + describe(e));
    }
  }

  static Path expandHome(String path, Path home) {
    if (path.equals("~")) {
      return home;
    }
    return path.startsWith("~/") ? home.resolve(path.substring(2)) : Path.of(path);
  }

  /** A state file's text; a file that cannot be read makes the state damaged. */
  private String readState(Path file, String relative) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException | UncheckedIOException e) {
      throw new DamagedStateException(cluster, relative + " cannot be read: " + describe(e));
    }
  }

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException | UncheckedIOException e) {
      throw new KubitectException("cannot read " + file + ": " + describe(e), e);
    }
  }

  /** Writes atomically: a temporary sibling, then a rename over the target. */
  static void write(Path file, String content, boolean secret) {
    try {
      Path parent = parentOf(file);
      createPrivateDirectories(parent);
      Path temp = Files.createTempFile(parent, "." + file.getFileName(), ".tmp");
      try {
        // createTempFile makes the file 0600; public files are 0644 whatever the umask.
        Files.setPosixFilePermissions(
            temp, secret ? OWNER_ONLY : PosixFilePermissions.fromString("rw-r--r--"));
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
      throw new KubitectException("cannot write " + file + ": " + describe(e), e);
    }
  }

  /**
   * Creates missing directories owner-only (0700), whatever the process umask: the state holds
   * private keys, and a umask of 000 must not make their directories world-writable.
   */
  static void createPrivateDirectories(Path dir) {
    Path absolute = dir.toAbsolutePath();
    if (Files.isDirectory(absolute)) {
      return;
    }
    Path parent = absolute.getParent();
    if (parent != null) {
      createPrivateDirectories(parent);
    }
    try {
      Files.createDirectory(absolute);
      Files.setPosixFilePermissions(absolute, OWNER_ONLY_DIRECTORY);
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(absolute)) {
        throw new KubitectException(
            "cannot create the directory " + absolute + ": a file of that name is in the way");
      }
    } catch (IOException e) {
      throw new KubitectException(
          "cannot create the directory " + absolute + ": " + describe(e), e);
    }
  }

  /** The directory a file is in (the root for a path without one). */
  static Path parentOf(Path file) {
    Path absolute = file.toAbsolutePath();
    Path parent = absolute.getParent();
    return parent == null ? absolute.getRoot() : parent;
  }

  /** An I/O failure in a few words, without the exception class names. */
  static String describe(Exception e) {
    Throwable cause =
        e instanceof UncheckedIOException u && u.getCause() != null ? u.getCause() : e;
    if (cause instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (cause instanceof NoSuchFileException) {
      return "does not exist";
    }
    if (cause instanceof NotDirectoryException) {
      return "a file is where a directory should be";
    }
    if (cause instanceof FileSystemException f && f.getReason() != null) {
      if (f.getReason().equals("Not a directory")) {
        return "a file is where a directory should be";
      }
      return f.getReason().toLowerCase(java.util.Locale.ROOT);
    }
    String message = cause.getMessage();
    return message == null ? cause.getClass().getSimpleName() : oneLine(message);
  }

  static String oneLine(@Nullable String message) {
    if (message == null) {
      return "(no message)";
    }
    String first = message.strip().lines().findFirst().orElse("");
    return first.length() > 300 ? first.substring(0, 300) + "..." : first;
  }
}
