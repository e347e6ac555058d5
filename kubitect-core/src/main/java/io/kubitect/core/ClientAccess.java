package io.kubitect.core;

import io.kubitect.core.spi.Topology;
import io.kubitect.model.ClusterSpec;
import io.kubitect.model.KubitectException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What an apply leaves in the user's home besides the cluster directory, and destroy takes away:
 * the cluster's kubeconfig merged into {@code ~/.kube/config} ({@code
 * kubernetes.other.mergeKubeconfig}) and the nodes' verified host keys in {@code
 * ~/.ssh/known_hosts} ({@code cluster.nodeTemplate.ssh.addToKnownHosts}). {@code ~} is the
 * builder's home.
 *
 * <p>What was put there is recorded in the cluster directory ({@code config/user-kubeconfig}: the
 * entry names; {@code config/user-known-hosts}: the lines), so destroy, or an apply that turned the
 * setting off, removes exactly that and nothing of the user's. A file that cannot be changed safely
 * (not a kubeconfig, a symbolic link, locked for a minute ...) is left as it was with a one-line
 * warning; the apply still succeeds. Nodes on simulated hosts have no real host keys or kubeconfig,
 * so nothing of theirs reaches the user's files.
 */
final class ClientAccess {
  private static final String KUBECONFIG_RECORD = "user-kubeconfig";
  private static final String KNOWN_HOSTS_RECORD = "user-known-hosts";

  private ClientAccess() {}

  static Path kubeconfigFile(Path home) {
    return home.resolve(".kube").resolve("config");
  }

  static Path knownHostsFile(Path home) {
    return home.resolve(".ssh").resolve("known_hosts");
  }

  /** Whether an apply of {@code resolved} has anything to do here: a setting on, or a record. */
  static boolean concerns(ClusterSpec resolved, ClusterDirectory dir) {
    return merges(resolved)
        || addsHostKeys(resolved)
        || exists(record(dir, KUBECONFIG_RECORD))
        || exists(record(dir, KNOWN_HOSTS_RECORD));
  }

  private static boolean merges(ClusterSpec spec) {
    return spec.kubernetes().other().mergeKubeconfig().orElse(false);
  }

  private static boolean addsHostKeys(ClusterSpec spec) {
    return spec.cluster().nodeTemplate().ssh().addToKnownHosts().orElse(false);
  }

  /**
   * After an apply: merges or unmerges the kubeconfig and adds or removes the host keys, as the
   * specification says; returns the phase's outcome in a few words.
   */
  static String update(
      ClusterDirectory dir, Topology topology, boolean simulated, Path home, EventBridge events) {
    ClusterSpec spec = topology.spec();
    List<String> done = new ArrayList<>();
    if (merges(spec) && simulated) {
      done.add("skipped on simulated hosts: no kubeconfig merged into " + kubeconfigFile(home));
    } else if (merges(spec)) {
      done.add(mergeKubeconfig(dir, home, events));
    } else if (exists(record(dir, KUBECONFIG_RECORD))) {
      done.add(unmergeKubeconfig(dir, home, events, Phase.KUBECONFIG));
    }
    if (addsHostKeys(spec) && simulated) {
      done.add(
          "skipped on simulated hosts: their host keys are not real, so none went to "
              + knownHostsFile(home));
    } else if (addsHostKeys(spec)) {
      done.add(addHostKeys(dir, home, events));
    } else if (exists(record(dir, KNOWN_HOSTS_RECORD))) {
      done.add(removeHostKeys(dir, home, events, Phase.KUBECONFIG));
    }
    return String.join("; ", done);
  }

  /** On destroy: takes out of the user's files what applies of the cluster put there. */
  static void undo(ClusterDirectory dir, Path home, EventBridge events) {
    if (exists(record(dir, KUBECONFIG_RECORD))) {
      unmergeKubeconfig(dir, home, events, Phase.DESTROY);
    }
    if (exists(record(dir, KNOWN_HOSTS_RECORD))) {
      removeHostKeys(dir, home, events, Phase.DESTROY);
    }
  }

  private static String mergeKubeconfig(ClusterDirectory dir, Path home, EventBridge events) {
    UserFile target = new UserFile(kubeconfigFile(home));
    Step step = Step.of(Phase.KUBECONFIG, "merge the kubeconfig into " + target.path());
    events.started(step);
    if (!Files.isRegularFile(dir.kubeconfig(), LinkOption.NOFOLLOW_LINKS)) {
      String why = "skipped: the cluster has no kubeconfig (Kubernetes is not installed)";
      events.finished(step, StepOutcome.SKIPPED, why);
      return why;
    }
    boolean recorded = exists(record(dir, KUBECONFIG_RECORD));
    try {
      String cluster = ClusterDirectory.read(dir.kubeconfig());
      String source = dir.kubeconfig().toString();
      UserKubeconfig.Names names = UserKubeconfig.names(cluster, source);
      // Recorded first: should the write be cut short, destroy still knows what to take out.
      ClusterDirectory.write(record(dir, KUBECONFIG_RECORD), names.toRecord(), false);
      boolean written;
      try {
        written =
            target.update(
                text -> UserKubeconfig.merge(text, cluster, target.path().toString(), source));
      } catch (UserFile.Unusable e) {
        if (!recorded) {
          deleteRecord(dir, KUBECONFIG_RECORD); // nothing of the cluster's is in the file
        }
        throw e;
      }
      String detail =
          (written ? "merged" : "already merged")
              + " into "
              + target.path()
              + " (context "
              + String.join(", ", names.of("contexts"))
              + ")";
      events.finished(step, StepOutcome.DONE, detail);
      return detail;
    } catch (KubitectException e) {
      return leftAlone(step, e, events);
    }
  }

  private static String unmergeKubeconfig(
      ClusterDirectory dir, Path home, EventBridge events, Phase phase) {
    UserFile target = new UserFile(kubeconfigFile(home));
    Step step = Step.of(phase, "remove the cluster's entries from " + target.path());
    events.started(step);
    try {
      UserKubeconfig.Names names =
          UserKubeconfig.Names.fromRecord(ClusterDirectory.read(record(dir, KUBECONFIG_RECORD)));
      boolean written =
          !names.isEmpty()
              && Files.exists(target.path(), LinkOption.NOFOLLOW_LINKS)
              && target.update(
                  text -> UserKubeconfig.remove(text, names, target.path().toString()));
      deleteRecord(dir, KUBECONFIG_RECORD);
      String detail =
          (written ? "removed the cluster's entries from " : "no entries of the cluster in ")
              + target.path();
      events.finished(step, StepOutcome.DONE, detail);
      return detail;
    } catch (KubitectException e) {
      return leftAlone(step, e, events);
    }
  }

  private static String addHostKeys(ClusterDirectory dir, Path home, EventBridge events) {
    UserFile target = new UserFile(knownHostsFile(home));
    Step step = Step.of(Phase.KUBECONFIG, "add the nodes' host keys to " + target.path());
    events.started(step);
    try {
      List<String> entries = new ArrayList<>();
      if (Files.exists(dir.knownHosts(), LinkOption.NOFOLLOW_LINKS)) {
        for (String line : ClusterDirectory.read(dir.knownHosts()).split("\n", -1)) {
          if (UserKnownHosts.isEntry(line)) {
            entries.add(line);
          }
        }
      }
      List<String> previous = recordedLines(dir);
      ClusterDirectory.write(
          record(dir, KNOWN_HOSTS_RECORD), String.join("\n", union(previous, entries)), false);
      boolean written = target.update(text -> UserKnownHosts.add(text, entries, previous));
      ClusterDirectory.write(record(dir, KNOWN_HOSTS_RECORD), String.join("\n", entries), false);
      String detail =
          entries.size()
              + " host keys "
              + (written ? "written to " : "already in ")
              + target.path();
      events.finished(step, StepOutcome.DONE, detail);
      return detail;
    } catch (KubitectException e) {
      return leftAlone(step, e, events);
    }
  }

  private static String removeHostKeys(
      ClusterDirectory dir, Path home, EventBridge events, Phase phase) {
    UserFile target = new UserFile(knownHostsFile(home));
    Step step = Step.of(phase, "remove the nodes' host keys from " + target.path());
    events.started(step);
    try {
      List<String> ours = recordedLines(dir);
      boolean written =
          !ours.isEmpty()
              && Files.exists(target.path(), LinkOption.NOFOLLOW_LINKS)
              && target.update(text -> UserKnownHosts.remove(text, ours));
      deleteRecord(dir, KNOWN_HOSTS_RECORD);
      String detail =
          (written ? "removed the nodes' host keys from " : "no host keys of the nodes in ")
              + target.path();
      events.finished(step, StepOutcome.DONE, detail);
      return detail;
    } catch (KubitectException e) {
      return leftAlone(step, e, events);
    }
  }

  /** The lines an earlier apply wrote (only entries in the SDK's form count). */
  private static List<String> recordedLines(ClusterDirectory dir) {
    Path file = record(dir, KNOWN_HOSTS_RECORD);
    if (!exists(file)) {
      return List.of();
    }
    return List.of(ClusterDirectory.read(file).split("\n", -1)).stream()
        .filter(UserKnownHosts::isEntry)
        .toList();
  }

  private static List<String> union(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    b.stream().filter(line -> !all.contains(line)).forEach(all::add);
    return all;
  }

  /** The file was left as it was: a skipped step and a one-line warning. */
  private static String leftAlone(Step step, KubitectException e, EventBridge events) {
    String why = ClusterDirectory.oneLine(e.getMessage());
    events.warning(why);
    events.finished(step, StepOutcome.SKIPPED, why);
    return "skipped: " + why;
  }

  private static Path record(ClusterDirectory dir, String name) {
    return dir.config().resolve(name);
  }

  private static boolean exists(Path file) {
    return Files.exists(file, LinkOption.NOFOLLOW_LINKS);
  }

  private static void deleteRecord(ClusterDirectory dir, String name) {
    try {
      Files.deleteIfExists(record(dir, name));
    } catch (java.io.IOException e) {
      throw new UserFile.Unusable(
          "cannot remove " + record(dir, name) + ": " + ClusterDirectory.describe(e));
    }
  }
}
