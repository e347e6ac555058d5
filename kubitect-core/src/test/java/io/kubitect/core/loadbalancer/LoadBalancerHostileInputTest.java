package io.kubitect.core.loadbalancer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubitect.core.testing.Environment;
import io.kubitect.core.testing.Local;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Values that would change the syntax of haproxy.cfg or keepalived.conf are refused by the
 * renderers themselves, for callers that skip validation; the real {@code haproxy -c} and {@code
 * keepalived -t} show why (a newline injects a section that haproxy accepts; a quote, '#', '!' or a
 * brace breaks keepalived.conf) and that the strictest names allowed still pass.
 */
class LoadBalancerHostileInputTest {
  @TempDir Path dir;

  static final LoadBalancerTuning TUNING = LoadBalancerTuning.defaults();

  /** Quote, newline, braces, comment characters, blanks, control characters, an empty value. */
  static final List<String> HOSTILE =
      List.of(
          "a\"b",
          "a\nlisten evil",
          "a{b",
          "a}b",
          "a#b",
          "a!b",
          "a b",
          "a\tb",
          "a\u0000b",
          "a'b",
          "a;b",
          "");

  static LoadBalancerLayout ha() {
    return LabSpecs.layout(LoadBalancerConfigsTest.haCluster());
  }

  /** The value as the renderers name it in their message (control characters escaped). */
  static String named(String value) {
    return "'" + value.replace("\n", "\\n").replace("\t", "\\t").replace("\u0000", "\\u0000") + "'";
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ens3\"",
        "ens3\n  nopreempt",
        "ens{",
        "ens}",
        "ens3#x",
        "ens3!x",
        "ens 3",
        "ens3'",
        "",
        "-ens3",
        "..",
        "eth0:1",
        "eth0/1",
        "a23456789012345x",
        "ens3\u0000"
      })
  void keepalivedRefusesAnInterfaceThatWouldBreakItsSyntax(String networkInterface) {
    LoadBalancerLayout layout = ha();

    assertThatThrownBy(
            () ->
                KeepalivedConfig.render(
                    layout, layout.loadBalancers().get(0), networkInterface, TUNING))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("keepalived.conf")
        .hasMessageContaining("network interface " + named(networkInterface))
        .hasMessageContaining("[A-Za-z0-9_.-]")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  /** A field of the layout, how to put a value there, and which files carry it. */
  record Field(
      String name, UnaryOperator<LoadBalancerLayout> hostile, boolean haproxy, boolean keepalived) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> hostileFields() {
    List<Arguments> cases = new ArrayList<>();
    for (String value : HOSTILE) {
      for (Field field : fields(value)) {
        cases.add(Arguments.of(field, value));
      }
    }
    return cases.stream();
  }

  static List<Field> fields(String value) {
    return List.of(
        new Field("cluster", l -> withCluster(l, value), true, true),
        new Field("load balancer name", l -> withPeer(l, 0, value, null), false, true),
        new Field("peer address", l -> withPeer(l, 1, null, value), false, true),
        new Field("virtual IP", l -> withVip(l, value), false, true),
        new Field("forwarded port name", l -> withBackend(l, 1, value, null, null), true, false),
        new Field("server name", l -> withBackend(l, 0, null, value, null), true, false),
        new Field("server address", l -> withBackend(l, 2, null, null, value), true, false));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("hostileFields")
  void renderersRefuseValuesThatWouldChangeTheSyntax(Field field, String value) {
    LoadBalancerLayout layout = field.hostile().apply(ha());

    if (field.haproxy()) {
      assertThatThrownBy(() -> HaproxyConfig.render(layout, TUNING))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("haproxy.cfg: ")
          .hasMessageContaining(named(value))
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
    if (field.keepalived()) {
      assertThatThrownBy(
              () -> KeepalivedConfig.render(layout, layout.loadBalancers().get(0), "ens3", TUNING))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("keepalived.conf: ")
          .hasMessageContaining(named(value));
    }
  }

  @Test
  void aNewlineWouldInjectASectionThatHaproxyItselfAccepts() throws IOException {
    Environment.requireCommands("haproxy");
    String injection = "k8s\nlisten evil\n  bind *:2222\n  mode tcp\n  server x 192.0.2.1:22\n#";
    Path file = dir.resolve("injected.cfg");
    Files.writeString(
        file,
        LoadBalancerConfigsTest.resource("haproxy.cfg")
            .replace("for cluster k8s:", "for cluster " + injection + ":"));

    Local.Result check = Local.exec("haproxy", "-c", "-f", file.toString());

    // The node's own check would pass the injected section: only the renderer can stop it.
    assertThat(check.exitCode()).as(check.output()).isZero();
    assertThatThrownBy(() -> HaproxyConfig.render(withCluster(ha(), injection), TUNING))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cluster name");
  }

  @ParameterizedTest
  @ValueSource(strings = {"e\"x", "e#x", "e{x", "e}x", "e!x"})
  void keepalivedRejectsAQuoteBraceOrCommentInTheInterface(String networkInterface)
      throws IOException {
    Environment.requireCommands("keepalived");
    Environment.requireRoot();
    // Linux accepts these names, so the interface exists: keepalived's parser is what breaks.
    String naive = LoadBalancerConfigsTest.resource("keepalived-lb-1.conf");
    naive = naive.replace("ens3", networkInterface);

    Local.Result check =
        LoadBalancerConfigsTest.keepalivedCheck(
            dir,
            "naive.conf",
            naive,
            LoadBalancerConfigsTest.resource("kubitect-check-haproxy.sh"));

    assertThat(check.exitCode()).as(check.output()).isNotZero();
    LoadBalancerLayout layout = ha();
    assertThatThrownBy(
            () ->
                KeepalivedConfig.render(
                    layout, layout.loadBalancers().get(0), networkInterface, TUNING))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a-b_c.d", "eth0.100", "x23456789012345", "_x", "E9"})
  void theStrictestAllowedInterfaceNamesPassTheRealKeepalived(String networkInterface)
      throws IOException {
    Environment.requireCommands("keepalived");
    Environment.requireRoot();
    LoadBalancerLayout layout = ha();

    LoadBalancerConfigsTest.assertKeepalivedAccepts(
        dir,
        "keepalived.conf",
        KeepalivedConfig.render(layout, layout.loadBalancers().get(0), networkInterface, TUNING),
        KeepalivedConfig.checkScript(TUNING));
  }

  @Test
  void theStrictestAllowedNamesPassTheRealHaproxy() throws IOException {
    Environment.requireCommands("haproxy");
    LoadBalancerLayout layout =
        withBackend(withCluster(ha(), "a-b.c_d"), 1, "A_b-9.x", "node_1.a-b", "10.10.13.20");
    Path file = dir.resolve("haproxy.cfg");
    Files.writeString(file, HaproxyConfig.render(layout, TUNING));

    Local.Result check = Local.exec("haproxy", "-c", "-f", file.toString());

    assertThat(check.exitCode()).as(check.output()).isZero();
  }

  // ---------------------------------------------------------------- layout changes

  static LoadBalancerLayout withCluster(LoadBalancerLayout l, String cluster) {
    return new LoadBalancerLayout(
        cluster, l.vip(), l.virtualRouterId(), l.loadBalancers(), l.backends());
  }

  static LoadBalancerLayout withVip(LoadBalancerLayout l, String vip) {
    return new LoadBalancerLayout(
        l.cluster(), Optional.of(vip), l.virtualRouterId(), l.loadBalancers(), l.backends());
  }

  static LoadBalancerLayout withPeer(
      LoadBalancerLayout l,
      int index,
      @org.jspecify.annotations.Nullable String name,
      @org.jspecify.annotations.Nullable String ip) {
    List<LoadBalancerLayout.Peer> peers = new ArrayList<>(l.loadBalancers());
    LoadBalancerLayout.Peer p = peers.get(index);
    peers.set(
        index,
        new LoadBalancerLayout.Peer(
            name == null ? p.name() : name, p.host(), ip == null ? p.ip() : ip, p.priority()));
    return new LoadBalancerLayout(l.cluster(), l.vip(), l.virtualRouterId(), peers, l.backends());
  }

  static LoadBalancerLayout withBackend(
      LoadBalancerLayout l,
      int index,
      @org.jspecify.annotations.Nullable String name,
      @org.jspecify.annotations.Nullable String serverName,
      @org.jspecify.annotations.Nullable String serverIp) {
    List<LoadBalancerLayout.Backend> backends = new ArrayList<>(l.backends());
    LoadBalancerLayout.Backend b = backends.get(index);
    List<LoadBalancerLayout.Server> servers = new ArrayList<>(b.servers());
    LoadBalancerLayout.Server s = servers.get(0);
    servers.set(
        0,
        new LoadBalancerLayout.Server(
            serverName == null ? s.name() : serverName,
            serverIp == null ? s.ip() : serverIp,
            s.port()));
    backends.set(
        index,
        new LoadBalancerLayout.Backend(
            name == null ? b.name() : name, b.port(), b.apiServer(), servers));
    return new LoadBalancerLayout(
        l.cluster(), l.vip(), l.virtualRouterId(), l.loadBalancers(), backends);
  }
}
