package io.kubitect.kubespray.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Rewrites the admin kubeconfig Kubespray leaves on the first master for the user: the cluster,
 * user and context names Kubespray gives ({@code cluster.local}, {@code kubernetes-admin}, {@code
 * kubernetes-admin@cluster.local}) become the cluster name, and the server becomes the API endpoint
 * the load balancers serve. Names are rewritten structurally, never in certificate data, and the
 * replacements apply longest key first, so the result does not depend on map order (Kubitect's
 * rename did: reference quirk 6).
 */
public final class Kubeconfig {
  private Kubeconfig() {}

  /**
   * The replacements for a cluster: each Kubespray name and the name it becomes.
   *
   * @param kubesprayClusterName Kubespray's {@code cluster_name} ({@code cluster.local})
   */
  public static Map<String, String> renames(String kubesprayClusterName, String clusterName) {
    Map<String, String> renames = new LinkedHashMap<>();
    renames.put("kubernetes-admin@" + kubesprayClusterName, clusterName);
    renames.put("kubernetes-admin", clusterName);
    renames.put(kubesprayClusterName, clusterName);
    return renames;
  }

  /** Applies {@code renames} to one name: whole-name matches first, then longest key first. */
  static String rename(String name, Map<String, String> renames) {
    String exact = renames.get(name);
    if (exact != null) {
      return exact;
    }
    List<String> keys = new ArrayList<>(renames.keySet());
    keys.sort(Comparator.comparingInt(String::length).reversed().thenComparing(k -> k));
    String result = name;
    for (String key : keys) {
      if (key.isEmpty()) {
        throw new IllegalArgumentException("cannot rename with an empty key");
      }
      result = result.replace(key, renames.get(key));
    }
    return result;
  }

  /** The rewritten kubeconfig text. */
  @SuppressWarnings("unchecked")
  public static String rewrite(String kubeconfig, Map<String, String> renames, String server) {
    LoaderOptions loading = new LoaderOptions();
    org.yaml.snakeyaml.Yaml yaml =
        new org.yaml.snakeyaml.Yaml(
            new SafeConstructor(loading), new Representer(dumping()), dumping(), loading);
    Object root = yaml.load(kubeconfig);
    if (!(root instanceof Map<?, ?>)) {
      throw new IllegalArgumentException("the kubeconfig is not a YAML mapping");
    }
    Map<String, Object> config = (Map<String, Object>) root;
    for (Map<String, Object> cluster : entries(config, "clusters")) {
      renameField(cluster, "name", renames);
      Object body = cluster.get("cluster");
      if (body instanceof Map<?, ?> b) {
        ((Map<String, Object>) b).put("server", server);
      }
    }
    for (Map<String, Object> user : entries(config, "users")) {
      renameField(user, "name", renames);
    }
    for (Map<String, Object> context : entries(config, "contexts")) {
      renameField(context, "name", renames);
      Object body = context.get("context");
      if (body instanceof Map<?, ?> b) {
        renameField((Map<String, Object>) b, "cluster", renames);
        renameField((Map<String, Object>) b, "user", renames);
      }
    }
    renameField(config, "current-context", renames);
    return yaml.dump(config);
  }

  /** Writes the rewritten kubeconfig atomically, mode 0600 from the start. */
  public static Path write(Path target, String content) throws IOException {
    Files.createDirectories(target.toAbsolutePath().getParent());
    Path temp =
        Files.createTempFile(
            target.toAbsolutePath().getParent(),
            ".kubeconfig-",
            ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      Files.writeString(temp, content);
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
    return target;
  }

  private static DumperOptions dumping() {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setIndent(2);
    options.setWidth(Integer.MAX_VALUE);
    return options;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> entries(Map<String, Object> config, String key) {
    List<Map<String, Object>> out = new ArrayList<>();
    if (config.get(key) instanceof List<?> list) {
      for (Object item : list) {
        if (item instanceof Map<?, ?> m) {
          out.add((Map<String, Object>) m);
        }
      }
    }
    return out;
  }

  private static void renameField(
      Map<String, Object> map, String field, Map<String, String> renames) {
    if (map.get(field) instanceof String s) {
      map.put(field, rename(s, renames));
    }
  }
}
