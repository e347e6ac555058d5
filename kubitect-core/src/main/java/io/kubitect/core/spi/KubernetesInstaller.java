package io.kubitect.core.spi;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Installs, scales and upgrades Kubernetes on ready nodes. Implemented by the Kubespray module. */
public interface KubernetesInstaller {

  /** What to do. */
  enum Action {
    /** Install on every node (also re-run to converge an existing cluster). */
    CREATE,
    /** Join {@link Request#nodes()} to the cluster. */
    SCALE_UP,
    /**
     * Drain and remove {@link Request#nodes()} from the cluster, one by one. Runs before the
     * provisioner deletes their VMs: the request's topology is the desired one (without them), and
     * its infrastructure is the one last provisioned (with them and their addresses).
     */
    REMOVE_NODES,
    /** Upgrade to the topology's Kubernetes version. */
    UPGRADE,
    /**
     * Apply only the addons ({@code addons.rook}) to the running cluster: planned when nothing but
     * the addons (or, with Rook enabled, data disks) changed, so Kubernetes is not rerun.
     */
    ADDONS
  }

  /**
   * One installer run.
   *
   * @param nodes the nodes added or removed, for {@link Action#SCALE_UP} and {@link
   *     Action#REMOVE_NODES}; empty otherwise
   * @param workDirectory the cluster's directory for inventory, variables, logs and kubeconfig
   */
  record Request(
      Action action,
      Topology topology,
      InfrastructureStatus infrastructure,
      ClusterCredentials credentials,
      List<String> nodes,
      Path workDirectory) {
    /** Copies the list so the record stays immutable. */
    public Request {
      nodes = List.copyOf(nodes);
    }
  }

  /**
   * Runs the installer.
   *
   * @return the kubeconfig file (mode 0600) after CREATE and UPGRADE, empty otherwise
   * @throws InstallationException with exit code, failed task and hosts, and the log tail
   */
  Optional<Path> install(Request request, StepListener listener);

  /**
   * What this machine lacks to run {@code topology}'s installation (a tool that is not installed),
   * one line each saying what is missing and how to provide it. The facade refuses an apply on real
   * hosts that has installer steps while any is missing, before anything is touched.
   */
  default List<String> missingTools(Topology topology) {
    return List.of();
  }

  /**
   * Writes what a run would use (inventory, variables) into the request's work directory without
   * reaching any node, and checks it with local tools when they are installed. Used on simulated
   * hosts, where no node runs.
   *
   * @return what was written and checked, for the progress report
   */
  default String render(Request request) {
    return "rendering not supported by " + getClass().getSimpleName();
  }
}
