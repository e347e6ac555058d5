package io.kubitect.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Operating-system presets of the node image. Each preset names a cloud image and the interface
 * name that image gives its first NIC. {@code ubuntu}, {@code debian}, {@code centos} and {@code
 * rocky} are the older schema's spellings (Kubitect v2.1 to v3.3) and stand for the preset they
 * meant there ({@link #preset()}): Ubuntu 22.04, Debian 11, CentOS Stream 9 and Rocky Linux 9.
 */
public enum Distro {
  @JsonProperty("ubuntu20")
  UBUNTU20(
      "ubuntu20",
      "https://cloud-images.ubuntu.com/releases/focal/release/ubuntu-20.04-server-cloudimg-amd64.img",
      "ens3"),
  @JsonProperty("ubuntu22")
  UBUNTU22(
      "ubuntu22",
      "https://cloud-images.ubuntu.com/releases/jammy/release/ubuntu-22.04-server-cloudimg-amd64.img",
      "ens3"),
  @JsonProperty("debian11")
  DEBIAN11(
      "debian11",
      "https://cloud.debian.org/images/cloud/bullseye/latest/debian-11-genericcloud-amd64.qcow2",
      "ens3"),
  @JsonProperty("debian12")
  DEBIAN12(
      "debian12",
      "https://cloud.debian.org/images/cloud/bookworm/latest/debian-12-genericcloud-amd64.qcow2",
      "ens3"),
  @JsonProperty("debian13")
  DEBIAN13(
      "debian13",
      "https://cloud.debian.org/images/cloud/trixie/latest/debian-13-genericcloud-amd64.qcow2",
      "ens3"),
  @JsonProperty("centos9")
  CENTOS9(
      "centos9",
      "https://cloud.centos.org/centos/9-stream/x86_64/images/CentOS-Stream-GenericCloud-9-latest.x86_64.qcow2",
      "eth0"),
  @JsonProperty("rocky9")
  ROCKY9(
      "rocky9",
      "https://dl.rockylinux.org/pub/rocky/9/images/x86_64/Rocky-9-GenericCloud-Base.latest.x86_64.qcow2",
      "eth0"),
  /** Older schema (v2.1 to v3.3): the latest Ubuntu 22.04 image ({@link #UBUNTU22}). */
  @JsonProperty("ubuntu")
  UBUNTU("ubuntu", "", ""),
  /** Older schema (v2.1 to v3.3): the latest Debian 11 image ({@link #DEBIAN11}), not Debian 12. */
  @JsonProperty("debian")
  DEBIAN("debian", "", ""),
  /** Older schema (v3.0 to v3.3): CentOS Stream 9 ({@link #CENTOS9}). */
  @JsonProperty("centos")
  CENTOS("centos", "", ""),
  /** Older schema (v3.0 to v3.3): Rocky Linux 9 ({@link #ROCKY9}). */
  @JsonProperty("rocky")
  ROCKY("rocky", "", "");

  private final String yaml;
  private final String source;
  private final String networkInterface;

  Distro(String yaml, String source, String networkInterface) {
    this.yaml = yaml;
    this.source = source;
    this.networkInterface = networkInterface;
  }

  /** The preset this value stands for: itself, or the preset an older spelling meant. */
  public Distro preset() {
    return switch (this) {
      case UBUNTU -> UBUNTU22;
      case DEBIAN -> DEBIAN11;
      case CENTOS -> CENTOS9;
      case ROCKY -> ROCKY9;
      default -> this;
    };
  }

  /** Whether this is an older schema's spelling that {@link #preset()} maps to a current one. */
  public boolean isLegacyAlias() {
    return preset() != this;
  }

  /** URL of the preset's cloud image. */
  public String source() {
    return preset().source;
  }

  /** Name the preset's image gives its first network interface. */
  public String networkInterface() {
    return preset().networkInterface;
  }

  /** The value as written in Kubitect YAML. */
  @Override
  public String toString() {
    return yaml;
  }
}
