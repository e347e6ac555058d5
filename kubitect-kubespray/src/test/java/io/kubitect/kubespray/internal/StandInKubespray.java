package io.kubitect.kubespray.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A stand-in for a Kubespray release: a local git repository, tagged like a release, holding the
 * tree of lab/kubespray-standin (its README says what the playbooks check and record). Its marker
 * lines are {@code <playbook> <role> <host it ran for> <address of the machine it ran on>} in
 * {@link #MARKERS}.
 */
final class StandInKubespray {
  private StandInKubespray() {}

  static final String MARKERS = "kubitect-standin/touched";

  /**
   * Creates the repository in {@code dir} with one commit tagged {@code tag}: a copy of the tree in
   * lab/kubespray-standin, which the pom puts on the test class path.
   */
  static Path create(Path dir, String tag) {
    return create(dir, tag, "kubespray-standin");
  }

  /** The same for another stand-in tree of the test class path (lab/k3s-standin: k3s-standin). */
  static Path create(Path dir, String tag, String resource) {
    try {
      URL tree = StandInKubespray.class.getResource("/" + resource);
      if (tree == null) {
        throw new IllegalStateException(resource + " is not on the test class path");
      }
      Path source = Path.of(tree.toURI());
      try (Stream<Path> files = Files.walk(source)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          Path target = dir.resolve(source.relativize(file).toString());
          Files.createDirectories(target.getParent());
          Files.copy(file, target);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    git(dir, "init", "--quiet", "--initial-branch=master");
    git(dir, "add", "-A");
    git(
        dir,
        "-c",
        "user.name=test",
        "-c",
        "user.email=test@example.invalid",
        "commit",
        "--quiet",
        "-m",
        "stand-in Kubespray");
    git(dir, "tag", tag);
    return dir;
  }

  private static void git(Path dir, String... args) {
    String[] command = new String[args.length + 3];
    command[0] = "git";
    command[1] = "-C";
    command[2] = dir.toString();
    System.arraycopy(args, 0, command, 3, args.length);
    NamespaceHosts.sh(command);
  }
}
