package io.kubitect.core;

import static io.kubitect.core.Specs.addHost;
import static io.kubitect.core.Specs.connection;
import static io.kubitect.core.Specs.host;
import static io.kubitect.core.Specs.hostSsh;
import static io.kubitect.core.Specs.kubernetes;
import static io.kubitect.core.Specs.lb;
import static io.kubitect.core.Specs.lbs;
import static io.kubitect.core.Specs.master;
import static io.kubitect.core.Specs.masters;
import static io.kubitect.core.Specs.network;
import static io.kubitect.core.Specs.os;
import static io.kubitect.core.Specs.pool;
import static io.kubitect.core.Specs.remoteHost;
import static io.kubitect.core.Specs.rook;
import static io.kubitect.core.Specs.template;
import static io.kubitect.core.Specs.worker;
import static io.kubitect.core.Specs.workers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.kubitect.model.Cluster;
import io.kubitect.model.ClusterSpec;
import io.kubitect.model.Connection;
import io.kubitect.model.ConnectionType;
import io.kubitect.model.CpuMode;
import io.kubitect.model.DataDisk;
import io.kubitect.model.DataResourcePool;
import io.kubitect.model.Distro;
import io.kubitect.model.ForwardPort;
import io.kubitect.model.Host;
import io.kubitect.model.KubernetesManager;
import io.kubitect.model.NetworkMode;
import io.kubitect.model.NodeDefaults;
import io.kubitect.model.NodeGroup;
import io.kubitect.model.NodeInstance;
import io.kubitect.model.Nodes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SpecValidatorTest {

  /** One expected violation: severity, exact path and a fragment of the message. */
  record Expect(Severity severity, String path, String fragment) {}

  static Expect error(String path, String fragment) {
    return new Expect(Severity.ERROR, path, fragment);
  }

  static Expect warning(String path, String fragment) {
    return new Expect(Severity.WARNING, path, fragment);
  }

  /** A rule: a change to the valid spec and exactly the violations it must cause. */
  static Arguments rule(String name, UnaryOperator<ClusterSpec> change, Expect... expected) {
    return Arguments.of(name, change, List.of(expected));
  }

  private static final String LB = "cluster.nodes.loadBalancer";
  private static final String MASTER = "cluster.nodes.master";
  private static final String WORKER = "cluster.nodes.worker";
  private static final String LONG_NAME = "a".repeat(55);

  @Test
  void acceptsTheValidSpecWithoutAnyViolation() {
    assertThat(SpecValidator.validate(Specs.valid()).violations()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource({
    "hostRules",
    "clusterRules",
    "nodeRules",
    "instanceRules",
    "kubernetesRules",
    "addonRules"
  })
  void reportsRule(String name, UnaryOperator<ClusterSpec> change, List<Expect> expected) {
    ValidationReport report = SpecValidator.validate(change.apply(Specs.valid()));

    assertThat(report.violations())
        .extracting(Violation::severity, Violation::path)
        .as("violations of %s: %s", name, report)
        .containsExactlyInAnyOrderElementsOf(
            expected.stream().map(e -> tuple(e.severity(), e.path())).toList());
    for (Expect e : expected) {
      assertThat(report.violations())
          .filteredOn(v -> v.path().equals(e.path()))
          .extracting(Violation::message)
          .anySatisfy(message -> assertThat(message).contains(e.fragment()));
    }
  }

  static Stream<Arguments> hostRules() {
    return Stream.of(
        rule("at least one host", s -> s.withHosts(List.of()), error("hosts", "at least one host")),
        rule(
            "host name required",
            s -> addHost(s, remoteHost("h4", "10.10.0.7").withName(Optional.empty())),
            error("hosts[3].name", "is required")),
        rule(
            "host name characters",
            s -> addHost(s, remoteHost("h 4", "10.10.0.7")),
            error("hosts[3].name", "'h 4' may contain only")),
        rule(
            "host names unique",
            s -> addHost(s, remoteHost("h2", "10.10.0.7")),
            error("hosts[3].name", "already the name of hosts[1]")),
        rule(
            "at most one default host",
            s -> host(host(s, 0, h -> h.withDefaultHost(true)), 2, h -> h.withDefaultHost(true)),
            error("hosts[2].default", "hosts[0] is already the default host")),
        rule(
            "connection type required",
            s ->
                addHost(
                    s,
                    remoteHost("h4", "10.10.0.7")
                        .withConnection(
                            remoteHost("h4", "10.10.0.7").connection().withType(Optional.empty()))),
            error("hosts[3].connection.type", "local, localhost and remote")),
        rule(
            "at most one local host",
            s -> addHost(s, localHost("h4", ConnectionType.LOCALHOST)),
            error("hosts[3].connection.type", "hosts[0] already uses")),
        rule(
            "remote settings on a local host are ignored",
            s -> connection(s, 0, c -> c.withIp("10.10.0.9").withUser("root")),
            warning("hosts[0].connection", "ignored for a 'local' host")),
        rule(
            "remote ip required",
            s -> connection(s, 1, c -> c.withIp(Optional.empty())),
            error("hosts[1].connection.ip", "is required for a remote host")),
        rule(
            "remote ip is IPv4, not a host name",
            s -> connection(s, 1, c -> c.withIp("host2.example.com")),
            error("hosts[1].connection.ip", "'host2.example.com' is not an IPv4 address")),
        rule(
            "remote ip rejects 192.168.113.266",
            s -> connection(s, 1, c -> c.withIp("192.168.113.266")),
            error("hosts[1].connection.ip", "not an IPv4 address")),
        rule(
            "remote user required",
            s -> connection(s, 1, c -> c.withUser(Optional.empty())),
            error("hosts[1].connection.user", "is required for a remote host")),
        rule(
            "remote user characters ('.')",
            s -> connection(s, 1, c -> c.withUser(".")),
            error("hosts[1].connection.user", "'.' is not a valid user name")),
        rule(
            "remote user characters (' ')",
            s -> connection(s, 1, c -> c.withUser(" ")),
            error("hosts[1].connection.user", "is required")),
        rule(
            "remote keyfile required",
            s -> hostSsh(s, 1, ssh -> ssh.withKeyfile(Optional.empty())),
            error("hosts[1].connection.ssh.keyfile", "password-less private SSH key")),
        rule(
            "ssh port 0 means the default",
            s -> hostSsh(s, 1, ssh -> ssh.withPort(0)),
            warning("hosts[1].connection.ssh.port", "not set: the default port 22 applies")),
        rule(
            "ssh port at least 1",
            s -> hostSsh(s, 1, ssh -> ssh.withPort(-1)),
            error("hosts[1].connection.ssh.port", "1 to 65535 (found -1)")),
        rule(
            "ssh port at most 65535",
            s -> hostSsh(s, 2, ssh -> ssh.withPort(65536)),
            error("hosts[2].connection.ssh.port", "(found 65536)")),
        rule(
            "host key verification off",
            s -> hostSsh(s, 1, ssh -> ssh.withVerify(false)),
            warning("hosts[1].connection.ssh.verify", "not checked against known_hosts")),
        rule(
            "main pool path absolute",
            s -> host(s, 1, h -> h.withMainResourcePoolPath("pools/main")),
            error("hosts[1].mainResourcePoolPath", "'pools/main' is not an absolute path")),
        rule(
            "main pool path not empty",
            s -> host(s, 1, h -> h.withMainResourcePoolPath("")),
            error("hosts[1].mainResourcePoolPath", "is empty")),
        rule(
            "data pool name required",
            s -> addPool(s, 1, DataResourcePool.builder().path("/data").build()),
            error("hosts[1].dataResourcePools[1].name", "is required")),
        rule(
            "data pool name characters",
            s -> addPool(s, 1, DataResourcePool.builder().name("data_pool").build()),
            error("hosts[1].dataResourcePools[1].name", "'data_pool' may contain only")),
        rule(
            "data pool named main refused",
            s -> addPool(s, 1, DataResourcePool.builder().name("main").build()),
            error("hosts[1].dataResourcePools[1].name", "'main' is reserved")),
        rule(
            "data pool names unique per host",
            s -> addPool(s, 1, DataResourcePool.builder().name("data-pool").build()),
            error(
                "hosts[1].dataResourcePools[1].name", "already the name of dataResourcePools[0]")),
        rule(
            "data pool path absolute",
            s -> pool(s, 2, p -> p.withPath("pools")),
            error("hosts[2].dataResourcePools[0].path", "'pools' is not an absolute path")),
        rule(
            "data pool path not empty",
            s -> pool(s, 2, p -> p.withPath(" ")),
            error("hosts[2].dataResourcePools[0].path", "is empty")),
        rule(
            "data pool path without control characters",
            s -> pool(s, 2, p -> p.withPath("/data/\npool")),
            error("hosts[2].dataResourcePools[0].path", "contains a control character (U+000A)")),
        rule(
            "main pool path without control characters",
            s -> host(s, 1, h -> h.withMainResourcePoolPath("/var/lib/\u0000libvirt")),
            error("hosts[1].mainResourcePoolPath", "contains a control character (U+0000)")),
        rule(
            "main pool path at most 4096 bytes",
            s -> host(s, 1, h -> h.withMainResourcePoolPath("/" + "ä".repeat(2048))),
            error("hosts[1].mainResourcePoolPath", "4097 bytes long")),
        rule(
            "remote keyfile without control characters",
            s -> hostSsh(s, 1, ssh -> ssh.withKeyfile("~/.ssh/id\u007f")),
            error("hosts[1].connection.ssh.keyfile", "contains a control character (U+007F)")),
        rule(
            "remote keyfile at most 4096 bytes",
            s -> hostSsh(s, 2, ssh -> ssh.withKeyfile("~/" + "k".repeat(5000))),
            error("hosts[2].connection.ssh.keyfile", "5002 bytes long")));
  }

  static Stream<Arguments> clusterRules() {
    return Stream.of(
        rule(
            "cluster name required",
            s -> Specs.cluster(s, c -> c.withName(Optional.empty())),
            error("cluster.name", "is required")),
        rule(
            "cluster name prefix local- reserved",
            s -> Specs.cluster(s, c -> c.withName("local-k8s")),
            error("cluster.name", "reserved for clusters created with --local")),
        rule(
            "cluster name lowercase",
            s -> Specs.cluster(s, c -> c.withName("K8s")),
            error("cluster.name", "must be lowercase, e.g. 'k8s'")),
        rule(
            "cluster name without underscore",
            s -> Specs.cluster(s, c -> c.withName("k8s_prod")),
            error("cluster.name", "'k8s_prod' cannot start node names")),
        rule(
            "cluster name without leading hyphen",
            s -> Specs.cluster(s, c -> c.withName("-k8s")),
            error("cluster.name", "starting and ending with a letter or digit")),
        rule(
            "cluster name leaves room for node names",
            s -> Specs.cluster(s, c -> c.withName(LONG_NAME)),
            error("cluster.name", "at most 54 characters")),
        rule("cluster name not '.'", s -> clusterName(s, "."), error("cluster.name", "'.'")),
        rule("cluster name not '..'", s -> clusterName(s, ".."), error("cluster.name", "'..'")),
        rule("cluster name not empty", s -> clusterName(s, ""), error("cluster.name", "required")),
        rule(
            "cluster name without '/'",
            s -> clusterName(s, "a/b"),
            error("cluster.name", "lowercase letters, digits and '-'")),
        rule(
            "cluster name not starting with '.'",
            s -> clusterName(s, ".k8s"),
            error("cluster.name", "starting and ending with a letter or digit")),
        rule(
            "cluster name without a NUL",
            s -> clusterName(s, "k8s\u0000"),
            error("cluster.name", "'k8s\\u0000'")),
        rule(
            "cidr required",
            s -> network(s, n -> n.withCidr(Optional.empty())),
            error("cluster.network.cidr", "is required")),
        rule(
            "cidr needs a prefix (192.168.113.0)",
            s -> network(s, n -> n.withCidr("192.168.113.0")),
            error("cluster.network.cidr", "not in CIDR notation")),
        rule(
            "cidr address is IPv4",
            s -> network(s, n -> n.withCidr("10.10.0.300/20")),
            error("cluster.network.cidr", "does not start with an IPv4 address")),
        rule(
            "cidr prefix at most 32",
            s -> network(s, n -> n.withCidr("10.10.0.0/33")),
            error("cluster.network.cidr", "an IPv4 prefix is 0 to 32")),
        rule(
            "cidr IPv6 refused",
            s -> network(s, n -> n.withCidr("2001:db8::/64")),
            error("cluster.network.cidr", "does not start with an IPv4 address")),
        rule(
            "cidr with host bits is read as its network",
            s -> network(s, n -> n.withCidr("10.10.1.0/20")),
            warning(
                "cluster.network.cidr",
                "'10.10.1.0/20' has host bits set; it is read as the network 10.10.0.0/20")),
        rule(
            "gateway is IPv4",
            s -> network(s, n -> n.withGateway("10.10.0")),
            error("cluster.network.gateway", "'10.10.0' is not an IPv4 address")),
        rule(
            "gateway inside the cidr",
            s -> network(s, n -> n.withGateway("10.20.0.1")),
            error("cluster.network.gateway", "outside the cluster network 10.10.0.0/20")),
        rule(
            "gateway not the network address",
            s -> network(s, n -> n.withGateway("10.10.0.0")),
            error("cluster.network.gateway", "network address")),
        rule(
            "gateway not the broadcast address",
            s -> network(s, n -> n.withGateway("10.10.15.255")),
            error("cluster.network.gateway", "broadcast address")),
        rule(
            "bridge required in bridge mode",
            s -> network(s, n -> n.withBridge(Optional.empty())),
            error("cluster.network.bridge", "required when the network mode is 'bridge'")),
        rule(
            "bridge name at most 15 bytes",
            s -> network(s, n -> n.withBridge("bridge-name-16ch")),
            error("cluster.network.bridge", "16 bytes long, Linux allows at most 15")),
        rule(
            "bridge name without '/'",
            s -> network(s, n -> n.withBridge("br/0")),
            error("cluster.network.bridge", "may contain only letters, digits")),
        rule(
            "bridge name without whitespace",
            s -> network(s, n -> n.withBridge("br 0")),
            error("cluster.network.bridge", "([A-Za-z0-9_.-])")),
        rule(
            "bridge name not '.'",
            s -> network(s, n -> n.withBridge("..")),
            error("cluster.network.bridge", "must not start with '-' or '.'")),
        rule(
            "node user characters",
            s -> template(s, t -> t.withUser("k8s admin")),
            error("cluster.nodeTemplate.user", "'k8s admin' is not a valid user name")),
        rule(
            "older distro spelling maps to the current preset",
            s -> os(s, o -> o.withDistro(Distro.UBUNTU)),
            warning("cluster.nodeTemplate.os.distro", "read as 'ubuntu22'")),
        rule(
            "image source not empty",
            s -> os(s, o -> o.withSource("")),
            error("cluster.nodeTemplate.os.source", "is empty")),
        rule(
            "image source http, https or a file",
            s -> os(s, o -> o.withSource("ftp://mirror/image.qcow2")),
            error("cluster.nodeTemplate.os.source", "uses the scheme 'ftp'")),
        rule(
            "network interface not empty",
            s -> os(s, o -> o.withNetworkInterface("")),
            error("cluster.nodeTemplate.os.networkInterface", "is empty")),
        rule(
            "network interface at most 15 bytes",
            s -> os(s, o -> o.withNetworkInterface("a".repeat(17))),
            error("cluster.nodeTemplate.os.networkInterface", "17 bytes long")),
        rule(
            "network interface without quotes (keepalived.conf)",
            s -> os(s, o -> o.withNetworkInterface("ens3\"")),
            error(
                "cluster.nodeTemplate.os.networkInterface",
                "may contain only letters, digits, '_', '.' and '-'")),
        rule(
            "network interface without a newline",
            s -> os(s, o -> o.withNetworkInterface("ens3\n  nopreempt")),
            error("cluster.nodeTemplate.os.networkInterface", "'ens3\\n  nopreempt'")),
        rule(
            "network interface without braces",
            s -> os(s, o -> o.withNetworkInterface("ens{")),
            error("cluster.nodeTemplate.os.networkInterface", "[A-Za-z0-9_.-]")),
        rule(
            "network interface without comment characters",
            s -> os(s, o -> o.withNetworkInterface("ens3#x")),
            error("cluster.nodeTemplate.os.networkInterface", "may contain only")),
        rule(
            "network interface not starting with '-'",
            s -> os(s, o -> o.withNetworkInterface("-ens3")),
            error("cluster.nodeTemplate.os.networkInterface", "must not start with")),
        rule(
            "bridge name without quotes",
            s -> network(s, n -> n.withBridge("br'0")),
            error("cluster.network.bridge", "may contain only")),
        rule(
            "node private key path without control characters",
            s -> template(s, t -> t.withSsh(t.ssh().withPrivateKeyPath("/keys/id\u0000.pub"))),
            error(
                "cluster.nodeTemplate.ssh.privateKeyPath",
                "contains a control character (U+0000)")),
        rule(
            "node private key path at most 4096 bytes",
            s -> template(s, t -> t.withSsh(t.ssh().withPrivateKeyPath("/" + "k".repeat(4096)))),
            error("cluster.nodeTemplate.ssh.privateKeyPath", "4097 bytes long")),
        rule(
            "image source without control characters",
            s -> os(s, o -> o.withSource("https://images.example/a\r\nHost: evil")),
            error("cluster.nodeTemplate.os.source", "contains a control character (U+000D)")),
        rule(
            "image source file without control characters",
            s -> os(s, o -> o.withSource("/var/images/\u001b[31mred.qcow2")),
            error("cluster.nodeTemplate.os.source", "(U+001B)")),
        rule(
            "node private key path not empty",
            s -> template(s, t -> t.withSsh(t.ssh().withPrivateKeyPath(""))),
            error("cluster.nodeTemplate.ssh.privateKeyPath", "is empty")),
        rule(
            "dns entries are IP addresses",
            s -> template(s, t -> t.withDns("2001:db8::8888", "dns.google")),
            error("cluster.nodeTemplate.dns[1]", "'dns.google' is not an IP address")),
        rule(
            "rocky9 needs a cpu mode with x86-64-v2",
            s -> os(s, o -> o.withDistro(Distro.ROCKY9)),
            warning("cluster.nodeTemplate.cpuMode", "x86-64-v2")),
        rule(
            "nat mode does not span hosts",
            s -> network(s, n -> n.withMode(NetworkMode.NAT)),
            warning("cluster.network.mode", "'nat' gives every host its own virtual network")),
        rule(
            "route mode does not span hosts",
            s -> network(s, n -> n.withMode(NetworkMode.ROUTE)),
            warning("cluster.network.mode", "only 'bridge' mode spans several hosts")));
  }

  static Stream<Arguments> nodeRules() {
    return Stream.of(
        rule(
            "vip required with several load balancers",
            s -> lbs(s, l -> l.withVip(Optional.empty())),
            error(LB + ".vip", "is required with 2 load balancers")),
        rule(
            "vip is IPv4",
            s -> lbs(s, l -> l.withVip("10.10.13")),
            error(LB + ".vip", "'10.10.13' is not an IPv4 address")),
        rule(
            "vip inside the cidr",
            s -> lbs(s, l -> l.withVip("192.168.1.200")),
            error(LB + ".vip", "outside the cluster network 10.10.0.0/20")),
        rule(
            "vip not the network address",
            s -> lbs(s, l -> l.withVip("10.10.0.0")),
            error(LB + ".vip", "network address of 10.10.0.0/20")),
        rule(
            "vip not the broadcast address",
            s -> lbs(s, l -> l.withVip("10.10.15.255")),
            error(LB + ".vip", "broadcast address")),
        rule(
            "vip not the default gateway",
            s -> lbs(s, l -> l.withVip("10.10.0.1")),
            error(LB + ".vip", "defaults to the first address")),
        rule(
            "vip not the written gateway",
            s -> lbs(network(s, n -> n.withGateway("10.10.0.254")), l -> l.withVip("10.10.0.254")),
            error(LB + ".vip", "is the network's gateway;")),
        rule(
            "vip not a node ip",
            s -> lbs(s, l -> l.withVip("10.10.13.11")),
            error(LB + ".vip", "already the ip of " + MASTER + ".instances[1].ip")),
        rule(
            "vip not a load balancer ip when there are several",
            s -> lbs(s, l -> l.withVip("10.10.13.202")),
            error(LB + ".vip", "already the ip of " + LB + ".instances[1].ip")),
        rule(
            "vip not a host address",
            s -> lbs(s, l -> l.withVip("10.10.0.5")),
            error(LB + ".vip", "hosts[1].connection.ip")),
        rule(
            "vip ignored without load balancers",
            s -> singleMaster(lbs(s, l -> l.withInstances(List.of()))),
            warning(LB + ".vip", "ignored because there is no load balancer")),
        rule(
            "vip equal to the only load balancer's ip",
            s -> lbs(s, l -> l.withInstances(l.instances().get(0)).withVip("10.10.13.201")),
            warning(LB + ".vip", "ip of the only load balancer")),
        rule(
            "virtual router id 0 means the default",
            s -> lbs(s, l -> l.withVirtualRouterId(0)),
            warning(LB + ".virtualRouterId", "not set: the default router id 51 applies")),
        rule(
            "virtual router id at least 1",
            s -> lbs(s, l -> l.withVirtualRouterId(-1)),
            error(LB + ".virtualRouterId", "1 to 255 (found -1)")),
        rule(
            "virtual router id at most 255",
            s -> lbs(s, l -> l.withVirtualRouterId(256)),
            error(LB + ".virtualRouterId", "(found 256)")),
        rule(
            "forward port name required",
            s -> ports(s, port(null, 80)),
            error(LB + ".forwardPorts[0].name", "is required")),
        rule(
            "forward port name characters",
            s -> ports(s, port("http port", 80)),
            error(LB + ".forwardPorts[0].name", "'http port' may contain only")),
        rule(
            "forward port names unique",
            s -> ports(s, port("http", 80), port("http", 443)),
            error(LB + ".forwardPorts[1].name", "already the name of forwardPorts[0]")),
        rule(
            "forward port required",
            s -> ports(s, port("http", null)),
            error(LB + ".forwardPorts[0].port", "is required")),
        rule(
            "forward port at least 1",
            s -> ports(s, port("http", 0)),
            error(LB + ".forwardPorts[0].port", "1 to 65535 (found 0)")),
        rule(
            "forward port at most 65535",
            s -> ports(s, port("http", 65536)),
            error(LB + ".forwardPorts[0].port", "(found 65536)")),
        rule(
            "forward port 22 refused",
            s -> ports(s, port("ssh", 22)),
            error(LB + ".forwardPorts[0].port", "22 is taken by SSH")),
        rule(
            "forward port 6443 refused",
            s -> ports(s, port("http", 80), port("api", 6443)),
            error(LB + ".forwardPorts[1].port", "6443 is taken by the Kubernetes API")),
        rule(
            "forward ports unique",
            s -> ports(s, port("http", 80), port("web", 80)),
            error(LB + ".forwardPorts[1].port", "already forwarded by forwardPorts[0]")),
        rule(
            "forward target port 0 means the port",
            s -> ports(s, port("http", 80).withTargetPort(0)),
            warning(LB + ".forwardPorts[0].targetPort", "the forwarded port 80 itself applies")),
        rule(
            "forward target port in range",
            s -> ports(s, port("http", 80).withTargetPort(-80)),
            error(LB + ".forwardPorts[0].targetPort", "(found -80)")),
        rule(
            "forward ports ignored without load balancers",
            s ->
                ports(
                    singleMaster(lbs(s, l -> l.withInstances(List.of()).withVip(Optional.empty()))),
                    port("http", 80)),
            warning(LB + ".forwardPorts", "no load balancer instance")),
        rule(
            "load balancer default cpu 0 means the built-in default",
            s -> lbs(s, l -> l.withDefaults(l.defaults().withCpu(0))),
            warning(LB + ".default.cpu", "not set: the default of 2 virtual CPUs applies")),
        rule(
            "load balancer default cpu at least 1",
            s -> lbs(s, l -> l.withDefaults(l.defaults().withCpu(-2))),
            error(LB + ".default.cpu", "at least 1")),
        rule(
            "load balancer default ram at least 1",
            s -> lbs(s, l -> l.withDefaults(l.defaults().withRam(-1))),
            error(LB + ".default.ram", "found -1")),
        rule(
            "load balancer default main disk 0 means the built-in default",
            s -> lbs(s, l -> l.withDefaults(l.defaults().withMainDiskSize(0))),
            warning(LB + ".default.mainDiskSize", "the default of 32 GiB of main disk applies")),
        rule(
            "load balancer default main disk at least 1",
            s -> lbs(s, l -> l.withDefaults(l.defaults().withMainDiskSize(-32))),
            error(LB + ".default.mainDiskSize", "at least 1")),
        rule(
            "load balancer priority 0 means the default",
            s -> lb(s, 0, i -> i.withPriority(0)),
            warning(LB + ".instances[0].priority", "not set: the default priority 10 applies")),
        rule(
            "load balancer priority at least 1",
            s -> lb(s, 0, i -> i.withPriority(-1)),
            error(LB + ".instances[0].priority", "1 to 254 (found -1)")),
        rule(
            "load balancer priority at most 255",
            s -> lb(s, 1, i -> i.withPriority(256)),
            error(LB + ".instances[1].priority", "(found 256)")),
        rule(
            "load balancer priority 255 is lowered",
            s -> lb(s, 1, i -> i.withPriority(255)),
            warning(LB + ".instances[1].priority", "lowers it to 254")),
        rule(
            "load balancers not all on one host",
            s -> lb(s, 1, i -> i.withHost("h1")),
            warning(LB + ".instances", "all 2 load balancers run on host 'h1'")),
        rule(
            "at least one master",
            s -> masters(s, g -> g.withInstances(List.of())),
            error(MASTER + ".instances", "at least one master")),
        rule(
            "odd number of masters",
            s ->
                masters(
                    s,
                    g ->
                        g.withInstances(
                            append(g.instances(), Specs.instance("4", "h1", "10.10.13.13")))),
            error(MASTER + ".instances", "4 masters are configured; etcd needs an odd number")),
        rule(
            "several masters need a load balancer",
            s -> lbs(s, l -> l.withInstances(List.of()).withVip(Optional.empty())),
            error(LB + ".instances", "but 3 masters are")),
        rule(
            "masters not all on one host",
            s -> master(master(s, 1, i -> i.withHost("h3")), 0, i -> i.withHost("h3")),
            warning(MASTER + ".instances", "all 3 masters run on host 'h3'")),
        rule(
            "master default cpu 0 means the built-in default",
            s -> masters(s, g -> g.withDefaults(g.defaults().withCpu(0))),
            warning(MASTER + ".default.cpu", "not set: the default of 2 virtual CPUs applies")),
        rule(
            "master default cpu at least 1",
            s -> masters(s, g -> g.withDefaults(g.defaults().withCpu(-1))),
            error(MASTER + ".default.cpu", "at least 1")),
        rule(
            "worker default ram 0 means the built-in default",
            s -> workers(s, g -> g.withDefaults(g.defaults().withRam(0))),
            warning(WORKER + ".default.ram", "the default of 4 GiB of memory applies")),
        rule(
            "worker default ram at least 1",
            s -> workers(s, g -> g.withDefaults(g.defaults().withRam(-4))),
            error(WORKER + ".default.ram", "at least 1")),
        rule(
            "worker default main disk at least 1",
            s -> workers(s, g -> g.withDefaults(g.defaults().withMainDiskSize(-3))),
            error(WORKER + ".default.mainDiskSize", "found -3")),
        rule(
            "default labels valid",
            s -> workers(s, g -> g.withDefaults(g.defaults().withLabels(Map.of("-bad", "x")))),
            error(WORKER + ".default.labels.-bad", "'-bad' is not a Kubernetes label key")),
        rule(
            "default taints valid",
            s -> workers(s, g -> g.withDefaults(g.defaults().withTaints("gpu"))),
            error(WORKER + ".default.taints[0]", "has no ':Effect' part")),
        rule(
            "default data disk pool on every instance's host (host without pools)",
            s -> masters(s, g -> g.withDefaults(defaultDisk("data-pool"))),
            error(
                MASTER + ".default.dataDisks[0].pool",
                "host 'h1', where the node runs (a"
                    + " default disk of "
                    + MASTER
                    + ".instances[0]), has none configured")),
        rule(
            "default data disk pool on every instance's host (unknown pool)",
            s -> workers(s, g -> g.withDefaults(defaultDisk("fast"))),
            error(WORKER + ".default.dataDisks[0].pool", "use one of [data-pool] or 'main'")),
        rule(
            "default data disk names unique",
            s ->
                workers(
                    s,
                    g ->
                        g.withDefaults(
                            NodeDefaults.builder()
                                .addDataDisks(disk("cache", "main", 8), disk("cache", "main", 8))
                                .build())),
            error(WORKER + ".default.dataDisks[1].name", "already the name of dataDisks[0]")));
  }

  static Stream<Arguments> instanceRules() {
    return Stream.of(
        rule(
            "id required",
            s -> lb(s, 1, i -> i.withId(Optional.empty())),
            error(LB + ".instances[1].id", "is required")),
        rule(
            "id usable in node names (underscore)",
            s -> worker(s, 0, i -> i.withId("w_1")),
            error(WORKER + ".instances[0].id", "'w_1' cannot be part of the node name")),
        rule(
            "id usable in node names (uppercase)",
            s -> master(s, 0, i -> i.withId("A")),
            error(MASTER + ".instances[0].id", "lowercase")),
        rule(
            "ids unique within a group",
            s -> worker(s, 1, i -> i.withId("1")),
            error(WORKER + ".instances[1].id", "already the id of " + WORKER + ".instances[0]")),
        rule(
            "node name fits a DNS label",
            s -> worker(s, 1, i -> i.withId("w".repeat(53))),
            error(WORKER + ".instances[1].id", "the id may have at most 52 characters")),
        rule(
            "host must be configured",
            s -> lb(s, 0, i -> i.withHost("h9")),
            error(
                LB + ".instances[0].host",
                "'h9' is not a configured host; use one of" + " [h1|h2|h3]")),
        rule(
            "ip is IPv4",
            s -> master(s, 1, i -> i.withIp("10.10.13.256")),
            error(MASTER + ".instances[1].ip", "'10.10.13.256' is not an IPv4 address")),
        rule(
            "ip inside the cidr",
            s -> master(s, 1, i -> i.withIp("192.168.114.13")),
            error(MASTER + ".instances[1].ip", "outside the cluster network 10.10.0.0/20")),
        rule(
            "ip not the network address",
            s -> worker(s, 0, i -> i.withIp("10.10.0.0")),
            error(WORKER + ".instances[0].ip", "network address")),
        rule(
            "ip not the broadcast address",
            s -> worker(s, 0, i -> i.withIp("10.10.15.255")),
            error(WORKER + ".instances[0].ip", "broadcast address")),
        rule(
            "ip not the gateway",
            s -> lb(s, 0, i -> i.withIp("10.10.0.1")),
            error(LB + ".instances[0].ip", "gateway")),
        rule(
            "ips unique within a group",
            s -> worker(s, 1, i -> i.withIp("10.10.13.20")),
            error(WORKER + ".instances[1].ip", "already the ip of " + WORKER + ".instances[0].ip")),
        rule(
            "ips unique across groups",
            s -> worker(s, 0, i -> i.withIp("10.10.13.201")),
            error(WORKER + ".instances[0].ip", "already the ip of " + LB + ".instances[0].ip")),
        rule(
            "ip not a host's address",
            s -> worker(s, 0, i -> i.withIp("10.10.0.6")),
            error(WORKER + ".instances[0].ip", "hosts[2].connection.ip")),
        rule(
            "mac valid (AA:BB::FF)",
            s -> master(s, 0, i -> i.withMac("AA:BB::FF")),
            error(MASTER + ".instances[0].mac", "'AA:BB::FF' is not a MAC address")),
        rule(
            "mac unicast",
            s -> master(s, 0, i -> i.withMac("01:00:5e:00:00:01")),
            error(MASTER + ".instances[0].mac", "multicast")),
        rule(
            "mac not all zero",
            s -> master(s, 0, i -> i.withMac("00:00:00:00:00:00")),
            error(MASTER + ".instances[0].mac", "all-zero")),
        rule(
            "macs unique (case and separator ignored)",
            s ->
                worker(
                    master(s, 0, i -> i.withMac("52:54:00:AA:00:01")),
                    0,
                    i -> i.withMac("52-54-00-aa-00-01")),
            error(
                WORKER + ".instances[0].mac",
                "already the mac of " + MASTER + ".instances[0].mac")),
        rule(
            "cpu 0 means the group's default",
            s -> lb(lbs(s, l -> l.withDefaults(l.defaults().withCpu(3))), 0, i -> i.withCpu(0)),
            warning(
                LB + ".instances[0].cpu",
                "not set: the group's default.cpu (3 virtual CPUs) applies; leave cpu out")),
        rule(
            "cpu 0 means the built-in default without a group default",
            s -> lb(s, 0, i -> i.withCpu(0)),
            warning(LB + ".instances[0].cpu", "the default of 2 virtual CPUs applies")),
        rule(
            "cpu at least 1",
            s -> lb(s, 0, i -> i.withCpu(-1)),
            error(LB + ".instances[0].cpu", "at least 1")),
        rule(
            "ram 0 means the group's default",
            s ->
                master(
                    masters(s, g -> g.withDefaults(g.defaults().withRam(16))),
                    2,
                    i -> i.withRam(0)),
            warning(MASTER + ".instances[2].ram", "the group's default.ram (16 GiB of memory)")),
        rule(
            "a master with less memory than Kubespray's preinstall check requires",
            s -> master(s, 1, i -> i.withRam(1)),
            warning(MASTER + ".instances[1].ram", "below the 1500 MiB Kubespray's preinstall")),
        rule(
            "masters' default memory below Kubespray's minimum: said once, at the default",
            s -> masters(s, g -> g.withDefaults(g.defaults().withRam(1))),
            warning(MASTER + ".default.ram", "is 1 GiB, below the 1500 MiB")),
        rule(
            "a worker of 1 GiB shows less than Kubespray's 1024 MiB node minimum",
            s -> worker(s, 1, i -> i.withRam(1)),
            warning(
                WORKER + ".instances[1].ram",
                "is 1 GiB: the guest sees less than the 1024 MiB Kubespray's preinstall check")),
        rule(
            "workers' default memory below Kubespray's node minimum: said once, at the default",
            s -> workers(s, g -> g.withDefaults(g.defaults().withRam(1))),
            warning(WORKER + ".default.ram", "is 1 GiB: the guest sees less than the 1024 MiB")),
        rule(
            "ram at least 1",
            s -> master(s, 2, i -> i.withRam(-1)),
            error(MASTER + ".instances[2].ram", "at least 1")),
        rule(
            "main disk size at least 1",
            s -> worker(s, 1, i -> i.withMainDiskSize(Integer.MIN_VALUE)),
            error(WORKER + ".instances[1].mainDiskSize", "at least 1")),
        rule(
            "data disk name required",
            s -> worker(s, 0, i -> i.withDataDisks(DataDisk.builder().size(8).build())),
            error(WORKER + ".instances[0].dataDisks[0].name", "is required")),
        rule(
            "data disk name characters",
            s -> worker(s, 0, i -> i.withDataDisks(disk("rook_1", null, 8))),
            error(WORKER + ".instances[0].dataDisks[0].name", "'rook_1' may contain only")),
        rule(
            "data disk names unique per node",
            s -> worker(s, 0, i -> i.withDataDisks(disk("a", null, 8), disk("a", "main", 8))),
            error(WORKER + ".instances[0].dataDisks[1].name", "already the name of dataDisks[0]")),
        rule(
            "data disk size required",
            s -> worker(s, 0, i -> i.withDataDisks(disk("a", null, null))),
            error(WORKER + ".instances[0].dataDisks[0].size", "is required")),
        rule(
            "data disk size at least 1",
            s -> worker(s, 0, i -> i.withDataDisks(disk("a", null, 0))),
            error(WORKER + ".instances[0].dataDisks[0].size", "at least 1 GiB, found 0")),
        rule(
            "data disk pool empty is the main pool, as Kubitect exports it",
            s -> worker(s, 0, i -> i.withDataDisks(disk("a", "", 8)))),
        rule(
            "data disk pool not blank",
            s -> worker(s, 0, i -> i.withDataDisks(disk("a", "  ", 8))),
            error(WORKER + ".instances[0].dataDisks[0].pool", "is blank")),
        rule(
            "data disk pool exists on the node's host",
            s -> worker(s, 1, i -> i.withDataDisks(disk("a", "fast", 8))),
            error(
                WORKER + ".instances[1].dataDisks[0].pool",
                "'fast' is not a data resource pool of host 'h3', where the node runs; use one"
                    + " of [data-pool] or 'main'")),
        rule(
            "data disk pool on a host without pools",
            s -> worker(s, 1, i -> i.withHost("h1")),
            error(
                WORKER + ".instances[1].dataDisks[0].pool",
                "'data-pool' names a data resource pool, but host 'h1', where the node runs, has"
                    + " none configured")),
        rule(
            "data disk pool on the default host when the node names none",
            s -> worker(s, 1, i -> i.withHost(Optional.empty())),
            error(WORKER + ".instances[1].dataDisks[0].pool", "host 'h1'")),
        rule(
            "label key valid",
            s -> worker(s, 0, i -> i.withLabels(Map.of("Bad Key", "x"))),
            error(WORKER + ".instances[0].labels[\"Bad Key\"]", "not a Kubernetes label key")),
        rule(
            "label key prefix a DNS subdomain",
            s -> worker(s, 0, i -> i.withLabels(Map.of("Example.com/zone", "a"))),
            error(WORKER + ".instances[0].labels[\"Example.com/zone\"]", "DNS subdomain")),
        rule(
            "label value valid",
            s -> worker(s, 0, i -> i.withLabels(Map.of("disk", "not ok!"))),
            error(WORKER + ".instances[0].labels.disk", "'not ok!' is not a Kubernetes label")),
        rule(
            "label value at most 63 characters",
            s -> master(s, 0, i -> i.withLabels(Map.of("disk", "x".repeat(64)))),
            error(MASTER + ".instances[0].labels.disk", "longer than 63")),
        rule(
            "taint has an effect",
            s -> worker(s, 0, i -> i.withTaints("dedicated=gpu")),
            error(WORKER + ".instances[0].taints[0]", "has no ':Effect' part")),
        rule(
            "taint effect known",
            s -> worker(s, 0, i -> i.withTaints("dedicated=gpu:Sometimes")),
            error(WORKER + ".instances[0].taints[0]", "allowed are NoSchedule, PreferNoSchedule")),
        rule(
            "taint key valid",
            s -> worker(s, 0, i -> i.withTaints("ok:NoSchedule", "-bad:NoSchedule")),
            error(WORKER + ".instances[0].taints[1]", "has an invalid key")),
        rule(
            "taint value valid",
            s -> worker(s, 0, i -> i.withTaints("a=b c:NoSchedule")),
            error(WORKER + ".instances[0].taints[0]", "has an invalid value")),
        rule(
            "taint not empty",
            s -> worker(s, 0, i -> i.withTaints("")),
            error(WORKER + ".instances[0].taints[0]", "has no ':Effect' part")),
        rule(
            "taints unique by key and effect",
            s -> worker(s, 0, i -> i.withTaints("a=b:NoSchedule", "a=c:NoSchedule")),
            error(WORKER + ".instances[0].taints[1]", "same key and effect as taints[0]")));
  }

  static Stream<Arguments> kubernetesRules() {
    return Stream.of(
        rule(
            "kubernetes version X.Y.Z, as Kubitect writes it (1.33.4)",
            s -> kubernetes(s, k -> k.withVersion("1.33.4"))),
        rule(
            "kubernetes version vX.Y.Z or X.Y.Z (1.33)",
            s -> kubernetes(s, k -> k.withVersion("1.33")),
            error("kubernetes.version", "is not a version of the form vX.Y.Z or X.Y.Z")),
        rule(
            "kubernetes version vX.Y.Z (v1.33)",
            s -> kubernetes(s, k -> k.withVersion("v1.33")),
            error("kubernetes.version", "'v1.33' is not a version of the form vX.Y.Z")),
        rule(
            "kubernetes version supported by the default kubespray",
            s -> kubernetes(s, k -> k.withVersion("v1.28.6")),
            error(
                "kubernetes.version",
                "'v1.28.6' is not supported by Kubespray v2.29.0 (the default release; pin"
                    + " another with kubernetes.kubespray.version), which installs v1.31.0 -"
                    + " v1.31.13, v1.32.0 - v1.32.9, v1.33.0 - v1.33.5")),
        rule(
            "kubernetes version supported by the pinned kubespray",
            s -> kubernetes(s, k -> k.withKubespray(k.kubespray().withVersion("v2.19.0"))),
            error(
                "kubernetes.version",
                "not supported by Kubespray v2.19.0, which installs" + " v1.21.0 - v1.23.7")),
        rule(
            "kubespray version vX.Y.Z",
            s -> kubernetes(s, k -> k.withKubespray(k.kubespray().withVersion("2.29.0"))),
            error("kubernetes.kubespray.version", "write 'v2.29.0'")),
        rule(
            "kubespray release unknown",
            s -> kubernetes(s, k -> k.withKubespray(k.kubespray().withVersion("v2.99.0"))),
            warning(
                "kubernetes.kubespray.version",
                "'v2.99.0' is not a Kubespray release this" + " SDK knows")),
        rule(
            "kubespray url not empty",
            s -> kubernetes(s, k -> k.withKubespray(k.kubespray().withUrl(""))),
            error("kubernetes.kubespray.url", "is empty")),
        rule(
            "kubespray url without control characters",
            s ->
                kubernetes(
                    s, k -> k.withKubespray(k.kubespray().withUrl("https://git.example/k\ns"))),
            error("kubernetes.kubespray.url", "contains a control character (U+000A)")),
        rule(
            "kubespray url not a git remote helper (ext:: runs a command)",
            s ->
                kubernetes(
                    s, k -> k.withKubespray(k.kubespray().withUrl("ext::sh -c touch% /tmp/pwned"))),
            error("kubernetes.kubespray.url", "remote helper")),
        rule(
            "kubespray url scheme known to git",
            s ->
                kubernetes(
                    s, k -> k.withKubespray(k.kubespray().withUrl("gopher://example/kubespray"))),
            error("kubernetes.kubespray.url", "uses the scheme 'gopher'")),
        rule("manager k3s accepted", s -> kubernetes(s, k -> k.withManager(KubernetesManager.K3S))),
        rule(
            "addons.kubespray ignored under k3s",
            s ->
                addons(
                    kubernetes(s, k -> k.withManager(KubernetesManager.K3S)),
                    Map.of("ingress_nginx_enabled", true)),
            warning("addons.kubespray", "is ignored: kubernetes.manager is 'k3s'")),
        rule(
            "rook version vX.Y.Z",
            s -> rook(s, r -> r.withVersion("latest")),
            error("addons.rook.version", "'latest' is not a version")),
        rule(
            "rook node selector keys valid",
            s -> rook(s, r -> r.withNodeSelector(Map.of("bad key!", "x"))),
            error("addons.rook.nodeSelector[\"bad key!\"]", "is not a label key")),
        rule(
            "rook node selector values valid",
            s -> rook(s, r -> r.withNodeSelector(Map.of("disk", "-ssd"))),
            error("addons.rook.nodeSelector.disk", "is not a label value")),
        rule(
            "rook without any data disk is skipped",
            s ->
                rook(
                    workers(s, w -> w.withInstances(Specs.instance("1", "h2", "10.10.13.20"))),
                    r -> r.withEnabled(true)),
            warning("addons.rook.enabled", "no worker has a data disk")),
        rule(
            "rook without storage nodes is skipped",
            s -> rook(s, r -> r.withEnabled(true).withNodeSelector(Map.of("disk", "hdd"))),
            warning(
                "addons.rook.enabled",
                "no worker that matches addons.rook.nodeSelector has a data disk")));
  }

  static Stream<Arguments> addonRules() {
    return Stream.of(
        rule(
            "kubespray variables may not turn off host-key checking",
            s -> addons(s, Map.of("ansible_ssh_common_args", "-o StrictHostKeyChecking=no")),
            error("addons.kubespray.ansible_ssh_common_args", "is an Ansible connection variable")),
        rule(
            "kubespray variables the specification decides are ignored",
            s -> addons(s, Map.of("kube_version", "v1.30.0")),
            warning("addons.kubespray.kube_version", "decided by kubernetes.version; ignored")),
        rule(
            "kubespray variables decided by the load balancers are ignored",
            s -> addons(s, Map.of("loadbalancer_apiserver", Map.of("address", "10.0.0.1"))),
            warning("addons.kubespray.loadbalancer_apiserver", "cluster.nodes.loadBalancer")),
        rule(
            "kubespray values are not templated",
            s -> addons(s, Map.of("cluster_name", "{{ lookup('pipe', 'id') }}")),
            warning("addons.kubespray.cluster_name", "passed to Kubespray as data")),
        rule(
            "kubespray values in nested lists are not templated either",
            s ->
                addons(
                    s,
                    Map.of(
                        "metallb_config", Map.of("pools", List.of("a", "{% if x %}y{% endif %}")))),
            warning("addons.kubespray.metallb_config.pools[1]", "not templated")),
        rule(
            "kubespray values without control characters",
            s -> addons(s, Map.of("metallb_config", Map.of("ip range", List.of("a\u0000b")))),
            error(
                "addons.kubespray.metallb_config[\"ip range\"][0]",
                "contains a control character (U+0000)")),
        rule(
            "kubespray values at most 64 KiB",
            s -> addons(s, Map.of("big", "x".repeat(65_537))),
            error("addons.kubespray.big", "65537 bytes long")),
        rule(
            "kubespray values nest at most 32 levels",
            s -> addons(s, Map.of("deep", nested(40))),
            error("addons.kubespray.deep", "nests deeper than 32 levels")));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ansible_ssh_args",
        "ansible_ssh_common_args",
        "ansible_ssh_extra_args",
        "ansible_host_key_checking",
        "ansible_ssh_host_key_checking",
        "ansible_paramiko_host_key_checking",
        "ansible_connection",
        "ansible_user",
        "ansible_ssh_user",
        "ansible_host",
        "ansible_port",
        "ansible_password",
        "ansible_ssh_pass",
        "ansible_private_key_file",
        "ansible_ssh_private_key_file",
        "ansible_become",
        "ansible_become_user",
        "ansible_become_password",
        "ansible_python_interpreter",
        "ansible_shell_executable",
        "ansible_ssh_executable",
        "ansible_pipelining"
      })
  void refusesAnsibleConnectionVariablesInAddons(String key) {
    ValidationReport report = SpecValidator.validate(addons(Specs.valid(), Map.of(key, "x")));

    assertThat(report.violations())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.severity()).isEqualTo(Severity.ERROR);
              assertThat(v.path()).isEqualTo("addons.kubespray." + key);
              assertThat(v.message()).doesNotContain("\n").contains("connection variable");
            });
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://github.com/kubernetes-sigs/kubespray",
        "http://git.local/kubespray.git",
        "ssh://git@git.local/kubespray.git",
        "git+ssh://git@git.local/kubespray.git",
        "git://git.local/kubespray",
        "file:///srv/git/kubespray",
        "git@github.com:kubernetes-sigs/kubespray.git",
        "/srv/kubespray",
        "../kubespray"
      })
  void acceptsKubesprayUrlsAndDirectories(String url) {
    ClusterSpec spec = kubernetes(Specs.valid(), k -> k.withKubespray(k.kubespray().withUrl(url)));

    assertThat(SpecValidator.validate(spec).violations()).isEmpty();
  }

  @Test
  void acceptsPathsWithSpacesAndUnicode() {
    ClusterSpec spec = Specs.valid();
    spec = template(spec, t -> t.withSsh(t.ssh().withPrivateKeyPath("~/My Keys/clé")));
    spec = os(spec, o -> o.withSource("/var/images/Ubuntu 22.04 (copy).img"));
    spec = host(spec, 1, h -> h.withMainResourcePoolPath("/srv/libvirt pools/main"));
    spec = hostSsh(spec, 1, ssh -> ssh.withKeyfile("~/.ssh/ключ"));

    assertThat(SpecValidator.validate(spec).violations()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"ens3", "eth0", "enp0s31f6", "eth0.100", "br_lan-2", "a", "wlp2s0-15chars"})
  void acceptsRealInterfaceNames(String name) {
    assertThat(
            SpecValidator.validate(os(Specs.valid(), o -> o.withNetworkInterface(name)))
                .violations())
        .isEmpty();
  }

  @Test
  void acceptsOrdinaryKubesprayVariables() {
    Map<String, Object> vars = new java.util.LinkedHashMap<>();
    vars.put("ingress_nginx_enabled", true);
    vars.put("cluster_name", "cluster.local");
    vars.put("metallb_config", Map.of("pools", List.of("10.0.0.1-10.0.0.9", 3, 1.5)));
    vars.put("containerd_registries_mirrors", List.of(Map.of("prefix", "docker.io")));
    vars.put("multi_line", "line 1\n\tline 2\r\n");
    vars.put("ansible", "not a connection variable");

    assertThat(SpecValidator.validate(addons(Specs.valid(), vars)).violations()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"br0", "br-0", "br_0", "virbr0", "br.lan", "bridge-name-15c", "vmbr0.100"})
  void acceptsRealLinuxBridgeNames(String bridge) {
    ClusterSpec spec = network(Specs.valid(), n -> n.withBridge(bridge));

    assertThat(SpecValidator.validate(spec).violations()).isEmpty();
  }

  @Test
  void acceptsTheSpecialValuesOfOptionalFields() {
    ClusterSpec spec =
        lb(
            lb(
                worker(
                    worker(
                        Specs.valid(),
                        0,
                        i ->
                            i.withDataDisks(disk("a", "main", 1), disk("b", null, 1))
                                .withLabels(Map.of("topology.kubernetes.io/zone", "a", "e", ""))
                                .withTaints(
                                    "dedicated=gpu:NoSchedule",
                                    "gpu:NoExecute",
                                    "dedicated=gpu:NoExecute",
                                    "x=:PreferNoSchedule")),
                    1,
                    i -> i.withMac("52:54:00:12:34:56")),
                0,
                i -> i.withPriority(1)),
            1,
            i -> i.withPriority(254));
    spec = template(spec, t -> t.withDns("::1", "1.1.1.1", "::ffff:10.0.0.1"));
    spec = os(spec, o -> o.withDistro(Distro.ROCKY9).withSource("/var/images/rocky.qcow2"));
    spec = template(spec, t -> t.withCpuMode(CpuMode.HOST_PASSTHROUGH));
    spec =
        lbs(
            spec,
            l -> l.withVirtualRouterId(255).withForwardPorts(port("http", 80).withTargetPort(22)));
    spec =
        kubernetes(
            spec,
            k -> k.withVersion("v1.23.7").withKubespray(k.kubespray().withVersion("v2.19.0")));

    assertThat(SpecValidator.validate(spec).violations()).isEmpty();
  }

  @Test
  void refusesANetworkWithoutRoomForAGatewayAndNodes() {
    ClusterSpec spec = network(Specs.valid(), n -> n.withCidr("10.10.13.10/31"));

    assertThat(SpecValidator.validate(spec).violations())
        .filteredOn(v -> v.path().equals("cluster.network.cidr"))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.severity()).isEqualTo(Severity.ERROR);
              assertThat(v.message()).contains("'10.10.13.10/31' has no room for a gateway");
            });
  }

  @Test
  void acceptsRookWithStorageNodesFromInstanceOrDefaultDisks() {
    ClusterSpec own =
        rook(Specs.valid(), r -> r.withEnabled(true).withNodeSelector(Map.of("disk", "ssd")));
    ClusterSpec fromDefaults =
        rook(
            workers(
                Specs.valid(),
                w ->
                    w.withInstances(Specs.instance("1", "h2", "10.10.13.20"))
                        .withDefaults(defaultDisk("data-pool"))),
            r -> r.withEnabled(true));

    assertThat(SpecValidator.validate(own).violations()).isEmpty();
    assertThat(SpecValidator.validate(fromDefaults).violations()).isEmpty();
  }

  @Test
  void usesTheHostMarkedDefaultForNodesWithoutHost() {
    ClusterSpec spec =
        host(
            worker(Specs.valid(), 1, i -> i.withHost(Optional.empty())),
            2,
            h -> h.withDefaultHost(true));

    assertThat(SpecValidator.validate(spec).violations()).isEmpty();
  }

  @Test
  void acceptsASingleNodeClusterOnOneLocalHost() {
    ClusterSpec spec =
        ClusterSpec.builder()
            .addHosts(localHost("localhost", ConnectionType.LOCALHOST))
            .cluster(
                Cluster.builder()
                    .name("k8s")
                    .network(
                        network(
                                Specs.valid(),
                                n -> n.withMode(NetworkMode.NAT).withBridge(Optional.empty()))
                            .cluster()
                            .network())
                    .nodes(
                        Nodes.builder()
                            .master(
                                NodeGroup.builder()
                                    .addInstances(NodeInstance.builder().id("1").build())
                                    .build())
                            .build())
                    .build())
            .build();

    assertThat(SpecValidator.validate(spec).violations()).isEmpty();
  }

  @Test
  void reportsEveryViolationAtOnce() {
    ClusterSpec spec = Specs.valid();
    spec = Specs.cluster(spec, c -> c.withName("local-x"));
    spec = network(spec, n -> n.withGateway("10.20.0.1"));
    spec = master(spec, 1, i -> i.withIp("192.168.114.13").withCpu(-1));
    spec = kubernetes(spec, k -> k.withVersion("v1.28.6"));
    spec = hostSsh(spec, 1, ssh -> ssh.withVerify(false));

    ValidationReport report = SpecValidator.validate(spec);

    assertThat(report.violations())
        .extracting(Violation::path)
        .containsExactlyInAnyOrder(
            "hosts[1].connection.ssh.verify",
            "cluster.name",
            "cluster.network.gateway",
            MASTER + ".instances[1].ip",
            MASTER + ".instances[1].cpu",
            "kubernetes.version");
    assertThat(report.errors()).hasSize(5);
    assertThat(report.warnings()).hasSize(1);
    assertThat(report.hasErrors()).isTrue();
  }

  @Test
  void reportsAnEmptySpecificationWithoutThrowing() {
    ValidationReport report = SpecValidator.validate(ClusterSpec.builder().build());

    assertThat(report.errors())
        .extracting(Violation::path)
        .containsExactlyInAnyOrder(
            "hosts", "cluster.name", "cluster.network.cidr", MASTER + ".instances");
  }

  @Test
  void throwsOnErrorsWithEveryViolationInTheMessage() {
    ClusterSpec spec =
        hostSsh(
            Specs.cluster(Specs.valid(), c -> c.withName("K8s")), 1, ssh -> ssh.withVerify(false));
    ValidationReport report = SpecValidator.validate(spec);

    assertThatThrownBy(report::throwIfInvalid)
        .isInstanceOf(ValidationException.class)
        .isInstanceOf(io.kubitect.model.KubitectException.class)
        .satisfies(
            e -> {
              ValidationException ve = (ValidationException) e;
              assertThat(ve.violations()).isEqualTo(report.violations());
              assertThat(String.valueOf(ve.getMessage()).lines().toList())
                  .containsExactly(
                      "invalid cluster specification (1 error, 1 warning):",
                      report.violations().get(0).toString(),
                      report.violations().get(1).toString());
            });
    assertThat(report.toString().lines()).hasSize(2);
  }

  @Test
  void doesNotThrowWithWarningsOnly() {
    ValidationReport report =
        SpecValidator.validate(hostSsh(Specs.valid(), 1, ssh -> ssh.withVerify(false)));

    assertThat(report.hasErrors()).isFalse();
    assertThat(report.errors()).isEmpty();
    assertThat(report.warnings()).hasSize(1);
    report.throwIfInvalid();
  }

  @Test
  void formatsViolationsWithSeverityAndPath() {
    assertThat(new Violation(Severity.ERROR, "cluster.network.cidr", "is required"))
        .hasToString("ERROR cluster.network.cidr: is required");
    assertThat(new Violation(Severity.WARNING, "", "whole spec")).hasToString("WARNING whole spec");
  }

  @Test
  void keepsMessagesOnOneLineForValuesWithControlCharacters() {
    ClusterSpec spec =
        Specs.cluster(Specs.valid(), c -> c.withName("evil\nname\u2028" + "x".repeat(200)));

    Violation violation = SpecValidator.validate(spec).violations().get(0);

    assertThat(violation.message())
        .doesNotContain("\n")
        .doesNotContain("\u2028")
        .contains("evil\\nname");
    assertThat(violation.message().length()).isLessThan(400);
  }

  @Test
  void refusesANullSpecificationAsACallerBug() {
    assertThatThrownBy(() -> SpecValidator.validate(nullSpec()))
        .isInstanceOf(NullPointerException.class);
  }

  @SuppressWarnings("NullAway") // deliberately passing null to show the caller-bug contract
  private static ClusterSpec nullSpec() {
    return null;
  }

  // ---------------------------------------------------------------- helpers

  static ClusterSpec clusterName(ClusterSpec s, String name) {
    return Specs.cluster(s, c -> c.withName(name));
  }

  static ClusterSpec addons(ClusterSpec s, Map<String, Object> kubespray) {
    return s.withAddons(s.addons().withKubespray(kubespray));
  }

  /** A map nested {@code depth} levels deep. */
  static Object nested(int depth) {
    Object value = "leaf";
    for (int i = 0; i < depth; i++) {
      value = Map.of("k", value);
    }
    return value;
  }

  static Host localHost(String name, ConnectionType type) {
    return Host.builder().name(name).connection(Connection.builder().type(type).build()).build();
  }

  static ClusterSpec addPool(ClusterSpec s, int host, DataResourcePool pool) {
    return host(s, host, h -> h.withDataResourcePools(append(h.dataResourcePools(), pool)));
  }

  static ClusterSpec singleMaster(ClusterSpec s) {
    return masters(s, g -> g.withInstances(g.instances().get(0)));
  }

  static ClusterSpec ports(ClusterSpec s, ForwardPort... ports) {
    return lbs(s, l -> l.withForwardPorts(Arrays.asList(ports)));
  }

  static ForwardPort port(
      @org.jspecify.annotations.Nullable String name,
      @org.jspecify.annotations.Nullable Integer port) {
    return ForwardPort.builder()
        .name(Optional.ofNullable(name))
        .port(Optional.ofNullable(port))
        .build();
  }

  static DataDisk disk(
      String name,
      @org.jspecify.annotations.Nullable String pool,
      @org.jspecify.annotations.Nullable Integer size) {
    return DataDisk.builder()
        .name(name)
        .pool(Optional.ofNullable(pool))
        .size(Optional.ofNullable(size))
        .build();
  }

  static NodeDefaults defaultDisk(String pool) {
    return NodeDefaults.builder().addDataDisks(disk("cache", pool, 8)).build();
  }

  static <T> List<T> append(List<T> list, T item) {
    List<T> copy = new ArrayList<>(list);
    copy.add(item);
    return copy;
  }
}
