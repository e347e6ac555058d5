package io.kubitect.kubespray.internal;

import io.kubitect.core.spi.InstallationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets a Kubespray tree for a release: a git checkout of the tag from a URL or from a local git
 * repository, cached per source and version under {@code <cache>/kubespray/}, and reused; or a
 * local directory that is not a git repository (an unpacked release, for air-gapped use), used in
 * place as it is.
 */
public final class KubesprayCheckout {
  private static final Logger LOG = LoggerFactory.getLogger(KubesprayCheckout.class);
  private static final String MARKER = ".kubitect-checkout";

  private KubesprayCheckout() {}

  /**
   * The Kubespray tree for {@code version} from {@code source}.
   *
   * @throws InstallationException when it cannot be had (clone failed, tag missing, no git)
   */
  public static Path get(String source, String version, Path cacheDirectory, long timeoutSeconds) {
    return get(Tree.KUBESPRAY, source, version, cacheDirectory, timeoutSeconds);
  }

  /**
   * A playbook tree this module runs, for messages and the cache.
   *
   * @param product its name in messages
   * @param cacheName the cache subdirectory of its checkouts
   * @param requiredFile a file every tree of it holds (checked in a local directory)
   * @param sourceSetting where the caller chose the source, named in errors
   */
  public record Tree(String product, String cacheName, String requiredFile, String sourceSetting) {
    /** Kubespray, from {@code kubernetes.kubespray.url}. */
    public static final Tree KUBESPRAY =
        new Tree("Kubespray", "kubespray", "cluster.yml", "kubernetes.kubespray.url");

    /** k3s-ansible, from the k3s installer's builder. */
    public static final Tree K3S_ANSIBLE =
        new Tree("k3s-ansible", "k3s-ansible", "playbook/site.yml", "K3sInstaller.repository");
  }

  /**
   * The {@code tree} for {@code version} from {@code source}.
   *
   * @throws InstallationException when it cannot be had (clone failed, tag missing, no git)
   */
  public static Path get(
      Tree tree, String source, String version, Path cacheDirectory, long timeoutSeconds) {
    Path local = localPath(source);
    if (local != null && Files.isDirectory(local) && !Files.exists(local.resolve(".git"))) {
      if (!Files.exists(local.resolve(tree.requiredFile()))) {
        throw error(
            tree,
            source,
            version,
            local + " is a directory but holds no " + tree.requiredFile(),
            "");
      }
      LOG.info(
          "using {} in {} as it is (not a git repository: version not checked)",
          tree.product(),
          local);
      return local;
    }
    String url = local != null ? local.toAbsolutePath().toString() : source;
    Path target = cacheDirectory.resolve(tree.cacheName()).resolve(version + "-" + shortHash(url));
    String identity = url + "\n" + version + "\n";
    if (Files.isRegularFile(target.resolve(MARKER))) {
      try {
        if (Files.readString(target.resolve(MARKER)).equals(identity)) {
          LOG.debug("reusing {} {} in {}", tree.product(), version, target);
          return target;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    Path temp;
    try {
      Files.createDirectories(target.getParent());
      temp = Files.createTempDirectory(target.getParent(), ".clone-");
    } catch (IOException e) {
      throw error(tree, source, version, "cannot create " + target.getParent() + ": " + e, "");
    }
    try {
      LOG.info("cloning {} {} from {} into {}", tree.product(), version, url, target);
      List<String> clone = new ArrayList<>(List.of("git", "clone", "--quiet", "--no-tags"));
      clone.addAll(List.of("--depth", "1", "--branch", version, "--", url, temp.toString()));
      String out = git(clone, cacheDirectory, timeoutSeconds);
      if (out != null) {
        throw error(tree, source, version, "git clone failed", out);
      }
      Files.writeString(temp.resolve(MARKER), identity);
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
        // Another run got it first (or a stale copy is in the way): replace a stale one.
        if (!Files.isRegularFile(target.resolve(MARKER))
            || !Files.readString(target.resolve(MARKER)).equals(identity)) {
          delete(target);
          Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        }
      } catch (IOException e) {
        if (Files.isDirectory(target)) {
          delete(target);
          Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } else {
          throw e;
        }
      }
      return target;
    } catch (IOException e) {
      throw error(tree, source, version, e.toString(), "");
    } finally {
      if (Files.exists(temp)) {
        delete(temp);
      }
    }
  }

  /** The local directory {@code source} names, or null when it is a remote URL. */
  private static @org.jspecify.annotations.Nullable Path localPath(String source) {
    if (source.startsWith("file://")) {
      return Path.of(java.net.URI.create(source));
    }
    if (source.contains("://") || source.matches("^[^/]+@[^/]+:.*")) {
      return null;
    }
    return Path.of(source);
  }

  /** Runs git; returns null on success, its output otherwise. */
  private static @org.jspecify.annotations.Nullable String git(
      List<String> command, Path directory, long timeoutSeconds) {
    try {
      Process p =
          new ProcessBuilder(command)
              .directory(directory.toFile())
              .redirectErrorStream(true)
              .start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        ProcessTree.kill(p.toHandle(), java.time.Duration.ofSeconds(2));
        return "timed out after " + timeoutSeconds + " s";
      }
      return p.exitValue() == 0 ? null : new String(out, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      return "cannot run git (" + e.getMessage() + "); install git";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private static InstallationException error(
      Tree tree, String source, String version, String reason, String output) {
    return new InstallationException(
        "cannot get "
            + tree.product()
            + " "
            + version
            + " from "
            + source
            + ": "
            + reason
            + (output.isEmpty() ? "" : ": " + output)
            + " ("
            + tree.sourceSetting()
            + " may name a git URL or a local directory)",
        -1,
        "",
        List.of(),
        output);
  }

  private static String shortHash(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      LOG.debug("cannot delete {}: {}", dir, e.toString());
    }
  }
}
