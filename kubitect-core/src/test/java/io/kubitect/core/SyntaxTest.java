package io.kubitect.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SyntaxTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2001:db8::8888",
        "::1",
        "::",
        "1:2:3:4:5:6:7:8",
        "fe80::1:2:3:4:5:6",
        "::ffff:10.0.0.1",
        "1:2:3:4:5:6:1.2.3.4",
        "2001:DB8:0:0:8:800:200C:417A"
      })
  void acceptsIpv6Literals(String text) {
    assertThat(Syntax.isIpv6(text)).isTrue();
    assertThat(Syntax.isIp(text)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        ":",
        ":::",
        "1::2::3",
        "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7",
        "12345::",
        "g::1",
        ":1",
        "1:",
        "::1.2.3",
        "fe80::1%eth0",
        "1:2:3:4:5:6:7::8"
      })
  void refusesMalformedIpv6(String text) {
    assertThat(Syntax.isIpv6(text)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"192.168.113.266", "1.2.3", "01.2.3.4", "a.b.c.d", " 1.2.3.4", ""})
  void refusesMalformedIpv4(String text) {
    assertThat(Syntax.ipv4(text)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"52:54:00:12:34:56", "AA-BB-CC-DD-EE-FF", "aa:BB:cc:DD:ee:FF"})
  void acceptsMacAddresses(String text) {
    assertThat(Syntax.mac(text)).isPresent();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "AA:BB::FF",
        "aa:bb:cc:dd:ee",
        "aa:bb-cc:dd:ee:ff",
        "aabb.ccdd.eeff",
        "gg:00:00:00:00:00"
      })
  void refusesMalformedMacAddresses(String text) {
    assertThat(Syntax.mac(text)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"disk", "node.kubernetes.io/role", "example.com/a_b.c-d", "a", "A1"})
  void acceptsLabelKeys(String key) {
    assertThat(Syntax.labelKeyProblem(key)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "/a", "a/", "-a", "a-", "a b", "Ex.com/a", "a/b/c", "é"})
  void refusesMalformedLabelKeys(String key) {
    assertThat(Syntax.labelKeyProblem(key)).isPresent();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "key=value:NoSchedule",
        "key:NoExecute",
        "key=:PreferNoSchedule",
        "example.com/key=v.1:NoSchedule"
      })
  void acceptsTaints(String taint) {
    assertThat(Syntax.taintProblem(taint)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "key=value",
        "key=value:noschedule",
        ":NoSchedule",
        "=v:NoSchedule",
        "k=v=w:NoSchedule"
      })
  void refusesMalformedTaints(String taint) {
    assertThat(Syntax.taintProblem(taint)).isPresent();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "br0",
        "br-0",
        "br_0",
        "br.lan",
        "a",
        "123456789012345",
        "ens3",
        "eth0.100",
        "_x",
        "enp0s31f6"
      })
  void acceptsLinuxInterfaceNames(String name) {
    assertThat(Syntax.interfaceNameProblem(name)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        ".",
        "..",
        "1234567890123456",
        "br/0",
        "br:0",
        "br 0",
        "br\t0",
        "ääääääää",
        "ens3\"",
        "ens3'",
        "ens3\n",
        "ens{",
        "ens}",
        "ens3#",
        "ens3!",
        "eth0@if5",
        "-ens3",
        ".ens3",
        "ens3\u0000"
      })
  void refusesInvalidLinuxInterfaceNames(String name) {
    assertThat(Syntax.interfaceNameProblem(name)).isPresent();
  }

  @ParameterizedTest
  @ValueSource(strings = {"_-UsEr-_", "k8s", "a"})
  void acceptsUserNames(String user) {
    assertThat(Syntax.USER.matcher(user).matches()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {".", " ", "", "a.b", "abcdefghijabcdefghijabcdefghijabc"})
  void refusesInvalidUserNames(String user) {
    assertThat(Syntax.USER.matcher(user).matches()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/a/b", "~/.ssh/id_ed25519", "https://x/y", "ä b", "a\u2028b"})
  void acceptsPaths(String path) {
    assertThat(Syntax.pathProblem(path)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/a\u0000", "/a\n", "\t", "/\u007f", "/\u0085", "/\u001b[0m"})
  void refusesPathsWithControlCharacters(String path) {
    assertThat(Syntax.pathProblem(path)).get().asString().contains("control character (U+");
  }

  @ParameterizedTest
  @ValueSource(ints = {4096, 4097})
  void boundsPathsAt4096Bytes(int bytes) {
    String path = "/" + "p".repeat(bytes - 1);

    assertThat(Syntax.pathProblem(path).isPresent()).isEqualTo(bytes > 4096);
  }
}
