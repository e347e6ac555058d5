package io.kubitect.core;

import io.kubitect.model.Addons;
import io.kubitect.model.ClusterSpec;
import io.kubitect.model.DataDisk;
import io.kubitect.model.ForwardPort;
import io.kubitect.model.Host;
import io.kubitect.model.Kubernetes;
import io.kubitect.model.LoadBalancerInstance;
import io.kubitect.model.LoadBalancers;
import io.kubitect.model.NodeGroup;
import io.kubitect.model.NodeInstance;
import io.kubitect.model.NodeTemplate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Flattens a resolved specification into leaf paths and values for comparison. Elements of
 * identified lists are keyed by their id or name ({@code cluster.nodes.worker.instances[id=3].cpu},
 * {@code hosts[name=host1].mainResourcePoolPath}), so reordering a list is not a change; lists
 * without identity (forward ports, taints, DNS servers) are compared as sets ({@code
 * taints[dedicated=db:NoSchedule]}).
 */
final class SpecPaths {
  private final Map<String, String> leaves = new TreeMap<>();

  private SpecPaths() {}

  static Map<String, String> of(ClusterSpec spec) {
    SpecPaths paths = new SpecPaths();
    paths.spec(spec);
    return paths.leaves;
  }

  private void put(String path, Optional<?> value) {
    value.ifPresent(v -> leaves.put(path, String.valueOf(v)));
  }

  private void put(String path, Object value) {
    leaves.put(path, String.valueOf(value));
  }

  private void set(String path, List<?> values) {
    for (Object value : values) {
      leaves.put(path + "[" + value + "]", "present");
    }
  }

  private void spec(ClusterSpec spec) {
    for (Host host : spec.hosts()) {
      String p = "hosts[name=" + host.name().orElse("") + "]";
      put(p + ".default", host.defaultHost());
      put(p + ".connection.type", host.connection().type());
      put(p + ".connection.user", host.connection().user());
      put(p + ".connection.ip", host.connection().ip());
      put(p + ".connection.ssh.keyfile", host.connection().ssh().keyfile());
      put(p + ".connection.ssh.port", host.connection().ssh().port());
      put(p + ".connection.ssh.verify", host.connection().ssh().verify());
      put(p + ".mainResourcePoolPath", host.mainResourcePoolPath());
      host.dataResourcePools()
          .forEach(
              pool ->
                  put(
                      p + ".dataResourcePools[name=" + pool.name().orElse("") + "].path",
                      pool.path()));
    }
    String c = "cluster";
    put(c + ".name", spec.cluster().name());
    put(c + ".network.mode", spec.cluster().network().mode());
    put(c + ".network.cidr", spec.cluster().network().cidr());
    put(c + ".network.gateway", spec.cluster().network().gateway());
    put(c + ".network.bridge", spec.cluster().network().bridge());
    template(spec.cluster().nodeTemplate());
    loadBalancers(spec.cluster().nodes().loadBalancer());
    group("cluster.nodes.master", spec.cluster().nodes().master());
    group("cluster.nodes.worker", spec.cluster().nodes().worker());
    kubernetes(spec.kubernetes());
    addons(spec.addons());
  }

  private void template(NodeTemplate t) {
    String p = "cluster.nodeTemplate";
    put(p + ".user", t.user());
    put(p + ".os.distro", t.os().distro());
    put(p + ".os.source", t.os().source());
    put(p + ".os.networkInterface", t.os().networkInterface());
    put(p + ".ssh.privateKeyPath", t.ssh().privateKeyPath());
    put(p + ".ssh.addToKnownHosts", t.ssh().addToKnownHosts());
    set(p + ".dns", t.dns());
    put(p + ".updateOnBoot", t.updateOnBoot());
    put(p + ".cpuMode", t.cpuMode());
  }

  private void loadBalancers(LoadBalancers lb) {
    String p = "cluster.nodes.loadBalancer";
    put(p + ".vip", lb.vip());
    put(p + ".virtualRouterId", lb.virtualRouterId());
    for (ForwardPort port : lb.forwardPorts()) {
      String f = p + ".forwardPorts[name=" + port.name().orElse("") + "]";
      put(f + ".port", port.port());
      put(f + ".targetPort", port.targetPort());
      put(f + ".target", port.target());
    }
    for (LoadBalancerInstance i : lb.instances()) {
      String n = p + ".instances[id=" + i.id().orElse("") + "]";
      machine(n, i.host(), i.ip(), i.mac(), i.cpu(), i.ram(), i.mainDiskSize());
      put(n + ".priority", i.priority());
    }
  }

  /** The VM-level leaves every node has, load balancer or not. */
  private void machine(
      String n,
      Optional<String> host,
      Optional<String> ip,
      Optional<String> mac,
      Optional<Integer> cpu,
      Optional<Integer> ram,
      Optional<Integer> mainDiskSize) {
    put(n + ".host", host);
    put(n + ".ip", ip);
    put(n + ".mac", mac);
    put(n + ".cpu", cpu);
    put(n + ".ram", ram);
    put(n + ".mainDiskSize", mainDiskSize);
  }

  private void group(String p, NodeGroup group) {
    // Defaults are compared through the instances they resolve into; a default alone changes
    // nothing that gets built.
    for (NodeInstance i : group.instances()) {
      String n = p + ".instances[id=" + i.id().orElse("") + "]";
      machine(n, i.host(), i.ip(), i.mac(), i.cpu(), i.ram(), i.mainDiskSize());
      for (DataDisk disk : i.dataDisks()) {
        String d = n + ".dataDisks[name=" + disk.name().orElse("") + "]";
        put(d + ".pool", disk.pool());
        put(d + ".size", disk.size());
      }
      i.labels().forEach((k, v) -> put(n + ".labels." + k, v));
      set(n + ".taints", i.taints());
    }
  }

  private void kubernetes(Kubernetes k) {
    put("kubernetes.version", k.version());
    put("kubernetes.manager", k.manager());
    put("kubernetes.networkPlugin", k.networkPlugin());
    put("kubernetes.dnsMode", k.dnsMode());
    put("kubernetes.kubespray.url", k.kubespray().url());
    put("kubernetes.kubespray.version", k.kubespray().version());
    put("kubernetes.other.autoRenewCertificates", k.other().autoRenewCertificates());
    put("kubernetes.other.mergeKubeconfig", k.other().mergeKubeconfig());
  }

  private void addons(Addons a) {
    flatten("addons.kubespray", a.kubespray());
    put("addons.rook.enabled", a.rook().enabled());
    put("addons.rook.version", a.rook().version());
    a.rook().nodeSelector().forEach((k, v) -> put("addons.rook.nodeSelector." + k, v));
  }

  private void flatten(String path, Object value) {
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> flatten(path + "." + k, v));
    } else if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        flatten(path + "[" + i + "]", list.get(i));
      }
    } else {
      put(path, value);
    }
  }
}
