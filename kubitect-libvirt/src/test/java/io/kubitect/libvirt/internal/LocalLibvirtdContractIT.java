package io.kubitect.libvirt.internal;

import io.kubitect.core.spi.NodeReadinessProbe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;

/**
 * The contract on the machine's real libvirtd ({@code qemu:///system}, QEMU without KVM): real
 * pools and volumes on disk, a NAT network with dnsmasq, domains started under TCG from a tiny
 * empty image. Readiness is checked by a probe that only sees the wiring (nothing boots an OS).
 */
class LocalLibvirtdContractIT extends ProvisionerContract {
  @BeforeAll
  static void libvirtd() {
    Libvirtd.require();
  }

  @Override
  String cluster() {
    return "ct-local";
  }

  @Override
  String subnet() {
    return "10.231.0";
  }

  @Override
  String hostYaml() {
    return "    connection:\n      type: local\n";
  }

  @Override
  String imageSource() {
    try {
      return Libvirtd.tinyImage(tmp.resolve("image")).toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  boolean simulated() {
    return false;
  }

  @Override
  Settings settings() {
    NodeReadinessProbe wiring = (node, ip, credentials) -> NodeReadinessProbe.Readiness.isReady();
    return new Settings(
        Map.of(),
        false,
        Optional.empty(),
        tmp.resolve("known_hosts"),
        4,
        8,
        Optional.of(wiring),
        Duration.ofSeconds(30),
        Duration.ofMillis(200),
        Optional.of("qemu"),
        tmp.resolve("cache"),
        Duration.ZERO,
        tmp);
  }
}
