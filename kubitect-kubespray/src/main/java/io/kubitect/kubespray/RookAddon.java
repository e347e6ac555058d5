package io.kubitect.kubespray;

import io.kubitect.core.Phase;
import io.kubitect.core.Step;
import io.kubitect.core.StepOutcome;
import io.kubitect.core.spi.InstallationException;
import io.kubitect.core.spi.KubernetesInstaller.Action;
import io.kubitect.core.spi.KubernetesInstaller.Request;
import io.kubitect.core.spi.StepListener;
import io.kubitect.core.spi.Topology;
import io.kubitect.kubespray.internal.Helm;
import io.kubitect.kubespray.internal.RookPlan;
import io.kubitect.kubespray.internal.RookValues;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Rook addon ({@code addons.rook}), run by both installers after Kubernetes is installed,
 * scaled or upgraded, and alone for {@link Action#ADDONS}: renders the Helm values into {@code
 * <cluster>/config/helm} and installs the operator and cluster charts with the {@code helm} CLI on
 * this machine and the cluster's kubeconfig. Disabling Rook does not uninstall it (its data would
 * go with it).
 */
final class RookAddon {
  private static final Logger LOG = LoggerFactory.getLogger(RookAddon.class);

  private final Optional<Path> helm;
  private final Duration timeout;

  /**
   * @param helm the helm given to the installer's builder, or empty to look it up on the PATH
   * @param timeout kills a helm call that takes longer; zero for no limit
   */
  RookAddon(Optional<Path> helm, Duration timeout) {
    this.helm = helm;
    this.timeout = timeout;
  }

  /** What is missing to install {@code topology}'s addons here: helm when Rook will install. */
  List<String> missingTools(Topology topology) {
    RookPlan plan;
    try {
      plan = RookPlan.of(topology);
    } catch (IllegalArgumentException e) {
      return List.of(String.valueOf(e.getMessage()));
    }
    if (!plan.installs() || Helm.locate(helm, path()).isPresent()) {
      return List.of();
    }
    return List.of(Helm.missing(helm));
  }

  /** Writes the values a run would use into the cluster's directory; reaches nothing. */
  String render(Request request) {
    RookPlan plan = plan(request.topology());
    if (!plan.installs()) {
      return "Rook: " + plan.describe();
    }
    try {
      RookValues.write(plan, request.workDirectory().toAbsolutePath());
    } catch (IOException e) {
      throw new InstallationException(
          "cannot write the Rook values: " + e, -1, "render Rook values", List.of(), "");
    }
    return "Rook values in "
        + request.workDirectory().toAbsolutePath().resolve(RookValues.DIRECTORY)
        + " ("
        + plan.describe()
        + ")";
  }

  /**
   * Installs or updates Rook after the installer's own work.
   *
   * @param kubeconfig the kubeconfig the installer just wrote, if any (else the cluster's)
   */
  void apply(Request request, StepListener listener, Optional<Path> kubeconfig) {
    RookPlan plan = plan(request.topology());
    if (!plan.enabled()) {
      if (request.action() == Action.ADDONS) {
        Step step = Step.of(Phase.KUBERNETES, "Rook addon");
        listener.started(step);
        listener.finished(
            step,
            StepOutcome.SKIPPED,
            "addons.rook is not enabled; a Rook installed earlier stays installed (disabling"
                + " does not uninstall it: its data would go with it)");
      }
      return;
    }
    if (plan.skipReason().isPresent()) {
      Step step = Step.of(Phase.KUBERNETES, "Rook addon");
      LOG.warn("Rook is enabled but skipped: {}", plan.skipReason().get());
      listener.started(step);
      listener.finished(step, StepOutcome.SKIPPED, "Rook skipped: " + plan.skipReason().get());
      return;
    }
    Path work = request.workDirectory().toAbsolutePath();
    List<Path> values =
        KubesprayInstaller.step(
            listener,
            Step.of(Phase.KUBERNETES, "render Rook values"),
            () -> {
              try {
                return RookValues.write(plan, work);
              } catch (IOException e) {
                throw new InstallationException(
                    "cannot write the Rook values into "
                        + work.resolve(RookValues.DIRECTORY)
                        + ": "
                        + e,
                    -1,
                    "render Rook values",
                    List.of(),
                    "");
              }
            },
            v -> plan.describe());
    Path executable =
        Helm.locate(helm, path())
            .orElseThrow(
                () -> new InstallationException(Helm.missing(helm), -1, "helm", List.of(), ""));
    Path config =
        kubeconfig
            .filter(Files::isRegularFile)
            .or(() -> existing(work.resolve("config").resolve("admin.conf")))
            .or(() -> existing(work.resolve("admin.conf")))
            .orElseThrow(
                () ->
                    new InstallationException(
                        "the Rook addon needs the cluster's kubeconfig, and "
                            + work.resolve("config").resolve("admin.conf")
                            + " does not exist (Kubernetes not installed yet?)",
                        -1,
                        "helm",
                        List.of(),
                        ""));
    Helm run = new Helm(executable.toString(), config, work.resolve("helm"), timeout);
    helmStep(
        listener,
        "helm repo add " + RookPlan.REPOSITORY_NAME,
        () ->
            run.run(
                "repo-add",
                List.of(
                    "repo",
                    "add",
                    RookPlan.REPOSITORY_NAME,
                    RookPlan.REPOSITORY_URL,
                    "--force-update")));
    helmStep(
        listener,
        "helm upgrade --install " + RookPlan.OPERATOR_RELEASE,
        () ->
            run.run(
                "operator",
                upgrade(
                    plan,
                    RookPlan.OPERATOR_RELEASE,
                    RookPlan.OPERATOR_CHART,
                    values.get(0),
                    true)));
    helmStep(
        listener,
        "helm upgrade --install " + RookPlan.CLUSTER_RELEASE,
        () ->
            run.run(
                "cluster",
                upgrade(
                    plan, RookPlan.CLUSTER_RELEASE, RookPlan.CLUSTER_CHART, values.get(1), false)));
  }

  private static RookPlan plan(Topology topology) {
    try {
      return RookPlan.of(topology);
    } catch (IllegalArgumentException e) {
      throw new InstallationException(
          String.valueOf(e.getMessage()), -1, "Rook addon", List.of(), "");
    }
  }

  /** {@code upgrade --install}: installs the release, or updates it to these values. */
  static List<String> upgrade(
      RookPlan plan, String release, String chart, Path values, boolean waitForIt) {
    List<String> args = new ArrayList<>();
    args.add("upgrade");
    args.add("--install");
    args.add(release);
    args.add(chart);
    args.add("--namespace");
    args.add(RookPlan.NAMESPACE);
    args.add("--create-namespace");
    // The chart version matches the image tag Rook publishes with it.
    plan.version()
        .ifPresent(
            v -> {
              args.add("--version");
              args.add(v);
            });
    if (waitForIt) {
      args.add("--wait");
    }
    args.add("--values");
    args.add(values.toString());
    return args;
  }

  private static void helmStep(StepListener listener, String action, Runnable call) {
    KubesprayInstaller.step(
        listener,
        Step.of(Phase.KUBERNETES, action),
        () -> {
          call.run();
          return action;
        },
        a -> "ok");
  }

  private static Optional<Path> existing(Path file) {
    return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
  }

  private static String path() {
    String path = System.getenv("PATH");
    return path == null ? "" : path;
  }
}
