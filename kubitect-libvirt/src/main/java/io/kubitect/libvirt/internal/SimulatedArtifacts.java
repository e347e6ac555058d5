package io.kubitect.libvirt.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Writes what simulated hosts hold for a topology, so a test can inspect what a real host would
 * have been sent. For every host with a connection, under {@code DIR/<host>/}:
 *
 * <pre>
 * network.xml                         the cluster's network as the host holds it (not in bridge mode)
 * pools/&lt;pool&gt;.xml                    every pool of the cluster, as the host holds it
 * domains/&lt;node&gt;.xml                  every node's domain, as the host holds it
 * cloud-init/&lt;node&gt;/user-data         the files that went into the node's NoCloud seed ISO
 * cloud-init/&lt;node&gt;/meta-data
 * cloud-init/&lt;node&gt;/network-config
 * </pre>
 *
 * XML is read back from the test driver (libvirt's normalised form, with UUIDs); the seed files are
 * those the host was handed when the seed volume was created. {@code DIR} is replaced as a whole,
 * so a node removed from the topology leaves no files behind. Directories are created 0700 and
 * files 0600: user-data holds the node's SSH host private key.
 */
final class SimulatedArtifacts {
  private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9_-]");

  private SimulatedArtifacts() {}

  /**
   * Writes the artifacts of {@code plans}' hosts found in {@code hosts} into {@code directory};
   * returns what was written, for the progress report.
   */
  static String write(List<HostPlan> plans, Map<String, SimulatedHost> hosts, Path directory) {
    int networks = 0;
    int domains = 0;
    int seeds = 0;
    try {
      deleteTree(directory);
      createPrivateDirectory(directory);
      for (HostPlan plan : plans) {
        SimulatedHost host = hosts.get(plan.name());
        if (host == null) {
          continue; // never connected: nothing to show
        }
        Hypervisor driver = host.driver();
        Path hostDir = directory.resolve(safe(plan.name()));
        if (plan.network().isPresent()) {
          Optional<Hypervisor.NetworkState> network = driver.network(plan.network().get().name());
          if (network.isPresent()) {
            writePrivate(hostDir.resolve("network.xml"), network.get().xml());
            networks++;
          }
        }
        for (PoolPlan pool : plan.pools()) {
          Optional<Hypervisor.PoolState> state = driver.pool(pool.name());
          if (state.isPresent()) {
            writePrivate(
                hostDir.resolve("pools").resolve(safe(pool.name()) + ".xml"), state.get().xml());
          }
        }
        for (VmPlan vm : plan.vms()) {
          Optional<Hypervisor.DomainState> domain = driver.domain(vm.name());
          boolean owned =
              domain.isPresent()
                  && DomainXml.ownership(domain.get().xml())
                      .map(o -> o.cluster().equals(plan.cluster()))
                      .orElse(false);
          if (owned) {
            writePrivate(
                hostDir.resolve("domains").resolve(safe(vm.name()) + ".xml"), domain.get().xml());
            domains++;
          }
          Optional<Map<String, byte[]>> files =
              host.seedFiles(vm.cloudInit().pool(), vm.cloudInit().name());
          if (owned && files.isPresent()) {
            Path seedDir = hostDir.resolve("cloud-init").resolve(safe(vm.name()));
            for (Map.Entry<String, byte[]> file : files.get().entrySet()) {
              writePrivate(
                  seedDir.resolve(safe(file.getKey())),
                  new String(file.getValue(), StandardCharsets.UTF_8));
            }
            seeds++;
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write the simulated hosts' artifacts in " + directory, e);
    }
    return "wrote "
        + domains
        + " domain(s), "
        + seeds
        + " cloud-init seed(s) and "
        + networks
        + " network(s) of "
        + hosts.size()
        + " simulated host(s) to "
        + directory;
  }

  /** A file name from a validated name; anything else becomes {@code _}. */
  private static String safe(String name) {
    String cleaned = UNSAFE.matcher(name).replaceAll("_");
    return cleaned.isEmpty() ? "_" : cleaned;
  }

  private static void writePrivate(Path file, String content) throws IOException {
    Path parent = file.getParent();
    if (parent != null) {
      createPrivateDirectory(parent);
    }
    Files.deleteIfExists(file);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, content, StandardCharsets.UTF_8);
  }

  private static void createPrivateDirectory(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    Path parent = dir.getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.createDirectory(
        dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    // the umask may have taken bits away, never added them; set exactly
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
  }

  /** Deletes a directory tree; symbolic links inside are removed, never followed. */
  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (!Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      Files.delete(dir);
      return;
    }
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            Files.delete(d);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
