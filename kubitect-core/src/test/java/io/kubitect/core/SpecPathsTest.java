package io.kubitect.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.junit.jupiter.api.Assertions.fail;

import io.kubitect.model.ClusterSpec;
import io.kubitect.model.ConnectionType;
import io.kubitect.model.CpuMode;
import io.kubitect.model.DataDisk;
import io.kubitect.model.DataResourcePool;
import io.kubitect.model.Distro;
import io.kubitect.model.DnsMode;
import io.kubitect.model.ForwardPort;
import io.kubitect.model.ForwardTarget;
import io.kubitect.model.Host;
import io.kubitect.model.HostSsh;
import io.kubitect.model.KubernetesManager;
import io.kubitect.model.LoadBalancerDefaults;
import io.kubitect.model.LoadBalancerInstance;
import io.kubitect.model.NetworkMode;
import io.kubitect.model.NetworkPlugin;
import io.kubitect.model.NodeDefaults;
import io.kubitect.model.NodeInstance;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The planner's leaves: their syntax, and that every attribute of the model shows up in them. The
 * model's attributes are found here independently of {@link SpecPaths}: an attribute is whatever
 * Immutables generated a {@code with*} copy method for. For each one, reachable from {@link
 * ClusterSpec}, a specification that differs only in that attribute must differ in exactly the
 * leaves at the attribute's path, unless {@link SpecPaths#NOT_COMPARED} lists it with a reason.
 */
class SpecPathsTest {

  /** Every attribute set, every list and map with an element, resolved. */
  static ClusterSpec rich() {
    ClusterSpec spec = Specs.valid();
    // h4 first, so that the first host (which the test changes) has every attribute.
    List<Host> hosts = new ArrayList<>();
    hosts.add(
        Specs.remoteHost("h4", "10.10.0.7")
            .withMainResourcePoolPath("/srv/pools/")
            .withConnection(
                Specs.remoteHost("h4", "10.10.0.7")
                    .connection()
                    .withSsh(
                        HostSsh.builder().keyfile("~/.ssh/h4").port(2222).verify(false).build())));
    hosts.add(spec.hosts().get(0).withDefaultHost(true));
    hosts.addAll(spec.hosts().subList(1, spec.hosts().size()));
    spec = spec.withHosts(hosts);
    spec =
        Specs.network(
            spec, n -> n.withGateway("10.10.0.254").withMode(NetworkMode.BRIDGE).withBridge("br1"));
    spec =
        Specs.template(
            spec,
            t ->
                t.withDns("1.1.1.1", "8.8.8.8")
                    .withUpdateOnBoot(false)
                    .withCpuMode(CpuMode.HOST_PASSTHROUGH)
                    .withSsh(t.ssh().withPrivateKeyPath("~/.ssh/nodes").withAddToKnownHosts(true)));
    spec =
        Specs.os(
            spec,
            o ->
                o.withDistro(Distro.DEBIAN12)
                    .withSource("/images/debian.qcow2")
                    .withNetworkInterface("eth1"));
    spec =
        Specs.lbs(
            spec,
            l ->
                l.withVirtualRouterId(60)
                    .withForwardPorts(
                        ForwardPort.builder()
                            .name("https")
                            .port(443)
                            .targetPort(30443)
                            .target(ForwardTarget.ALL)
                            .build())
                    .withDefaults(LoadBalancerDefaults.builder().cpu(1).build()));
    spec = Specs.lb(spec, 0, i -> i.withMac("52:54:00:00:00:01").withPriority(200));
    spec =
        Specs.masters(
            spec,
            g ->
                g.withDefaults(
                    NodeDefaults.builder()
                        .putLabel("role", "cp")
                        .addDataDisks(DataDisk.builder().name("scratch").size(8).build())
                        .build()));
    spec =
        Specs.workers(
            spec,
            g ->
                g.withDefaults(
                    NodeDefaults.builder()
                        .addDataDisks(DataDisk.builder().name("scratch").size(8).build())
                        .build()));
    spec =
        Specs.worker(
            spec,
            0,
            w -> w.withTaints("dedicated=db:NoSchedule").withMac("52:54:00:00:00:11").withRam(8));
    spec =
        Specs.kubernetes(
            spec,
            k ->
                k.withManager(KubernetesManager.KUBESPRAY)
                    .withNetworkPlugin(NetworkPlugin.CILIUM)
                    .withDnsMode(DnsMode.COREDNS)
                    .withOther(k.other().withAutoRenewCertificates(true)));
    spec =
        spec.withAddons(
            spec.addons()
                .withKubespray(
                    Map.of(
                        "ingress_nginx_enabled",
                        true,
                        "upstream_dns_servers",
                        List.of("1.1.1.1", "8.8.8.8"),
                        "kube_proxy",
                        Map.of("mode", "ipvs", "strict_arp", true))));
    spec =
        Specs.rook(
            spec,
            r ->
                r.withEnabled(true).withVersion("v1.17.0").withNodeSelector(Map.of("disk", "ssd")));
    return spec.resolveDefaults();
  }

  /** A small specification with every kind of leaf, and its leaves spelled out. */
  @Test
  void leavesKeepTheirPaths() {
    ClusterSpec spec =
        ClusterSpec.builder()
            .addHosts(
                Host.builder()
                    .name("h1")
                    .connection(
                        Specs.remoteHost("h1", "10.0.0.5")
                            .connection()
                            .withType(ConnectionType.REMOTE)
                            .withSsh(
                                HostSsh.builder().keyfile("~/k").port(22).verify(true).build()))
                    .mainResourcePoolPath("/p/")
                    .addDataResourcePools(
                        DataResourcePool.builder().name("data").path("/d/").build())
                    .build())
            .cluster(
                Specs.valid()
                    .cluster()
                    .withName("c")
                    .withNodes(
                        Specs.valid()
                            .cluster()
                            .nodes()
                            .withLoadBalancer(
                                Specs.valid()
                                    .cluster()
                                    .nodes()
                                    .loadBalancer()
                                    .withInstances(
                                        LoadBalancerInstance.builder().id("1").priority(5).build())
                                    .withForwardPorts(
                                        ForwardPort.builder().name("https").port(443).build()))
                            .withMaster(
                                Specs.valid().cluster().nodes().master().withInstances(List.of()))
                            .withWorker(
                                Specs.valid()
                                    .cluster()
                                    .nodes()
                                    .worker()
                                    .withInstances(
                                        NodeInstance.builder()
                                            .id("3")
                                            .cpu(4)
                                            .addDataDisks(
                                                DataDisk.builder().name("rook").size(64).build())
                                            .putLabel("disk", "ssd")
                                            .addTaints("dedicated=db:NoSchedule")
                                            .build()))))
            .kubernetes(Specs.valid().kubernetes())
            .build();
    spec =
        Specs.template(spec, t -> t.withDns("10.0.0.1"))
            .withAddons(
                spec.addons()
                    .withKubespray(Map.of("a", Map.of("b", List.of("x", 2)), "c", false))
                    .withRook(
                        spec.addons()
                            .rook()
                            .withEnabled(true)
                            .withNodeSelector(Map.of("disk", "ssd"))));

    assertThat(SpecPaths.of(spec))
        .containsExactlyInAnyOrderEntriesOf(
            entries(
                "hosts[name=h1].connection.ip", "10.0.0.5",
                "hosts[name=h1].connection.ssh.keyfile", "~/k",
                "hosts[name=h1].connection.ssh.port", "22",
                "hosts[name=h1].connection.ssh.verify", "true",
                "hosts[name=h1].connection.type", "remote",
                "hosts[name=h1].connection.user", "kubitect",
                "hosts[name=h1].dataResourcePools[name=data].path", "/d/",
                "hosts[name=h1].mainResourcePoolPath", "/p/",
                "cluster.name", "c",
                "cluster.network.bridge", "br0",
                "cluster.network.cidr", "10.10.0.0/20",
                "cluster.network.mode", "bridge",
                "cluster.nodeTemplate.dns[10.0.0.1]", "present",
                "cluster.nodeTemplate.os.distro", "ubuntu22",
                "cluster.nodeTemplate.user", "k8s",
                "cluster.nodes.loadBalancer.forwardPorts[name=https].port", "443",
                "cluster.nodes.loadBalancer.instances[id=1].priority", "5",
                "cluster.nodes.loadBalancer.vip", "10.10.13.200",
                "cluster.nodes.worker.instances[id=3].cpu", "4",
                "cluster.nodes.worker.instances[id=3].dataDisks[name=rook].size", "64",
                "cluster.nodes.worker.instances[id=3].labels.disk", "ssd",
                "cluster.nodes.worker.instances[id=3].taints[dedicated=db:NoSchedule]", "present",
                "kubernetes.version", "v1.33.4",
                "addons.kubespray.a.b[0]", "x",
                "addons.kubespray.a.b[1]", "2",
                "addons.kubespray.c", "false",
                "addons.rook.enabled", "true",
                "addons.rook.nodeSelector.disk", "ssd"));
    assertThat(SpecPaths.of(spec.withHosts(spec.hosts().get(0).withDefaultHost(true))))
        .contains(entry("hosts[name=h1].default", "true"));
  }

  private static Map<String, String> entries(String... pathsAndValues) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pathsAndValues.length; i += 2) {
      map.put(pathsAndValues[i], pathsAndValues[i + 1]);
    }
    return map;
  }

  @Test
  void reorderingIdentifiedListsAndSetsIsNoChange() {
    ClusterSpec spec = rich();
    ClusterSpec reordered =
        Specs.template(
            Specs.workers(
                spec.withHosts(reversed(spec.hosts())),
                g -> g.withInstances(reversed(g.instances()))),
            t -> t.withDns(reversed(t.dns())));
    assertThat(SpecPaths.of(reordered)).isEqualTo(SpecPaths.of(spec));
  }

  private static <T> List<T> reversed(List<T> list) {
    List<T> copy = new ArrayList<>(list);
    Collections.reverse(copy);
    return copy;
  }

  // ---------------------------------------------------------------------------------------------
  // Every model attribute is seen.

  /** One step from a value to an attribute of it, or into the first element of a list. */
  private record Step(Method accessor, String key, boolean firstElement) {}

  /** An attribute reachable from ClusterSpec: how to reach it, and whether it is compared. */
  private record Field(List<Step> route, String owner, Method accessor, boolean compared) {
    String name() {
      return owner + "." + accessor.getName();
    }
  }

  @TestFactory
  Stream<DynamicTest> everyModelAttributeShowsUpAtItsPath() {
    ClusterSpec base = rich();
    Map<String, String> before = SpecPaths.of(base);
    List<Field> fields = new ArrayList<>();
    collect(ClusterSpec.class, List.of(), true, fields, new HashSet<>());
    assertThat(fields).hasSizeGreaterThan(60);
    return fields.stream()
        .map(
            field ->
                DynamicTest.dynamicTest(
                    field.name() + " at " + path(base, field.route()),
                    () -> assertSeen(base, before, field)));
  }

  @Test
  void attributesNotComparedExistAndHaveAReason() {
    Set<String> attributes = new HashSet<>();
    collect(ClusterSpec.class, List.of(), true, new ArrayList<>(), attributes);
    assertThat(attributes).containsAll(SpecPaths.NOT_COMPARED.keySet());
    assertThat(SpecPaths.NOT_COMPARED.values()).allSatisfy(r -> assertThat(r).isNotBlank());
  }

  private static void assertSeen(ClusterSpec base, Map<String, String> before, Field field) {
    Object changed = mutate(base, field.route(), 0);
    Map<String, String> after = SpecPaths.of((ClusterSpec) changed);
    Set<String> differing = differing(before, after);
    String path = path(base, field.route());
    if (!field.compared()) {
      assertThat(differing)
          .as("%s is listed in SpecPaths.NOT_COMPARED but its change is seen", field.name())
          .isEmpty();
      return;
    }
    if (differing.isEmpty()) {
      fail(
          field.name()
              + " changed but SpecPaths reports no change at "
              + path
              + ": compare it, or list it in SpecPaths.NOT_COMPARED with the reason");
    }
    if (isIdentity(field)) {
      // Another id or name is another element: the old one goes, the new one comes.
      List<Step> route = field.route();
      String element = path(base, route.subList(0, route.size() - 1));
      String renamed = element.substring(0, element.length() - 1) + "-changed]";
      assertThat(differing)
          .as(field.name())
          .allSatisfy(
              p ->
                  assertThat(p)
                      .satisfiesAnyOf(
                          q -> assertThat(q).startsWith(element + "."),
                          q -> assertThat(q).startsWith(renamed + ".")))
          .anySatisfy(p -> assertThat(p).startsWith(renamed + "."));
      return;
    }
    assertThat(differing)
        .as(field.name())
        .allSatisfy(
            p ->
                assertThat(p)
                    .satisfiesAnyOf(
                        q -> assertThat(q).isEqualTo(path),
                        q -> assertThat(q).startsWith(path + "."),
                        q -> assertThat(q).startsWith(path + "[")));
  }

  private static boolean isIdentity(Field field) {
    List<Step> route = field.route();
    return route.size() >= 2
        && route.get(route.size() - 2).firstElement()
        && identityOf(field.accessor().getDeclaringClass())
            .map(m -> m.getName().equals(field.accessor().getName()))
            .orElse(false);
  }

  private static Set<String> differing(Map<String, String> before, Map<String, String> after) {
    Set<String> keys = new TreeSet<>(before.keySet());
    keys.addAll(after.keySet());
    keys.removeIf(k -> Objects.equals(before.get(k), after.get(k)));
    return keys;
  }

  /**
   * Collects every leaf attribute under {@code type}. Attributes are the accessors with a generated
   * {@code with*} method; the walk fails on a type it has no rule for.
   */
  private static void collect(
      Class<?> type, List<Step> route, boolean compared, List<Field> out, Set<String> seen) {
    for (Method accessor : attributes(type)) {
      String name = type.getSimpleName() + "." + accessor.getName();
      seen.add(name);
      boolean isCompared = compared && !SpecPaths.NOT_COMPARED.containsKey(name);
      List<Step> here = append(route, new Step(accessor, SpecPaths.key(accessor), false));
      Type t = accessor.getGenericReturnType();
      Class<?> raw = raw(t);
      if (SpecPaths.isModel(raw)) {
        collect(raw, here, isCompared, out, seen);
      } else if (raw == List.class && SpecPaths.isModel(raw(argument(t, 0)))) {
        Class<?> element = raw(argument(t, 0));
        collect(element, append(here, new Step(accessor, "", true)), isCompared, out, seen);
      } else if (raw == Optional.class && SpecPaths.isModel(raw(argument(t, 0)))) {
        fail(name + ": an optional model value has no rule in this test yet");
      } else {
        out.add(new Field(here, type.getSimpleName(), accessor, isCompared));
      }
    }
  }

  private static List<Step> append(List<Step> route, Step step) {
    List<Step> copy = new ArrayList<>(route);
    copy.add(step);
    return copy;
  }

  /** The accessors Immutables made attributes of: those with a {@code with*} copy method. */
  private static List<Method> attributes(Class<?> type) {
    Set<String> withers = new HashSet<>();
    for (Method m : type.getMethods()) {
      if (m.getName().startsWith("with") && m.getParameterCount() == 1) {
        withers.add(m.getName());
      }
    }
    Map<String, Method> accessors = new TreeMap<>();
    for (Method m : type.getMethods()) {
      if (m.getParameterCount() == 0 && withers.contains(wither(m.getName()))) {
        accessors.put(m.getName(), m);
      }
    }
    assertThat(accessors).as("attributes of %s", type.getSimpleName()).isNotEmpty();
    return List.copyOf(accessors.values());
  }

  private static Optional<Method> identityOf(Class<?> type) {
    for (String name : List.of("id", "name")) {
      for (Method m : attributes(type)) {
        if (m.getName().equals(name)) {
          return Optional.of(m);
        }
      }
    }
    return Optional.empty();
  }

  private static String wither(String accessor) {
    return "with" + Character.toUpperCase(accessor.charAt(0)) + accessor.substring(1);
  }

  /** The leaf path of a route in {@code base}: YAML keys, elements by id or name. */
  private static String path(Object base, List<Step> route) {
    StringBuilder path = new StringBuilder();
    Object value = base;
    for (Step step : route) {
      if (step.firstElement()) {
        Object element = first(value, path);
        Method identity =
            identityOf(element.getClass().getSuperclass())
                .orElseThrow(() -> new AssertionError(path + " has elements without id or name"));
        Object id = read(identity, element);
        path.append('[')
            .append(SpecPaths.key(identity))
            .append('=')
            .append(id instanceof Optional<?> o ? o.map(String::valueOf).orElse("") : id)
            .append(']');
        value = element;
      } else {
        path.append(path.length() == 0 ? "" : ".").append(step.key());
        value = read(step.accessor(), value);
      }
    }
    return path.toString();
  }

  private static Object first(Object list, CharSequence path) {
    List<?> values = (List<?>) list;
    if (values.isEmpty()) {
      throw new AssertionError("rich() has no element at " + path + ": give it one");
    }
    return Objects.requireNonNull(values.get(0));
  }

  /** {@code value} with the attribute at the end of the route changed. */
  private static Object mutate(Object value, List<Step> route, int i) {
    Step step = route.get(i);
    if (step.firstElement()) {
      List<Object> copy = new ArrayList<>((List<?>) value);
      copy.set(0, mutate(first(value, "?"), route, i + 1));
      return copy;
    }
    Object child = read(step.accessor(), value);
    Object changed =
        i == route.size() - 1
            ? change(child, step.accessor().getGenericReturnType(), step.accessor())
            : mutate(child, route, i + 1);
    return with(value, step.accessor(), changed);
  }

  /** Another value of the given type. */
  private static Object change(Object value, Type type, Method accessor) {
    Class<?> raw = raw(type);
    if (raw == Optional.class) {
      Optional<?> optional = (Optional<?>) value;
      Type inner = argument(type, 0);
      if (optional.isEmpty()) {
        return Optional.of(sample(raw(inner), accessor));
      }
      Optional<Object> other = other(optional.get());
      return other.isPresent() ? other : Optional.empty();
    }
    if (raw == List.class) {
      List<Object> copy = new ArrayList<>((List<?>) value);
      copy.add(sample(raw(argument(type, 0)), accessor));
      return copy;
    }
    if (raw == Map.class) {
      Map<Object, Object> copy = new LinkedHashMap<>((Map<?, ?>) value);
      copy.put("added-by-test", sample(raw(argument(type, 1)), accessor));
      return copy;
    }
    return other(value)
        .orElseThrow(() -> new AssertionError(accessor + ": no other value of " + type));
  }

  private static Object sample(Class<?> type, Method accessor) {
    if (type == String.class || type == Object.class) {
      return "added-by-test";
    }
    if (type == Integer.class) {
      return 7;
    }
    if (type == Long.class) {
      return 7L;
    }
    if (type == Boolean.class) {
      return true;
    }
    if (type.isEnum()) {
      return Objects.requireNonNull(type.getEnumConstants())[0];
    }
    throw new AssertionError(accessor + ": this test has no sample value of " + type);
  }

  private static Optional<Object> other(Object value) {
    if (value instanceof String s) {
      return Optional.of(s + "-changed");
    }
    if (value instanceof Integer n) {
      return Optional.of(n + 1);
    }
    if (value instanceof Long n) {
      return Optional.of(n + 1);
    }
    if (value instanceof Boolean b) {
      return Optional.of(!b);
    }
    if (value instanceof Enum<?> e) {
      for (Object constant : Objects.requireNonNull(e.getDeclaringClass().getEnumConstants())) {
        if (constant != e && !constant.toString().equals(e.toString())) {
          return Optional.of(constant);
        }
      }
      return Optional.empty();
    }
    throw new AssertionError("this test cannot change a " + value.getClass());
  }

  private static Object read(Method accessor, Object value) {
    try {
      return Objects.requireNonNull(accessor.invoke(value));
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new LinkageError(e.getMessage(), e);
    }
  }

  /** A copy of the model value with one attribute replaced, by its generated wither. */
  private static Object with(Object value, Method accessor, Object attribute) {
    String name = wither(accessor.getName());
    for (Method m : value.getClass().getMethods()) {
      if (m.getName().equals(name)
          && m.getParameterCount() == 1
          && m.getParameterTypes()[0].isInstance(attribute)) {
        try {
          m.setAccessible(true);
          return Objects.requireNonNull(m.invoke(value, attribute));
        } catch (IllegalAccessException | InvocationTargetException e) {
          throw new LinkageError(e.getMessage(), e);
        }
      }
    }
    throw new AssertionError("no " + name + " taking " + attribute.getClass());
  }

  private static Class<?> raw(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
      return c;
    }
    throw new AssertionError("unexpected type " + type);
  }

  private static Type argument(Type type, int index) {
    return ((ParameterizedType) type).getActualTypeArguments()[index];
  }
}
