package io.kubitect.libvirt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NoCloudIsoTest {
  private static final Map<String, byte[]> FILES =
      Map.of(
          "user-data", "#cloud-config\n".getBytes(StandardCharsets.UTF_8),
          "meta-data", "instance-id: x\n".getBytes(StandardCharsets.UTF_8),
          "network-config", new byte[5000]);

  @Test
  void hasPrimaryJolietAndTerminatorDescriptors() {
    byte[] iso = NoCloudIso.build(FILES);
    assertThat(iso.length % 2048).isZero();
    assertThat(ascii(iso, 16 * 2048, 6)).isEqualTo("\u0001CD001");
    assertThat(ascii(iso, 17 * 2048, 6)).isEqualTo("\u0002CD001");
    assertThat(ascii(iso, 18 * 2048, 6)).isEqualTo("\u00ffCD001");
    assertThat(ascii(iso, 16 * 2048 + 40, 32).strip()).isEqualTo("cidata");
    // 25 metadata sectors, then one sector each for the small files and three for 5000 bytes
    assertThat(iso.length / 2048).isEqualTo(25 + 1 + 3 + 1);
  }

  @Test
  void isDeterministic() {
    assertThat(NoCloudIso.build(FILES)).isEqualTo(NoCloudIso.build(FILES));
  }

  @Test
  void isoNamesAreLevelOne() {
    assertThat(NoCloudIso.isoName("user-data")).isEqualTo("USER_DAT.;1");
    assertThat(NoCloudIso.isoName("network-config")).isEqualTo("NETWORK_.;1");
    assertThat(NoCloudIso.isoName("a.b.txt")).isEqualTo("A_B.TXT;1");
  }

  @Test
  void refusesClashingIsoNames() {
    assertThatThrownBy(
            () -> NoCloudIso.build(Map.of("user-data-1", new byte[1], "user-data-2", new byte[1])))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("USER_DAT");
  }

  private static String ascii(byte[] bytes, int at, int length) {
    return new String(Arrays.copyOfRange(bytes, at, at + length), StandardCharsets.ISO_8859_1);
  }
}
