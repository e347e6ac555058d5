package io.kubitect.core;

import static io.kubitect.core.Violations.quote;

import io.kubitect.model.CpuMode;
import io.kubitect.model.Distro;
import io.kubitect.model.Ipv4Network;
import io.kubitect.model.LegacyImage;
import io.kubitect.model.Network;
import io.kubitect.model.NetworkMode;
import io.kubitect.model.NodeTemplate;
import io.kubitect.model.OperatingSystem;
import java.util.List;
import java.util.Optional;

/** Rules of {@code cluster.name}, {@code cluster.network} and {@code cluster.nodeTemplate}. */
final class ClusterRules {
  private ClusterRules() {}

  static void check(SpecContext context, Violations v) {
    name(context.spec().cluster().name(), v);
    network(context, v);
    template(context, v);
    olderTemplate(context, v);
  }

  /** The cluster name when it can prefix node names, for the node-name length rule. */
  static Optional<String> usableName(Optional<String> name) {
    return name.filter(ClusterNames::isValid);
  }

  private static void name(Optional<String> name, Violations v) {
    String path = "cluster.name";
    if (name.isEmpty() || name.get().isBlank()) {
      v.error(
          path,
          "is required: it prefixes every VM, pool and network name (lowercase letters, digits"
              + " and '-')");
      return;
    }
    ClusterNames.problem(name.get()).ifPresent(problem -> v.error(path, problem));
  }

  private static void network(SpecContext context, Violations v) {
    Network network = context.spec().cluster().network();
    Optional<Ipv4Network> cidr = context.network();
    Optional<String> cidrText = network.cidr();
    if (cidrText.isEmpty() || cidrText.get().isBlank()) {
      v.error(
          "cluster.network.cidr",
          "is required: the IPv4 network of the nodes in CIDR notation, e.g. 192.168.113.0/24");
    } else if (cidr.isEmpty()) {
      v.error("cluster.network.cidr", cidrProblem(cidrText.get()));
    } else if (cidr.get().prefix() > 30) {
      v.error(
          "cluster.network.cidr",
          quote(cidrText.get())
              + " has no room for a gateway and nodes; use a prefix of /30 or shorter, e.g. /24");
    } else if (Ipv4Network.parse(cidrText.get()).isEmpty()) {
      v.warning(
          "cluster.network.cidr",
          quote(cidrText.get())
              + " has host bits set; it is read as the network "
              + cidr.get()
              + ", as Kubitect reads it; write "
              + quote(cidr.get())
              + " to say so");
    }
    olderDns(context, v);
    network.gateway().ifPresent(gateway -> gateway(gateway, cidr, v));
    Optional<String> bridge = network.bridge();
    if (network.mode().orElse(NetworkMode.NAT) == NetworkMode.BRIDGE && bridge.isEmpty()) {
      v.error(
          "cluster.network.bridge",
          "is required when the network mode is 'bridge': the name of an existing bridge on"
              + " every host, e.g. br0");
    }
    bridge.ifPresent(
        name ->
            Syntax.interfaceNameProblem(name)
                .ifPresent(
                    problem ->
                        v.error(
                            "cluster.network.bridge",
                            quote(name)
                                + " is not a usable interface name: it "
                                + problem
                                + " (e.g. br0 or br-lan)")));
  }

  private static String cidrProblem(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) {
      return quote(text) + " is not in CIDR notation a.b.c.d/n, e.g. 192.168.113.0/24";
    }
    Optional<Integer> address = Syntax.ipv4(text.substring(0, slash));
    String prefix = text.substring(slash + 1);
    if (address.isEmpty()) {
      return quote(text)
          + " does not start with an IPv4 address; expected a.b.c.d/n, e.g. 192.168.113.0/24";
    }
    if (!prefix.matches("[0-9]|[12][0-9]|3[0-2]")) {
      return quote(text) + " has the prefix " + quote(prefix) + "; an IPv4 prefix is 0 to 32";
    }
    return quote(text) + " is not an IPv4 network in CIDR notation, e.g. 192.168.113.0/24";
  }

  private static void gateway(String gateway, Optional<Ipv4Network> cidr, Violations v) {
    String path = "cluster.network.gateway";
    Optional<Integer> address = Syntax.ipv4(gateway);
    if (address.isEmpty()) {
      v.error(path, quote(gateway) + " is not an IPv4 address (a.b.c.d)");
      return;
    }
    if (cidr.isEmpty()) {
      return;
    }
    Ipv4Network net = cidr.get();
    if (!net.contains(address.get())) {
      v.error(path, quote(gateway) + " is outside the cluster network " + net);
    } else if (address.get() == net.address()) {
      v.error(path, quote(gateway) + " is the network address of " + net + ", not a usable host");
    } else if (address.get() == net.broadcast()) {
      v.error(path, quote(gateway) + " is the broadcast address of " + net + ", not a usable host");
    }
  }

  private static void template(SpecContext context, Violations v) {
    NodeTemplate template = context.spec().cluster().nodeTemplate();
    String path = "cluster.nodeTemplate";
    template
        .user()
        .ifPresent(
            user -> {
              if (!Syntax.USER.matcher(user).matches()) {
                v.error(
                    path + ".user",
                    quote(user)
                        + " is not a valid user name: 1 to 32 letters, digits, '-' and '_'");
              }
            });
    OperatingSystem os = template.os();
    Optional<Distro> distro = os.distro();
    if (distro.isPresent() && distro.get().isLegacyAlias()) {
      v.warning(
          path + ".os.distro",
          quote(distro.get())
              + " is the older schema's spelling (Kubitect v3.3 and earlier) and is read as "
              + quote(distro.get().preset())
              + ", the preset it meant there; write "
              + quote(distro.get().preset())
              + " to say so explicitly");
    }
    os.source().ifPresent(source -> source(source, path + ".os.source", v));
    os.networkInterface().ifPresent(name -> interfaceName(name, path + ".os.networkInterface", v));
    template
        .ssh()
        .privateKeyPath()
        .ifPresent(
            key -> {
              if (key.isBlank()) {
                v.error(
                    path + ".ssh.privateKeyPath",
                    "is empty; leave it out to have a key generated, or give the path of a"
                        + " private key");
              } else {
                path(key, path + ".ssh.privateKeyPath", v);
              }
            });
    dnsServers(template.dns(), path + ".dns", v);
    Distro preset =
        context.resolved().cluster().nodeTemplate().os().distro().orElse(Distro.UBUNTU22).preset();
    CpuMode cpuMode = template.cpuMode().orElse(CpuMode.CUSTOM);
    if ((preset == Distro.CENTOS9 || preset == Distro.ROCKY9) && cpuMode == CpuMode.CUSTOM) {
      v.warning(
          path + ".cpuMode",
          "is 'custom' (the default) with "
              + quote(preset)
              + ", whose images need an x86-64-v2 CPU that the custom model may not offer; use"
              + " host-model, host-passthrough or maximum");
    }
  }

  private static void interfaceName(String name, String path, Violations v) {
    Syntax.interfaceNameProblem(name)
        .ifPresent(
            problem ->
                v.error(
                    path,
                    quote(name)
                        + " is not a usable interface name: it "
                        + problem
                        + " (e.g. ens3 or eth0)"));
  }

  private static void dnsServers(List<String> dns, String path, Violations v) {
    for (int i = 0; i < dns.size(); i++) {
      if (!Syntax.isIp(dns.get(i))) {
        v.error(
            path + "[" + i + "]",
            quote(dns.get(i)) + " is not an IP address; DNS servers are given as IPv4 or IPv6");
      }
    }
  }

  /** Kubitect v2.0's {@code cluster.network.dns}, now {@code cluster.nodeTemplate.dns}. */
  private static void olderDns(SpecContext context, Violations v) {
    List<String> older = context.spec().cluster().network().dns();
    if (older.isEmpty()) {
      return;
    }
    String path = "cluster.network.dns";
    dnsServers(older, path, v);
    List<String> current = context.spec().cluster().nodeTemplate().dns();
    if (!current.isEmpty() && !current.equals(older)) {
      v.error(
          path,
          "is Kubitect v2.0's place of the nodes' DNS servers, and cluster.nodeTemplate.dns"
              + " lists other ones; keep only cluster.nodeTemplate.dns");
      return;
    }
    v.warning(
        path,
        "is Kubitect v2.0's place of the nodes' DNS servers and is read as"
            + " cluster.nodeTemplate.dns; move the list there");
  }

  /**
   * Kubitect v2.0's {@code cluster.nodeTemplate.networkInterface} and {@code
   * cluster.nodeTemplate.image}, now in {@code cluster.nodeTemplate.os}.
   */
  private static void olderTemplate(SpecContext context, Violations v) {
    NodeTemplate template = context.spec().cluster().nodeTemplate();
    OperatingSystem os = template.os();
    String path = "cluster.nodeTemplate";
    template
        .networkInterface()
        .ifPresent(
            name -> {
              interfaceName(name, path + ".networkInterface", v);
              older(
                  path + ".networkInterface",
                  "the NIC name",
                  path + ".os.networkInterface",
                  name,
                  os.networkInterface(),
                  v);
            });
    LegacyImage image = template.image();
    image
        .source()
        .ifPresent(
            source -> {
              source(source, path + ".image.source", v);
              older(
                  path + ".image.source", "the image", path + ".os.source", source, os.source(), v);
            });
    image.distro().ifPresent(distro -> imageDistro(distro, template, v));
  }

  /**
   * Reports an older key: an error when the current key says something else, else a warning that it
   * is read as the current one.
   */
  private static void older(
      String path,
      String what,
      String current,
      String value,
      Optional<String> currentValue,
      Violations v) {
    if (currentValue.isPresent() && !currentValue.get().equals(value)) {
      v.error(
          path,
          quote(value)
              + " is Kubitect v2.0's place of "
              + what
              + ", and "
              + current
              + " says "
              + quote(currentValue.get())
              + "; keep only "
              + current);
    } else {
      v.warning(
          path,
          "is Kubitect v2.0's place of " + what + " and is read as " + current + "; move it there");
    }
  }

  private static void imageDistro(String distro, NodeTemplate template, Violations v) {
    String path = "cluster.nodeTemplate.image.distro";
    OperatingSystem os = template.os();
    Optional<Distro> preset = LegacyImage.presetOf(distro);
    if (os.distro().isPresent()) {
      if (preset.isEmpty() || preset.get().preset() != os.distro().get().preset()) {
        v.error(
            path,
            quote(distro)
                + " is Kubitect v2.0's image distro, and cluster.nodeTemplate.os.distro says "
                + quote(os.distro().get())
                + "; keep only cluster.nodeTemplate.os.distro");
      } else {
        v.warning(
            path,
            "is Kubitect v2.0's image distro, and cluster.nodeTemplate.os.distro says the same;"
                + " remove it");
      }
      return;
    }
    boolean nicSet = os.networkInterface().isPresent() || template.networkInterface().isPresent();
    String nic =
        nicSet
            ? ""
            : "; as in v2.0 the network interface is "
                + quote(LegacyImage.networkInterfaceOf(distro))
                + " (set cluster.nodeTemplate.os.networkInterface to change it)";
    if (preset.isPresent()) {
      v.warning(
          path,
          quote(distro)
              + " is Kubitect v2.0's image distro and is read as cluster.nodeTemplate.os.distro "
              + quote(preset.get().preset())
              + nic);
      return;
    }
    if (os.source().isEmpty() && template.image().source().isEmpty()) {
      v.error(
          path,
          quote(distro)
              + " names none of v2.0's distros (ubuntu, debian, centos) and no image is given;"
              + " set cluster.nodeTemplate.os.source (v2.0 required image.source)");
      return;
    }
    v.warning(
        path,
        quote(distro)
            + " names none of v2.0's distros (ubuntu, debian, centos): it has no effect on the"
            + " image, which is the given source"
            + nic);
  }

  private static void source(String source, String path, Violations v) {
    if (source.isBlank()) {
      v.error(path, "is empty; leave it out for the distro's image, or give a URL or a file");
      return;
    }
    if (path(source, path, v)) {
      return;
    }
    Optional<String> scheme = Syntax.urlScheme(source);
    if (scheme.isPresent() && !scheme.get().equals("http") && !scheme.get().equals("https")) {
      v.error(
          path,
          quote(source)
              + " uses the scheme "
              + quote(scheme.get())
              + "; an image is an http or https URL or a local file path");
    }
  }

  /**
   * Reports a path or URL with a control character or more than 4096 bytes; returns whether it did.
   */
  static boolean path(String value, String path, Violations v) {
    Optional<String> problem = Syntax.pathProblem(value);
    problem.ifPresent(p -> v.error(path, quote(value) + " " + p));
    return problem.isPresent();
  }
}
