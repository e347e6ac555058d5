package io.kubitect.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kubitect.model.Addons;
import io.kubitect.model.Cluster;
import io.kubitect.model.ClusterSpec;
import io.kubitect.model.Connection;
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
import io.kubitect.model.Kubernetes;
import io.kubitect.model.KubernetesManager;
import io.kubitect.model.KubernetesOther;
import io.kubitect.model.Kubespray;
import io.kubitect.model.KubitectYaml;
import io.kubitect.model.LoadBalancerDefaults;
import io.kubitect.model.LoadBalancerInstance;
import io.kubitect.model.LoadBalancers;
import io.kubitect.model.Network;
import io.kubitect.model.NetworkMode;
import io.kubitect.model.NetworkPlugin;
import io.kubitect.model.NodeDefaults;
import io.kubitect.model.NodeGroup;
import io.kubitect.model.NodeInstance;
import io.kubitect.model.NodeSsh;
import io.kubitect.model.NodeTemplate;
import io.kubitect.model.Nodes;
import io.kubitect.model.OperatingSystem;
import io.kubitect.model.Rook;
import io.kubitect.model.SpecFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Feeds hundreds of broken specifications to the validator: mutated YAML of the examples (keys
 * deleted, values swapped between keys, types changed, list items duplicated, garbage inserted) and
 * builder misuse (odd strings, negative and huge numbers, explicit empties). Reading may only fail
 * with {@link SpecFormatException}; validating and the preflight never throw. Seeds are fixed, so a
 * failure names the seed and case that reproduce it.
 */
class SpecValidatorRandomizedTest {
  private static final int CASES_PER_SEED = 100;
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private static final String[] ODD_STRINGS = {
    "",
    " ",
    "\n",
    "\t\u0000",
    "h1",
    "h2",
    "local",
    "localhost",
    "main",
    "1",
    "-1",
    "999999999999999999999",
    "../../etc/passwd",
    "~",
    "~/.ssh/id_rsa",
    "10.10.0.5",
    "10.10.13.10",
    "10.10.0.0",
    "10.10.15.255",
    "256.1.1.1",
    "::1",
    "10.10.0.0/20",
    "10.10.0.0/33",
    "0.0.0.0/0",
    "255.255.255.255/32",
    "52:54:00:00:00:01",
    "01:00:5e:00:00:01",
    "ff:ff:ff:ff:ff:ff",
    "v1.33.4",
    "1.33.4",
    "v2.29.0",
    "v",
    "key=value:NoSchedule",
    ":",
    "=:",
    "a/b/c",
    "http://example.com/image.img",
    "ftp://x",
    "file:///image",
    "/abs/path",
    "br0",
    "ÄÖÜ-ß",
    "😀",
    "\u2028",
    "x".repeat(300),
    "local-cluster",
    "UPPER"
  };

  private static final int[] ODD_INTS = {
    Integer.MIN_VALUE,
    -65536,
    -1,
    0,
    1,
    2,
    3,
    22,
    51,
    254,
    255,
    256,
    6443,
    65535,
    65536,
    Integer.MAX_VALUE
  };

  @TempDir Path home;

  // ------------------------------------------------------------------ mutated YAML

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1L, 42L, 20260211L, 7_777_777L})
  void mutatedExampleYamlOnlyFailsToReadWithSpecFormatException(long seed) throws IOException {
    List<JsonNode> examples = new ArrayList<>();
    for (Path file : exampleFiles()) {
      examples.add(YAML.readTree(Files.readString(file)));
    }
    Random random = new Random(seed);
    int read = 0;
    int withErrors = 0;
    for (int i = 0; i < CASES_PER_SEED; i++) {
      JsonNode tree = examples.get(random.nextInt(examples.size())).deepCopy();
      int mutations = 1 + random.nextInt(4);
      for (int m = 0; m < mutations; m++) {
        tree = mutate(tree, random);
      }
      String yaml = YAML.writeValueAsString(tree);
      String source = "seed " + seed + " case " + i;
      ClusterSpec spec;
      try {
        spec = KubitectYaml.read(yaml, source);
      } catch (SpecFormatException e) {
        assertThat(e.getMessage()).as(source).isNotBlank();
        continue;
      } catch (RuntimeException e) {
        throw new AssertionError(source + ": reading threw " + e + " for\n" + yaml, e);
      }
      read++;
      if (checkNeverThrows(spec, source + "\n" + yaml)) {
        withErrors++;
      }
    }
    // The mutations must leave enough readable specifications for the test to mean something.
    assertThat(read)
        .as("readable mutants of seed %d", seed)
        .isGreaterThanOrEqualTo(CASES_PER_SEED / 10);
    assertThat(withErrors).as("mutants with errors of seed %d", seed).isPositive();
  }

  private static List<Path> exampleFiles() throws IOException {
    try (Stream<Path> files = Files.list(Specs.repositoryRoot().resolve("examples"))) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  /** Applies one random mutation somewhere in the tree; returns the (possibly new) root. */
  private static JsonNode mutate(JsonNode root, Random random) {
    List<JsonNode> containers = new ArrayList<>();
    collect(root, containers);
    JsonNode target = containers.get(random.nextInt(containers.size()));
    switch (random.nextInt(7)) {
      case 0 -> deleteKey(target, random);
      case 1 -> swapValues(containers, random);
      case 2 -> setChild(target, random, oddValue(random));
      case 3 -> duplicateItem(containers, random);
      case 4 -> insertGarbageKey(target, random);
      case 5 -> setChild(target, random, NODES.textNode(oddString(random)));
      default -> setChild(target, random, NODES.numberNode(oddInt(random)));
    }
    return root;
  }

  private static void collect(JsonNode node, List<JsonNode> containers) {
    if (node.isContainerNode()) {
      containers.add(node);
      node.forEach(child -> collect(child, containers));
    }
  }

  private static void deleteKey(JsonNode target, Random random) {
    if (target instanceof ObjectNode object && object.size() > 0) {
      object.remove(randomKey(object, random));
    } else if (target instanceof ArrayNode array && array.size() > 0) {
      array.remove(random.nextInt(array.size()));
    }
  }

  private static void swapValues(List<JsonNode> containers, Random random) {
    JsonNode a = containers.get(random.nextInt(containers.size()));
    JsonNode b = containers.get(random.nextInt(containers.size()));
    if (a instanceof ObjectNode oa
        && b instanceof ObjectNode ob
        && oa.size() > 0
        && ob.size() > 0) {
      String ka = randomKey(oa, random);
      String kb = randomKey(ob, random);
      JsonNode va = oa.get(ka).deepCopy();
      JsonNode vb = ob.get(kb).deepCopy();
      oa.set(ka, vb);
      ob.set(kb, va);
    }
  }

  private static void setChild(JsonNode target, Random random, JsonNode value) {
    if (target instanceof ObjectNode object && object.size() > 0) {
      object.set(randomKey(object, random), value);
    } else if (target instanceof ArrayNode array && array.size() > 0) {
      array.set(random.nextInt(array.size()), value);
    }
  }

  private static void duplicateItem(List<JsonNode> containers, Random random) {
    List<ArrayNode> arrays = new ArrayList<>();
    for (JsonNode node : containers) {
      if (node instanceof ArrayNode array && array.size() > 0) {
        arrays.add(array);
      }
    }
    if (!arrays.isEmpty()) {
      ArrayNode array = arrays.get(random.nextInt(arrays.size()));
      array.add(array.get(random.nextInt(array.size())).deepCopy());
    }
  }

  private static void insertGarbageKey(JsonNode target, Random random) {
    if (target instanceof ObjectNode object) {
      object.set(random.nextBoolean() ? oddString(random) : "garbage", oddValue(random));
    } else if (target instanceof ArrayNode array) {
      array.add(oddValue(random));
    }
  }

  private static String randomKey(ObjectNode object, Random random) {
    List<String> keys = new ArrayList<>();
    Iterator<String> names = object.fieldNames();
    names.forEachRemaining(keys::add);
    return keys.get(random.nextInt(keys.size()));
  }

  private static JsonNode oddValue(Random random) {
    return switch (random.nextInt(9)) {
      case 0 -> NODES.nullNode();
      case 1 -> NODES.booleanNode(random.nextBoolean());
      case 2 -> NODES.numberNode(oddInt(random));
      case 3 -> NODES.numberNode(new java.math.BigInteger("123456789012345678901234567890"));
      case 4 -> NODES.numberNode(random.nextDouble() * 1e6 - 5e5);
      case 5 -> NODES.arrayNode().add(oddString(random)).add(oddInt(random));
      case 6 -> NODES.objectNode().put(oddString(random), oddString(random));
      case 7 -> NODES.objectNode();
      default -> NODES.textNode(oddString(random));
    };
  }

  // ------------------------------------------------------------------ builder misuse

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {3L, 99L, 65_536L, 123_456_789L})
  void randomBuilderSpecsNeverMakeValidationThrow(long seed) {
    Random random = new Random(seed);
    for (int i = 0; i < CASES_PER_SEED; i++) {
      String source = "seed " + seed + " case " + i;
      ClusterSpec spec;
      try {
        spec = i % 2 == 0 ? new Generator(random).spec() : nearlyValid(random);
      } catch (RuntimeException e) {
        throw new AssertionError(source + ": building threw " + e, e);
      }
      checkNeverThrows(spec, source + "\n" + spec);
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {5L, 8L})
  void buildersRefuseRawNullsAsCallerBugs(long seed) {
    Random random = new Random(seed);
    List<Runnable> nullCalls =
        List.of(
            () -> Host.builder().name(nullString()),
            () -> Connection.builder().ip(nullString()),
            () -> HostSsh.builder().port(nullOptional()),
            () -> Cluster.builder().name(nullString()),
            () -> Network.builder().cidr(nullString()),
            () -> LoadBalancers.builder().vip(nullString()),
            () -> NodeInstance.builder().putLabel("a", nullString()),
            () -> NodeInstance.builder().addTaint(nullString()),
            () -> NodeTemplate.builder().addDns(nullString()),
            () -> Kubernetes.builder().version(nullString()),
            () -> ClusterSpec.builder().addHost(nullHost()),
            () -> ClusterSpec.builder().cluster(nullCluster()));
    for (int i = 0; i < 20; i++) {
      Runnable call = nullCalls.get(random.nextInt(nullCalls.size()));
      assertThatThrownBy(call::run).isInstanceOf(NullPointerException.class);
    }
  }

  // Raw nulls on purpose: the builders must refuse them at once.
  @SuppressWarnings("NullAway")
  private static String nullString() {
    return null;
  }

  @SuppressWarnings("NullAway")
  private static Optional<Integer> nullOptional() {
    return null;
  }

  @SuppressWarnings("NullAway")
  private static Host nullHost() {
    return null;
  }

  @SuppressWarnings("NullAway")
  private static Cluster nullCluster() {
    return null;
  }

  /** The valid spec with one to three random changes, so deep rules see odd values. */
  private static ClusterSpec nearlyValid(Random random) {
    Generator g = new Generator(random);
    ClusterSpec spec = Specs.valid();
    List<UnaryOperator<ClusterSpec>> changes =
        List.of(
            s -> some(s.hosts(), i -> Specs.host(s, i, h -> h.withName(g.string())), s, random),
            s -> some(s.hosts(), i -> Specs.connection(s, i, c -> c.withIp(g.string())), s, random),
            s ->
                some(
                    s.hosts(),
                    i -> Specs.hostSsh(s, i, ssh -> ssh.withPort(g.integer())),
                    s,
                    random),
            s ->
                some(
                    s.hosts(),
                    i ->
                        s.hosts().get(i).dataResourcePools().isEmpty()
                            ? s
                            : Specs.pool(s, i, p -> p.withName(g.string())),
                    s,
                    random),
            s -> Specs.network(s, n -> n.withCidr(g.string())),
            s -> Specs.network(s, n -> n.withGateway(g.string())),
            s -> Specs.network(s, n -> n.withMode(g.pick(NetworkMode.values()))),
            s -> Specs.cluster(s, c -> c.withName(g.string())),
            s -> Specs.lbs(s, l -> l.withVip(g.string())),
            s -> Specs.lbs(s, l -> l.withInstances(List.of())),
            s ->
                some(
                    s.cluster().nodes().loadBalancer().instances(),
                    i -> Specs.lb(s, i, x -> g.lbInstance()),
                    s,
                    random),
            s ->
                some(
                    s.cluster().nodes().master().instances(),
                    i -> Specs.master(s, i, x -> x.withHost(g.string())),
                    s,
                    random),
            s ->
                some(
                    s.cluster().nodes().master().instances(),
                    i -> Specs.master(s, i, x -> x.withIp(g.string())),
                    s,
                    random),
            s -> Specs.masters(s, m -> m.withInstances(List.of())),
            s -> Specs.masters(s, m -> m.withDefaults(g.nodeDefaults())),
            s ->
                some(
                    s.cluster().nodes().worker().instances(),
                    i -> Specs.worker(s, i, x -> g.nodeInstance()),
                    s,
                    random),
            s ->
                some(
                    s.cluster().nodes().worker().instances(),
                    i -> Specs.worker(s, i, x -> x.withDataDisks(g.dataDisk())),
                    s,
                    random),
            s -> Specs.workers(s, w -> w.withDefaults(g.nodeDefaults())),
            s -> Specs.kubernetes(s, k -> g.kubernetes()),
            s -> Specs.rook(s, r -> g.rook()),
            s -> s.withHosts(List.of()),
            s -> s.withHosts(g.hosts()));
    int count = 1 + random.nextInt(3);
    for (int i = 0; i < count; i++) {
      spec = changes.get(random.nextInt(changes.size())).apply(spec);
    }
    return spec;
  }

  /** Applies {@code change} to a random index of {@code items}, or returns {@code unchanged}. */
  private static ClusterSpec some(
      List<?> items,
      java.util.function.IntFunction<ClusterSpec> change,
      ClusterSpec unchanged,
      Random random) {
    return items.isEmpty() ? unchanged : change.apply(random.nextInt(items.size()));
  }

  /** Random values and specification parts, each field unset, explicitly empty or odd. */
  private static final class Generator {
    private final Random random;

    Generator(Random random) {
      this.random = random;
    }

    String string() {
      return oddString(random);
    }

    int integer() {
      return oddInt(random);
    }

    <T> T pick(T[] values) {
      return values[random.nextInt(values.length)];
    }

    /** Leaves the field unset, sets it explicitly empty, or sets a value. */
    <T> void maybe(Consumer<Optional<T>> setter, Supplier<T> value) {
      int choice = random.nextInt(6);
      if (choice == 0) {
        return;
      }
      setter.accept(choice == 1 ? Optional.empty() : Optional.of(value.get()));
    }

    <T> List<T> list(int max, Supplier<T> item) {
      List<T> items = new ArrayList<>();
      int n = random.nextInt(max + 1);
      for (int i = 0; i < n; i++) {
        items.add(item.get());
      }
      return items;
    }

    Map<String, String> labels() {
      Map<String, String> labels = new java.util.LinkedHashMap<>();
      for (int i = random.nextInt(3); i > 0; i--) {
        labels.put(string(), string());
      }
      return labels;
    }

    ClusterSpec spec() {
      ClusterSpec.Builder b = ClusterSpec.builder().hosts(hosts());
      if (random.nextInt(5) > 0) {
        b.cluster(cluster());
      }
      if (random.nextInt(5) > 0) {
        b.kubernetes(kubernetes());
      }
      if (random.nextInt(3) == 0) {
        b.addons(
            Addons.builder()
                .kubespray(Map.of(string(), (Object) string(), "n", integer()))
                .rook(rook())
                .build());
      }
      return b.build();
    }

    List<Host> hosts() {
      return list(4, this::host);
    }

    Host host() {
      Host.Builder b = Host.builder();
      maybe(b::name, this::string);
      maybe(b::defaultHost, random::nextBoolean);
      Connection.Builder c = Connection.builder();
      maybe(c::type, () -> pick(ConnectionType.values()));
      maybe(c::ip, this::string);
      maybe(c::user, this::string);
      HostSsh.Builder ssh = HostSsh.builder();
      maybe(ssh::keyfile, this::string);
      maybe(ssh::port, this::integer);
      maybe(ssh::verify, random::nextBoolean);
      b.connection(c.ssh(ssh.build()).build());
      maybe(b::mainResourcePoolPath, this::string);
      b.dataResourcePools(
          list(
              3,
              () -> {
                DataResourcePool.Builder p = DataResourcePool.builder();
                maybe(p::name, this::string);
                maybe(p::path, this::string);
                return p.build();
              }));
      return b.build();
    }

    Cluster cluster() {
      Cluster.Builder b = Cluster.builder();
      maybe(b::name, this::string);
      Network.Builder n = Network.builder();
      maybe(n::mode, () -> pick(NetworkMode.values()));
      maybe(n::cidr, this::string);
      maybe(n::gateway, this::string);
      maybe(n::bridge, this::string);
      b.network(n.build());
      NodeTemplate.Builder t = NodeTemplate.builder();
      maybe(t::user, this::string);
      OperatingSystem.Builder os = OperatingSystem.builder();
      maybe(os::distro, () -> pick(Distro.values()));
      maybe(os::source, this::string);
      maybe(os::networkInterface, this::string);
      NodeSsh.Builder ssh = NodeSsh.builder();
      maybe(ssh::privateKeyPath, this::string);
      maybe(ssh::addToKnownHosts, random::nextBoolean);
      t.os(os.build()).ssh(ssh.build()).dns(list(3, this::string));
      maybe(t::updateOnBoot, random::nextBoolean);
      maybe(t::cpuMode, () -> pick(CpuMode.values()));
      b.nodeTemplate(t.build());
      LoadBalancers.Builder lb = LoadBalancers.builder();
      maybe(lb::vip, this::string);
      maybe(lb::virtualRouterId, this::integer);
      lb.forwardPorts(list(3, this::forwardPort));
      LoadBalancerDefaults.Builder lbd = LoadBalancerDefaults.builder();
      maybe(lbd::cpu, this::integer);
      maybe(lbd::ram, this::integer);
      maybe(lbd::mainDiskSize, this::integer);
      lb.defaults(lbd.build()).instances(list(4, this::lbInstance));
      b.nodes(Nodes.builder().loadBalancer(lb.build()).master(group()).worker(group()).build());
      return b.build();
    }

    ForwardPort forwardPort() {
      ForwardPort.Builder b = ForwardPort.builder();
      maybe(b::name, this::string);
      maybe(b::port, this::integer);
      maybe(b::targetPort, this::integer);
      maybe(b::target, () -> pick(ForwardTarget.values()));
      return b.build();
    }

    LoadBalancerInstance lbInstance() {
      LoadBalancerInstance.Builder b = LoadBalancerInstance.builder();
      maybe(b::id, this::string);
      maybe(b::host, this::string);
      maybe(b::ip, this::string);
      maybe(b::mac, this::string);
      maybe(b::cpu, this::integer);
      maybe(b::ram, this::integer);
      maybe(b::mainDiskSize, this::integer);
      maybe(b::priority, this::integer);
      return b.build();
    }

    NodeGroup group() {
      return NodeGroup.builder()
          .defaults(nodeDefaults())
          .instances(list(5, this::nodeInstance))
          .build();
    }

    NodeDefaults nodeDefaults() {
      NodeDefaults.Builder b = NodeDefaults.builder();
      maybe(b::cpu, this::integer);
      maybe(b::ram, this::integer);
      maybe(b::mainDiskSize, this::integer);
      return b.labels(labels())
          .taints(list(2, this::string))
          .dataDisks(list(2, this::dataDisk))
          .build();
    }

    NodeInstance nodeInstance() {
      NodeInstance.Builder b = NodeInstance.builder();
      maybe(b::id, this::string);
      maybe(b::host, this::string);
      maybe(b::ip, this::string);
      maybe(b::mac, this::string);
      maybe(b::cpu, this::integer);
      maybe(b::ram, this::integer);
      maybe(b::mainDiskSize, this::integer);
      return b.labels(labels())
          .taints(list(2, this::string))
          .dataDisks(list(2, this::dataDisk))
          .build();
    }

    DataDisk dataDisk() {
      DataDisk.Builder b = DataDisk.builder();
      maybe(b::name, this::string);
      maybe(b::pool, this::string);
      maybe(b::size, this::integer);
      return b.build();
    }

    Kubernetes kubernetes() {
      Kubernetes.Builder b = Kubernetes.builder();
      maybe(b::version, this::string);
      maybe(b::manager, () -> pick(KubernetesManager.values()));
      maybe(b::networkPlugin, () -> pick(NetworkPlugin.values()));
      maybe(b::dnsMode, () -> pick(DnsMode.values()));
      Kubespray.Builder k = Kubespray.builder();
      maybe(k::url, this::string);
      maybe(k::version, this::string);
      KubernetesOther.Builder o = KubernetesOther.builder();
      maybe(o::autoRenewCertificates, random::nextBoolean);
      maybe(o::mergeKubeconfig, random::nextBoolean);
      return b.kubespray(k.build()).other(o.build()).build();
    }

    Rook rook() {
      Rook.Builder b = Rook.builder();
      maybe(b::enabled, random::nextBoolean);
      maybe(b::version, this::string);
      return b.nodeSelector(labels()).build();
    }
  }

  // ------------------------------------------------------------------ the property

  /** Validates, preflights and resolves the spec; none may throw. Returns whether it has errors. */
  private boolean checkNeverThrows(ClusterSpec spec, String description) {
    ValidationReport report;
    try {
      report = SpecValidator.validateUnguarded(spec);
      ValidationReport guarded = SpecValidator.validate(spec);
      assertThat(guarded.violations()).as(description).isEqualTo(report.violations());
      Preflight.check(spec, home);
      spec.resolveDefaults();
    } catch (RuntimeException e) {
      throw new AssertionError(description + "\nthrew " + e, e);
    }
    for (Violation v : report.violations()) {
      assertThat(v.message()).as(description).isNotBlank().doesNotContain("\n", "\r");
      assertThat(v.path()).as(description).doesNotContain("\n");
    }
    if (report.hasErrors()) {
      assertThatThrownBy(report::throwIfInvalid).isInstanceOf(ValidationException.class);
    } else {
      try {
        report.throwIfInvalid();
      } catch (ValidationException e) {
        fail(description + ": threw without errors", e);
      }
    }
    return report.hasErrors();
  }

  private static String oddString(Random random) {
    return ODD_STRINGS[random.nextInt(ODD_STRINGS.length)];
  }

  private static int oddInt(Random random) {
    return ODD_INTS[random.nextInt(ODD_INTS.length)];
  }
}
