package io.kubitect.libvirt.internal;

import io.kubitect.core.spi.SshKeyPair;

/**
 * The three NoCloud files of a node (reference §3.5, with this SDK's changes):
 *
 * <ul>
 *   <li>user-data: hostname, the node user with password-less sudo, a locked password and the
 *       cluster's public key; the SDK-generated SSH host key replaces every key the image has
 *       ({@code ssh_deletekeys}; with keys given, cloud-init generates none), so the first
 *       connection is verified; with {@code updateOnBoot} (Kubitect's default) the package index is
 *       refreshed, packages upgraded and the QEMU guest agent installed; without it nothing is
 *       fetched (the agent is still installed where it is the only source of the node's address:
 *       bridged and DHCP); the agent, if present, is held back until networking is configured.
 *   <li>meta-data: a stable instance-id ({@code iid-<node>}) and the local hostname.
 *   <li>network-config v2: the NIC matched by MAC address and renamed ({@code set-name}) to the
 *       preset's name, never trusted by name (QEMU's {@code pc} machine names it {@code enp0s2});
 *       static address, gateway and DNS when the node has an IP, DHCP otherwise.
 * </ul>
 */
record CloudInit(String userData, String metaData, String networkConfig) {

  /** The files of one node; {@code hostKey} is the SDK's host key for it. */
  static CloudInit of(VmPlan vm, String clusterPublicKey, SshKeyPair hostKey) {
    return new CloudInit(userData(vm, clusterPublicKey, hostKey), metaData(vm), networkConfig(vm));
  }

  static String userData(VmPlan vm, String clusterPublicKey, SshKeyPair hostKey) {
    String keyType = hostKeyType(hostKey.publicKey());
    StringBuilder y = new StringBuilder();
    y.append("#cloud-config\n");
    y.append("hostname: ").append(Yaml.quote(vm.name())).append('\n');
    y.append("preserve_hostname: false\n");
    y.append("users:\n");
    y.append("  - name: ").append(Yaml.quote(vm.user())).append('\n');
    y.append("    sudo: \"ALL=(ALL) NOPASSWD:ALL\"\n");
    y.append("    shell: /bin/bash\n");
    y.append("    lock_passwd: true\n");
    y.append("    ssh_authorized_keys:\n");
    y.append("      - ").append(Yaml.quote(clusterPublicKey.strip())).append('\n');
    y.append("disable_root: true\n");
    y.append("ssh_pwauth: false\n");
    y.append("ssh_deletekeys: true\n");
    y.append("ssh_genkeytypes: [").append(keyType).append("]\n");
    y.append("ssh_keys:\n");
    y.append("  ").append(keyType).append("_private: ");
    y.append(Yaml.block(hostKey.privateKey(), 4));
    y.append("  ").append(keyType).append("_public: ");
    y.append(Yaml.quote(hostKey.publicKey().strip())).append('\n');
    boolean agentNeeded = vm.bridged() && vm.staticIp().isEmpty();
    if (vm.updateOnBoot() || agentNeeded) {
      // Kubitect's form. cloud-init refreshes the package index before installing anything, so
      // a node that needs the agent (the only source of a bridged DHCP node's address) does too.
      y.append("package_update: true\n");
      y.append("package_upgrade: ").append(vm.updateOnBoot()).append('\n');
      y.append("packages:\n");
      y.append("  - qemu-guest-agent\n");
    } else {
      // Nothing from the network: an offline node with its package sources in place must not
      // wait on apt (minutes of DNS timeouts). The agent runs if the image has it.
      y.append("package_update: false\n");
      y.append("package_upgrade: false\n");
    }
    y.append("bootcmd:\n");
    // Quiet when the image has no agent: a failing bootcmd would mark cloud-init as failed.
    y.append(
        "  - [cloud-init-per, once, disable-qemu-ga, sh, -c,"
            + " \"systemctl stop qemu-guest-agent.service 2>/dev/null || true\"]\n");
    // Enabled only where the unit can be and is not (systemctl enable reloads systemd: 18 s of an
    // emulated boot), started without waiting for it.
    y.append("runcmd:\n");
    y.append("  - [sh, -c, \"")
        .append(
            "if systemctl cat qemu-guest-agent.service >/dev/null 2>&1; then"
                + " if [ \\\"$(systemctl is-enabled qemu-guest-agent.service)\\\" = disabled ];"
                + " then systemctl enable qemu-guest-agent.service; fi;"
                + " systemctl start --no-block qemu-guest-agent.service; fi")
        .append("\"]\n");
    return y.toString();
  }

  static String metaData(VmPlan vm) {
    return "instance-id: "
        + Yaml.quote("iid-" + vm.name())
        + "\nlocal-hostname: "
        + Yaml.quote(vm.name())
        + "\n";
  }

  static String networkConfig(VmPlan vm) {
    String nic = vm.interfaceName();
    StringBuilder y = new StringBuilder();
    y.append("version: 2\n");
    y.append("ethernets:\n");
    y.append("  ").append(Yaml.quote(nic)).append(":\n");
    // The network is IPv4: waiting for IPv6 router advertisements that never come held
    // systemd-networkd-wait-online, and so SSH, for 12 s of every boot.
    y.append("    accept-ra: false\n");
    y.append("    match:\n");
    y.append("      macaddress: ").append(Yaml.quote(vm.mac())).append('\n');
    y.append("    set-name: ").append(Yaml.quote(nic)).append('\n');
    if (vm.staticIp().isPresent()) {
      y.append("    dhcp4: false\n");
      y.append("    dhcp6: false\n");
      y.append("    addresses:\n");
      y.append("      - ").append(Yaml.quote(vm.staticIp().get() + "/" + vm.prefix())).append('\n');
      y.append("    gateway4: ").append(Yaml.quote(vm.gateway())).append('\n');
    } else {
      y.append("    dhcp4: true\n");
      y.append("    dhcp6: false\n");
    }
    y.append("    nameservers:\n");
    y.append("      addresses:\n");
    for (String dns : vm.dns()) {
      y.append("        - ").append(Yaml.quote(dns)).append('\n');
    }
    return y.toString();
  }

  /** cloud-init's name of a key type: {@code ed25519}, {@code rsa} or {@code ecdsa}. */
  static String hostKeyType(String publicKey) {
    String type = publicKey.strip().split(" ", 2)[0];
    return switch (type) {
      case "ssh-ed25519" -> "ed25519";
      case "ssh-rsa" -> "rsa";
      default -> {
        if (type.startsWith("ecdsa-sha2-")) {
          yield "ecdsa";
        }
        throw new IllegalArgumentException("unsupported host key type " + type);
      }
    };
  }
}
