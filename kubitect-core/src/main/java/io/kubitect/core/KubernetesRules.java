package io.kubitect.core;

import static io.kubitect.core.Violations.quote;

import io.kubitect.core.spi.KubesprayVariables;
import io.kubitect.model.ClusterSpec;
import io.kubitect.model.Kubernetes;
import io.kubitect.model.KubernetesManager;
import io.kubitect.model.KubesprayRelease;
import io.kubitect.model.KubesprayReleases;
import io.kubitect.model.KubitectProject;
import io.kubitect.model.NodeInstance;
import io.kubitect.model.Rook;
import io.kubitect.model.SemanticVersion;
import io.kubitect.model.SpecDefaults;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** Rules of the {@code kubernetes} and {@code addons} sections. */
final class KubernetesRules {
  /** The longest text in addons.kubespray (a pasted certificate or configuration fits). */
  static final int ADDON_TEXT_MAX_BYTES = 65_536;

  /** How deep maps and lists in addons.kubespray may nest. */
  static final int ADDON_DEPTH_MAX = 32;

  /** URL schemes git clones from (its native transports). */
  private static final Set<String> GIT_SCHEMES =
      Set.of("http", "https", "ssh", "git", "file", "git+ssh", "ssh+git");

  /** git's {@code <transport>::<address>}, which runs a remote helper ({@code ext::} a command). */
  private static final Pattern GIT_REMOTE_HELPER = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*::.*");

  private KubernetesRules() {}

  static void check(SpecContext context, Violations v) {
    Kubernetes kubernetes = context.spec().kubernetes();
    Optional<KubesprayRelease> release = kubespray(kubernetes, v);
    version(kubernetes, release, v);
    // Unknown managers are refused by the reader (an enum); k3s ignores Kubespray's variables.
    if (kubernetes.manager().orElse(KubernetesManager.KUBESPRAY) == KubernetesManager.K3S
        && !context.spec().addons().kubespray().isEmpty()) {
      v.warning(
          "addons.kubespray",
          "is ignored: kubernetes.manager is 'k3s', which installs k3s through k3s-ansible"
              + " and passes none of these variables");
    }
    kubeconfig(kubernetes, v);
    rook(context.spec(), v);
    addons(context.spec().addons().kubespray(), v);
    kubitectProject(context.spec().kubitect(), v);
  }

  /** {@code copyKubeconfig}, the older schema's (v2.1 to v3.3) predecessor of mergeKubeconfig. */
  private static void kubeconfig(Kubernetes kubernetes, Violations v) {
    Optional<Boolean> copy = kubernetes.other().copyKubeconfig();
    if (copy.isEmpty()) {
      return;
    }
    String path = "kubernetes.other.copyKubeconfig";
    Optional<Boolean> merge = kubernetes.other().mergeKubeconfig();
    if (merge.isPresent() && !merge.equals(copy)) {
      v.error(
          path,
          "is "
              + copy.get()
              + ", the older schema's (Kubitect v2.1 to v3.3) predecessor of mergeKubeconfig,"
              + " which is "
              + merge.get()
              + "; keep only mergeKubeconfig");
      return;
    }
    v.warning(
        path,
        "is the older schema's (Kubitect v2.1 to v3.3) predecessor of mergeKubeconfig and is read"
            + " as mergeKubeconfig: "
            + copy.get()
            + (copy.get()
                ? ": the cluster's kubeconfig is merged into ~/.kube/config, where those versions"
                    + " replaced that file"
                : "")
            + "; write mergeKubeconfig instead");
  }

  /** Kubitect v2's {@code kubitect} section, which has no effect. */
  private static void kubitectProject(KubitectProject project, Violations v) {
    project
        .url()
        .ifPresent(
            url ->
                v.warning(
                    "kubitect.url",
                    quote(url)
                        + " has no effect: Kubitect v2 cloned its playbooks from this repository;"
                        + " this SDK (like current Kubitect) brings its own, so remove the"
                        + " kubitect section"));
    project
        .version()
        .ifPresent(
            version ->
                v.warning(
                    "kubitect.version",
                    quote(version)
                        + " has no effect: Kubitect v2 cloned its playbooks at this version;"
                        + " this SDK (like current Kubitect) brings its own, so remove the"
                        + " kubitect section"));
  }

  /** Checks the Kubespray source and returns the release in use when it is known. */
  private static Optional<KubesprayRelease> kubespray(Kubernetes kubernetes, Violations v) {
    kubernetes.kubespray().url().ifPresent(url -> kubesprayUrl(url, v));
    Optional<String> written = kubernetes.kubespray().version();
    if (written.isEmpty()) {
      return KubesprayReleases.find(KubesprayReleases.DEFAULT_VERSION);
    }
    String path = "kubernetes.kubespray.version";
    String version = written.get();
    if (SemanticVersion.parse(version).isEmpty()) {
      v.error(
          path,
          quote(version)
              + " is not a release tag of the form vX.Y.Z"
              + (Syntax.isVersionWithoutV(version)
                  ? "; write 'v" + version + "'"
                  : " (e.g. " + KubesprayReleases.DEFAULT_VERSION + ")"));
      return Optional.empty();
    }
    Optional<KubesprayRelease> release = KubesprayReleases.find(version);
    if (release.isEmpty()) {
      v.warning(
          path,
          quote(version)
              + " is not a Kubespray release this SDK knows ("
              + KubesprayReleases.all().stream()
                  .map(KubesprayRelease::version)
                  .collect(Collectors.joining(", "))
              + "), so kubernetes.version cannot be checked against it");
    }
    return release;
  }

  private static void kubesprayUrl(String url, Violations v) {
    String path = "kubernetes.kubespray.url";
    if (url.isBlank()) {
      v.error(
          path,
          "is empty; leave it out for "
              + KubesprayReleases.DEFAULT_URL
              + ", or give a Git URL or a local directory");
      return;
    }
    if (ClusterRules.path(url, path, v)) {
      return;
    }
    String allowed =
        "; give an http, https, ssh, git or file URL, user@host:path or a local directory";
    Optional<String> scheme = Syntax.urlScheme(url);
    if (scheme.isPresent() && !GIT_SCHEMES.contains(scheme.get())) {
      v.error(path, quote(url) + " uses the scheme " + quote(scheme.get()) + allowed);
    } else if (scheme.isEmpty() && GIT_REMOTE_HELPER.matcher(url).matches()) {
      v.error(
          path,
          quote(url)
              + " uses git's '<transport>::' remote helper syntax, which can run commands"
              + " (ext::)"
              + allowed);
    }
  }

  private static void version(
      Kubernetes kubernetes, Optional<KubesprayRelease> release, Violations v) {
    Optional<String> written = kubernetes.version();
    if (written.isEmpty()) {
      return;
    }
    String path = "kubernetes.version";
    String version = written.get();
    // 1.33.4, as Kubitect writes it, is v1.33.4 (SpecDefaults.withV).
    Optional<SemanticVersion> parsed = SemanticVersion.parse(SpecDefaults.withV(version));
    if (parsed.isEmpty()) {
      v.error(
          path,
          quote(version)
              + " is not a version of the form vX.Y.Z or X.Y.Z (e.g. "
              + defaultVersion(release)
              + ")");
      return;
    }
    if (release.isPresent() && !release.get().supports(parsed.get())) {
      boolean pinned = kubernetes.kubespray().version().isPresent();
      v.error(
          path,
          quote(version)
              + " is not supported by Kubespray "
              + release.get().version()
              + (pinned
                  ? ""
                  : " (the default release; pin another with kubernetes.kubespray.version)")
              + ", which installs "
              + release.get().kubernetesVersions().stream()
                  .map(String::valueOf)
                  .collect(Collectors.joining(", ")));
    }
  }

  private static String defaultVersion(Optional<KubesprayRelease> release) {
    return release.map(KubesprayRelease::defaultKubernetesVersion).orElse("v1.33.4");
  }

  private static void rook(ClusterSpec spec, Violations v) {
    Rook rook = spec.addons().rook();
    rook.version()
        // Empty, as Kubitect exports it, is not set: the chart's version.
        .filter(version -> !version.isEmpty() && SemanticVersion.parse(version).isEmpty())
        .ifPresent(
            version ->
                v.error(
                    "addons.rook.version",
                    quote(version)
                        + " is not a version of the form vX.Y.Z (e.g. v1.13.4); leave it out for"
                        + " the chart's default"));
    for (Map.Entry<String, String> entry : rook.nodeSelector().entrySet()) {
      String path = NodeRules.keyPath("addons.rook.nodeSelector", entry.getKey());
      Optional<String> problem =
          Syntax.labelKeyProblem(entry.getKey())
              .map(p -> "the key " + quote(entry.getKey()) + " is not a label key: " + p)
              .or(
                  () ->
                      Syntax.labelValueProblem(entry.getValue())
                          .map(
                              p ->
                                  "the value "
                                      + quote(entry.getValue())
                                      + " is not a label value: "
                                      + p));
      problem.ifPresent(p -> v.error(path, p));
    }
    if (rook.enabled().orElse(false) && !hasStorageNode(spec)) {
      v.warning(
          "addons.rook.enabled",
          "is true, but no "
              + (spec.cluster().nodes().worker().instances().isEmpty() ? "master" : "worker")
              + (rook.nodeSelector().isEmpty() ? "" : " that matches addons.rook.nodeSelector")
              + " has a data disk, so Rook is skipped; give the storage nodes dataDisks");
    }
  }

  /**
   * Whether a Rook candidate (a worker, or a master when there are no workers) matches the node
   * selector and has a data disk, after merging the group defaults as the apply will.
   */
  private static boolean hasStorageNode(ClusterSpec spec) {
    ClusterSpec resolved = spec.resolveDefaults();
    List<NodeInstance> candidates = resolved.cluster().nodes().worker().instances();
    if (candidates.isEmpty()) {
      candidates = resolved.cluster().nodes().master().instances();
    }
    Map<String, String> selector = spec.addons().rook().nodeSelector();
    for (NodeInstance node : candidates) {
      boolean selected =
          selector.entrySet().stream()
              .allMatch(
                  s ->
                      node.labels().containsKey(s.getKey())
                          && (s.getValue().isEmpty()
                              || s.getValue().equals(node.labels().get(s.getKey()))));
      if (selected && !node.dataDisks().isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Checks {@code addons.kubespray}: no Ansible connection variable, a warning for variables the
   * specification decides, and values that are data: text without control characters (tab and line
   * breaks aside), at most 64 KiB each, nested at most {@value #ADDON_DEPTH_MAX} levels, with a
   * warning where they look like templates, which are not expanded.
   */
  private static void addons(Map<String, Object> variables, Violations v) {
    for (Map.Entry<String, Object> variable : variables.entrySet()) {
      String name = variable.getKey();
      String path = NodeRules.keyPath("addons.kubespray", name);
      Optional<String> refusal = KubesprayVariables.refusal(name);
      if (refusal.isPresent()) {
        v.error(path, refusal.get());
        continue;
      }
      Optional<String> field = KubesprayVariables.decidingField(name);
      if (field.isPresent()) {
        v.warning(
            path,
            "is decided by "
                + field.get()
                + "; ignored (Kubespray gets the specification's value)");
        continue;
      }
      if (deeperThan(variable.getValue(), ADDON_DEPTH_MAX)) {
        v.error(path, "nests deeper than " + ADDON_DEPTH_MAX + " levels of maps and lists");
        continue;
      }
      text(name, path, false, v);
      addonValue(variable.getValue(), path, v);
    }
  }

  private static boolean deeperThan(@Nullable Object value, int levels) {
    Iterable<?> children;
    if (value instanceof Map<?, ?> map) {
      children = map.values();
    } else if (value instanceof List<?> list) {
      children = list;
    } else {
      return false;
    }
    if (levels == 0) {
      return true;
    }
    for (Object child : children) {
      if (deeperThan(child, levels - 1)) {
        return true;
      }
    }
    return false;
  }

  private static void addonValue(@Nullable Object value, String path, Violations v) {
    if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        String key = String.valueOf(entry.getKey());
        String keyPath = NodeRules.keyPath(path, key);
        text(key, keyPath, false, v);
        addonValue(entry.getValue(), keyPath, v);
      }
    } else if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        addonValue(list.get(i), path + "[" + i + "]", v);
      }
    } else if (value != null && !(value instanceof Boolean) && !(value instanceof Number)) {
      text(String.valueOf(value), path, true, v);
    }
  }

  /** Checks one key or text value of addons.kubespray. */
  private static void text(String text, String path, boolean value, Violations v) {
    Optional<String> problem = Syntax.textProblem(text, ADDON_TEXT_MAX_BYTES, value);
    if (problem.isPresent()) {
      v.error(path, (value ? "the value " : "the key ") + quote(text) + " " + problem.get());
    } else if (value && (text.contains("{{") || text.contains("{%"))) {
      v.warning(
          path,
          quote(text)
              + " is passed to Kubespray as data and not templated: Ansible gets the braces as"
              + " written and expands no variable or lookup in them");
    }
  }
}
