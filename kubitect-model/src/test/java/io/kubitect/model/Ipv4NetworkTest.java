package io.kubitect.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Ipv4NetworkTest {

  @ParameterizedTest
  @CsvSource({
    "192.168.113.0/24, 192.168.113.0, 24",
    "10.10.0.0/20, 10.10.0.0, 20",
    "192.168.112.0/20, 192.168.112.0, 20",
    "10.0.0.0/8, 10.0.0.0, 8",
    "0.0.0.0/0, 0.0.0.0, 0",
    "255.255.255.255/32, 255.255.255.255, 32",
    "10.10.13.7/32, 10.10.13.7, 32"
  })
  void parsesNetworks(String cidr, String address, int prefix) {
    assertThat(Ipv4Network.parse(cidr))
        .hasValueSatisfying(
            n -> {
              assertThat(Ipv4Network.format(n.address())).isEqualTo(address);
              assertThat(n.prefix()).isEqualTo(prefix);
              assertThat(n).hasToString(cidr);
            });
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "192.168.113.0", // no prefix (reference oracle: invalid)
        "192.168.113.0/33", // prefix too long (reference oracle: invalid)
        "192.168.113.0/",
        "192.168.113.0/-1",
        "192.168.113.0/024",
        "192.168.113.0/ 24",
        "/24",
        "192.168.113.266/24",
        "192.168.113/24",
        "192.168.113.0.0/24",
        "192.168.013.0/24",
        " 192.168.113.0/24",
        "2001:db8::/32", // IPv6 (reference oracle: invalid)
        "::ffff:192.168.113.0/120",
        "a.b.c.d/24",
        ""
      })
  void rejectsWhatIsNotAnIpv4Network(String cidr) {
    assertThat(Ipv4Network.parse(cidr)).isEmpty();
  }

  @Test
  void rejectsHostBitsUnlikeKubitect() {
    // Kubitect accepts 192.168.113.0/20 (Go's net.ParseCIDR masks it to 192.168.112.0/20, and
    // Terraform and libvirt then use 192.168.112.0/20). parse is strict; parseNetworkOf reads it
    // as Kubitect does, and the validator warns.
    assertThat(Ipv4Network.parse("192.168.113.0/20")).isEmpty();
    assertThat(Ipv4Network.parse("192.168.112.0/20")).isPresent();
  }

  @ParameterizedTest
  @CsvSource({
    "192.168.113.13/24, 192.168.113.0/24", // in Kubitect's own tests
    "192.168.113.0/20, 192.168.112.0/20",
    "10.10.13.7/32, 10.10.13.7/32",
    "10.10.13.7/0, 0.0.0.0/0",
    "192.168.113.0/24, 192.168.113.0/24"
  })
  void networkOfClearsHostBitsAsKubitectDoes(String cidr, String network) {
    assertThat(Ipv4Network.parseNetworkOf(cidr)).map(Ipv4Network::toString).contains(network);
  }

  @ParameterizedTest
  @ValueSource(strings = {"192.168.113.13", "192.168.113.13/33", "192.168.113.266/24", "/24", ""})
  void networkOfRejectsWhatIsNotACidr(String cidr) {
    assertThat(Ipv4Network.parseNetworkOf(cidr)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.0.0.0", "10.10.0.1", "192.168.113.255", "255.255.255.255"})
  void parsesAndFormatsAddresses(String address) {
    assertThat(Ipv4Network.parseAddress(address).map(Ipv4Network::format)).contains(address);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "192.168.113.266", // reference oracle: invalid
        "2001:db8::8888", // IPv6: not an IPv4 address
        "256.0.0.1",
        "1.2.3",
        "1.2.3.4.5",
        "01.2.3.4",
        "1.2.3.-4",
        "1..3.4",
        "1.2.3.4 ",
        "one.two.three.four",
        ""
      })
  void rejectsWhatIsNotAnIpv4Address(String address) {
    assertThat(Ipv4Network.parseAddress(address)).isEmpty();
  }

  @Test
  void firstHostIsTerraformsCidrhostOne() {
    Ipv4Network network = Ipv4Network.parse("10.10.0.0/20").orElseThrow();

    assertThat(Ipv4Network.format(network.host(1))).isEqualTo("10.10.0.1");
    assertThat(Ipv4Network.format(network.broadcast())).isEqualTo("10.10.15.255");
    assertThat(Ipv4Network.format(network.mask())).isEqualTo("255.255.240.0");
  }

  @Test
  void containsExactlyTheAddressesOfTheNetwork() {
    Ipv4Network network = Ipv4Network.parse("192.168.113.0/24").orElseThrow();

    assertThat(network.contains(address("192.168.113.0"))).isTrue();
    assertThat(network.contains(address("192.168.113.13"))).isTrue();
    assertThat(network.contains(address("192.168.113.255"))).isTrue();
    assertThat(network.contains(address("192.168.114.13"))).isFalse();
    assertThat(network.contains(address("192.168.112.255"))).isFalse();
    assertThat(network.contains(address("10.0.0.1"))).isFalse();
  }

  @Test
  void prefixZeroAndThirtyTwoAreEdgeCases() {
    Ipv4Network all = Ipv4Network.parse("0.0.0.0/0").orElseThrow();
    Ipv4Network one = Ipv4Network.parse("10.1.2.3/32").orElseThrow();

    assertThat(all.mask()).isZero();
    assertThat(all.contains(address("255.255.255.255"))).isTrue();
    assertThat(all.contains(address("0.0.0.0"))).isTrue();
    assertThat(one.mask()).isEqualTo(-1);
    assertThat(one.contains(address("10.1.2.3"))).isTrue();
    assertThat(one.contains(address("10.1.2.4"))).isFalse();
    assertThat(Ipv4Network.format(one.broadcast())).isEqualTo("10.1.2.3");
  }

  @Test
  void highAddressesKeepTheirUnsignedMeaning() {
    Ipv4Network network = Ipv4Network.parse("224.0.0.0/4").orElseThrow();

    assertThat(network.contains(address("239.255.255.250"))).isTrue();
    assertThat(network.contains(address("127.0.0.1"))).isFalse();
    assertThat(Ipv4Network.format(network.broadcast())).isEqualTo("239.255.255.255");
  }

  private static int address(String text) {
    return Ipv4Network.parseAddress(text).orElseThrow();
  }
}
