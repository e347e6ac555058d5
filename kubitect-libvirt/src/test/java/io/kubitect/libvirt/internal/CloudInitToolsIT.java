package io.kubitect.libvirt.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubitect.core.spi.ClusterCredentials;
import io.kubitect.core.spi.Topology;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cloud-init files and the seed ISO, read back by the real tools: cloud-init's own schema
 * validator and network renderer, isoinfo, xorriso and blkid.
 */
class CloudInitToolsIT {
  @TempDir Path dir;

  private final Topology nat = Fixtures.topology("nat.yaml");
  private final List<VmPlan> vms = Layout.of(nat, Fixtures.HOME).get(0).vms();
  private final VmPlan master = vms.get(0);
  private final VmPlan worker = vms.get(1);
  private ClusterCredentials credentials = Fixtures.fixedCredentials(nat);

  @BeforeEach
  void realKeys() {
    credentials = Fixtures.generatedCredentials(nat, dir);
  }

  @Test
  void userDataPassesCloudInitSchema() throws IOException {
    Tools.requireTool("cloud-init");
    for (VmPlan vm : vms) {
      CloudInit files = cloudInit(vm);
      Path userData = write(vm.name() + "-user-data", files.userData());
      String out = Tools.ok(List.of("cloud-init", "schema", "--config-file", userData.toString()));
      assertThat(out).contains("Valid cloud-config");
    }
  }

  @Test
  void staticAddressLandsOnTheNicWithTheRightMac() throws IOException {
    Tools.requireTool("cloud-init");
    Path config = write("network-config", cloudInit(master).networkConfig());

    String networkd = render(config, "debian", "networkd");
    assertThat(networkd)
        .contains("MACAddress=" + master.mac())
        .contains("Address=10.20.0.10/24")
        .contains("Gateway=10.20.0.1")
        .contains("DNS=10.20.0.1");

    String netplan = render(config, "ubuntu", "netplan");
    assertThat(netplan)
        .contains("macaddress: " + master.mac())
        .contains("set-name: ens3")
        .contains("10.20.0.10/24")
        .contains("gateway4: 10.20.0.1");

    String eni = render(config, "debian", "eni");
    assertThat(eni).contains("iface ens3 inet static").contains("address 10.20.0.10/24");
  }

  @Test
  void nodeWithoutIpUsesDhcpOnTheMatchedNic() throws IOException {
    Tools.requireTool("cloud-init");
    Path config = write("network-config", cloudInit(worker).networkConfig());
    String networkd = render(config, "debian", "networkd");
    assertThat(networkd).contains("MACAddress=" + worker.mac()).contains("DHCP=ipv4");
    assertThat(networkd).doesNotContain("Address=10.");
  }

  @Test
  void seedIsoIsReadBackByIsoinfoXorrisoAndBlkid() throws IOException {
    Tools.requireTool("isoinfo");
    Tools.requireTool("xorriso");
    CloudInit files = cloudInit(master);
    Map<String, byte[]> content = new LinkedHashMap<>();
    content.put("user-data", files.userData().getBytes(StandardCharsets.UTF_8));
    content.put("meta-data", files.metaData().getBytes(StandardCharsets.UTF_8));
    content.put("network-config", files.networkConfig().getBytes(StandardCharsets.UTF_8));
    Path iso = dir.resolve("seed.iso");
    Files.write(iso, NoCloudIso.build(content));

    String info = Tools.ok(List.of("isoinfo", "-d", "-i", iso.toString()));
    assertThat(info).contains("Volume id: cidata").contains("Joliet with UCS level 3 found");
    String listing = Tools.ok(List.of("isoinfo", "-J", "-l", "-i", iso.toString()));
    assertThat(listing).contains("user-data").contains("meta-data").contains("network-config");
    for (Map.Entry<String, byte[]> file : content.entrySet()) {
      String extracted =
          Tools.ok(List.of("isoinfo", "-J", "-i", iso.toString(), "-x", "/" + file.getKey()));
      assertThat(extracted).isEqualTo(new String(file.getValue(), StandardCharsets.UTF_8));
    }

    Path out = dir.resolve("extracted");
    Tools.ok(
        List.of(
            "xorriso",
            "-osirrox",
            "on",
            "-indev",
            iso.toString(),
            "-extract",
            "/",
            out.toString()));
    for (Map.Entry<String, byte[]> file : content.entrySet()) {
      assertThat(out.resolve(file.getKey())).hasBinaryContent(file.getValue());
    }

    if (Tools.find("blkid") != null) {
      String label =
          Tools.ok(List.of("blkid", "-p", "-o", "value", "-s", "LABEL", iso.toString())).strip();
      assertThat(label).isEqualTo("cidata");
    }
  }

  private CloudInit cloudInit(VmPlan vm) {
    return CloudInit.of(vm, credentials.publicKey(), credentials.hostKey(vm.name()).orElseThrow());
  }

  private String render(Path config, String distro, String kind) throws IOException {
    Path out = Files.createTempDirectory(dir, kind);
    Tools.ok(
        List.of(
            "cloud-init",
            "devel",
            "net-convert",
            "-p",
            config.toString(),
            "-k",
            "yaml",
            "-d",
            out.toString(),
            "-D",
            distro,
            "-O",
            kind));
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.walk(out)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        all.append("# ").append(out.relativize(file)).append('\n');
        all.append(Files.readString(file)).append('\n');
      }
    }
    return all.toString();
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }
}
