package io.kubitect.kubespray.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Helm values of the Rook addon (reference §5.4), written with {@link Yaml} (every string
 * double-quoted, so selector keys and values cannot change the document's structure). Each file
 * starts with comments naming the Rook and OSD nodes the counts were computed from; Helm ignores
 * them, the test stand-in checks the counts against them.
 */
public final class RookValues {
  /** Where the values go, relative to the cluster's directory. */
  public static final String DIRECTORY = "config/helm";

  public static final String OPERATOR_FILE = "rook-operator-values.yaml";
  public static final String CLUSTER_FILE = "rook-cluster-values.yaml";

  private static final String IMAGE = "rook/ceph";

  private RookValues() {}

  /** The operator chart's values: image, discovery daemon, CSI provisioner replicas, affinity. */
  public static String operator(RookPlan plan) {
    Map<String, Object> image = new LinkedHashMap<>();
    image.put("repository", IMAGE);
    plan.version().ifPresent(v -> image.put("tag", v));
    Map<String, Object> csi = new LinkedHashMap<>();
    csi.put("provisionerReplicas", plan.replication());
    Map<String, Object> discover = new LinkedHashMap<>();
    if (!plan.selector().isEmpty()) {
      csi.put("provisionerNodeAffinity", plan.affinity());
      discover.put("nodeAffinity", plan.affinity());
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("image", image);
    root.put("enableDiscoveryDaemon", true);
    root.put("csi", csi);
    if (!discover.isEmpty()) {
      root.put("discover", discover);
    }
    return header(plan) + Yaml.write(root);
  }

  /**
   * The cluster chart's values: toolbox, Ceph settings, mon and mgr counts, dashboard, placement on
   * the selected nodes, storage on every device, and the block, filesystem (default) and bucket
   * storage classes.
   */
  public static String cluster(RookPlan plan) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("operatorNamespace", RookPlan.NAMESPACE);
    Map<String, Object> toolbox = new LinkedHashMap<>();
    toolbox.put("enabled", true);
    plan.version().ifPresent(v -> toolbox.put("image", IMAGE + ":" + v));
    root.put("toolbox", toolbox);
    root.put(
        "configOverride",
        "[global]\n"
            + "mon_allow_pool_delete = true\n"
            + "osd_pool_default_size = "
            + plan.replication()
            + "\n"
            + "osd_pool_default_min_size = "
            + plan.minSize()
            + "\n");

    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("mon", map("count", plan.mon(), "allowMultiplePerNode", false));
    spec.put(
        "mgr",
        map(
            "count",
            plan.mgr(),
            "modules",
            List.of(map("name", "pg_autoscaler", "enabled", true))));
    spec.put("dashboard", map("enabled", true, "port", 8443, "ssl", true));
    if (!plan.selector().isEmpty()) {
      spec.put("placement", map("all", placement(plan)));
    }
    spec.put("storage", map("useAllNodes", true, "useAllDevices", true));
    spec.put("removeOSDsIfOutAndSafeToRemove", true);
    root.put("cephClusterSpec", spec);

    root.put("cephBlockPools", List.of(blockPool(plan)));
    root.put("cephFileSystems", List.of(fileSystem(plan)));
    root.put("cephObjectStores", List.of(objectStore(plan)));
    return header(plan) + Yaml.write(root);
  }

  /** Writes both files into {@code <cluster>/config/helm}; returns the operator's and cluster's. */
  public static List<Path> write(RookPlan plan, Path clusterDirectory) throws IOException {
    Path dir = Files.createDirectories(clusterDirectory.resolve(DIRECTORY));
    Path operator = dir.resolve(OPERATOR_FILE);
    Path cluster = dir.resolve(CLUSTER_FILE);
    Files.writeString(operator, operator(plan));
    Files.writeString(cluster, cluster(plan));
    return List.of(operator, cluster);
  }

  private static String header(RookPlan plan) {
    // Node names are cluster-derived ([a-z0-9-]), safe in a comment line.
    return "# Written by Kubitect for the Rook addon; rewritten on every apply.\n"
        + "# rook-nodes: "
        + String.join(",", plan.nodes())
        + "\n"
        + "# osd-nodes: "
        + String.join(",", plan.osdNodes())
        + "\n";
  }

  private static Map<String, Object> placement(RookPlan plan) {
    List<Object> expressions = new ArrayList<>();
    List<Object> tolerations = new ArrayList<>();
    plan.selector()
        .forEach(
            (key, value) -> {
              Map<String, Object> expression = new LinkedHashMap<>();
              expression.put("key", key);
              if (value.isEmpty()) {
                expression.put("operator", "Exists");
              } else {
                expression.put("operator", "In");
                expression.put("values", List.of(value));
              }
              expressions.add(expression);
              tolerations.add(map("key", key, "operator", "Exists"));
            });
    Map<String, Object> required =
        map("nodeSelectorTerms", List.of(map("matchExpressions", expressions)));
    Map<String, Object> placement = new LinkedHashMap<>();
    placement.put("nodeAffinity", map("requiredDuringSchedulingIgnoredDuringExecution", required));
    placement.put("tolerations", tolerations);
    return placement;
  }

  private static Map<String, Object> replicated(RookPlan plan) {
    Map<String, Object> replicated = new LinkedHashMap<>();
    replicated.put("size", plan.replication());
    // Ceph refuses a pool of one replica unless told that it is meant.
    replicated.put("requireSafeReplicaSize", plan.replication() > 1);
    return replicated;
  }

  private static Map<String, Object> blockPool(RookPlan plan) {
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("imageFormat", "2");
    parameters.put("imageFeatures", "layering");
    csiSecrets(parameters, "rook-csi-rbd-provisioner", "rook-csi-rbd-node");
    Map<String, Object> storageClass = new LinkedHashMap<>();
    storageClass.put("enabled", true);
    storageClass.put("name", "ceph-block");
    storageClass.put("isDefault", false);
    storageClass.put("reclaimPolicy", "Delete");
    storageClass.put("allowVolumeExpansion", true);
    storageClass.put("parameters", parameters);
    Map<String, Object> pool = new LinkedHashMap<>();
    pool.put("name", "ceph-blockpool");
    pool.put("spec", map("failureDomain", "host", "replicated", replicated(plan)));
    pool.put("storageClass", storageClass);
    return pool;
  }

  private static Map<String, Object> fileSystem(RookPlan plan) {
    Map<String, Object> parameters = new LinkedHashMap<>();
    csiSecrets(parameters, "rook-csi-cephfs-provisioner", "rook-csi-cephfs-node");
    Map<String, Object> storageClass = new LinkedHashMap<>();
    storageClass.put("enabled", true);
    storageClass.put("isDefault", true);
    storageClass.put("name", "ceph-filesystem");
    storageClass.put("pool", "data0");
    storageClass.put("reclaimPolicy", "Delete");
    storageClass.put("allowVolumeExpansion", true);
    storageClass.put("parameters", parameters);
    Map<String, Object> dataPool = new LinkedHashMap<>();
    dataPool.put("name", "data0");
    dataPool.put("failureDomain", "host");
    dataPool.put("replicated", replicated(plan));
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("metadataPool", map("replicated", replicated(plan)));
    spec.put("dataPools", List.of(dataPool));
    spec.put("metadataServer", map("activeCount", 1, "activeStandby", true));
    Map<String, Object> fs = new LinkedHashMap<>();
    fs.put("name", "ceph-filesystem");
    fs.put("spec", spec);
    fs.put("storageClass", storageClass);
    return fs;
  }

  private static Map<String, Object> objectStore(RookPlan plan) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("metadataPool", map("failureDomain", "host", "replicated", replicated(plan)));
    spec.put(
        "dataPool",
        map("failureDomain", "host", "erasureCoded", map("dataChunks", 2, "codingChunks", 1)));
    spec.put("preservePoolsOnDelete", true);
    spec.put("gateway", map("port", 80, "instances", 1));
    Map<String, Object> storageClass = new LinkedHashMap<>();
    storageClass.put("enabled", true);
    storageClass.put("name", "ceph-bucket");
    storageClass.put("reclaimPolicy", "Delete");
    storageClass.put("parameters", map("region", "us-east-1"));
    Map<String, Object> store = new LinkedHashMap<>();
    store.put("name", "ceph-objectstore");
    store.put("spec", spec);
    store.put("storageClass", storageClass);
    return store;
  }

  /** The CSI secret parameters a storage class needs (the chart's list is replaced, not merged). */
  private static void csiSecrets(Map<String, Object> parameters, String provisioner, String node) {
    String prefix = "csi.storage.k8s.io/";
    parameters.put(prefix + "provisioner-secret-name", provisioner);
    parameters.put(prefix + "provisioner-secret-namespace", RookPlan.NAMESPACE);
    parameters.put(prefix + "controller-expand-secret-name", provisioner);
    parameters.put(prefix + "controller-expand-secret-namespace", RookPlan.NAMESPACE);
    parameters.put(prefix + "node-stage-secret-name", node);
    parameters.put(prefix + "node-stage-secret-namespace", RookPlan.NAMESPACE);
    parameters.put(prefix + "fstype", "ext4");
  }

  private static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }
}
