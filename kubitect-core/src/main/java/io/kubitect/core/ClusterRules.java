package io.kubitect.core;

import static io.kubitect.core.Violations.quote;

import io.kubitect.model.CpuMode;
import io.kubitect.model.Distro;
import io.kubitect.model.Ipv4Network;
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
    template(context.spec().cluster().nodeTemplate(), v);
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
    }
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
    int bits = Integer.parseInt(prefix);
    int mask = bits == 0 ? 0 : -1 << (32 - bits);
    return quote(text)
        + " has host bits set; the network is "
        + Ipv4Network.format(address.get() & mask)
        + "/"
        + bits;
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

  private static void template(NodeTemplate template, Violations v) {
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
              + " is the older schema's spelling and is read as "
              + quote(distro.get().preset())
              + "; write "
              + quote(distro.get().preset())
              + " to say so explicitly");
    }
    os.source().ifPresent(source -> source(source, path + ".os.source", v));
    os.networkInterface()
        .ifPresent(
            name ->
                Syntax.interfaceNameProblem(name)
                    .ifPresent(
                        problem ->
                            v.error(
                                path + ".os.networkInterface",
                                quote(name)
                                    + " is not a usable interface name: it "
                                    + problem
                                    + " (e.g. ens3 or eth0)")));
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
    List<String> dns = template.dns();
    for (int i = 0; i < dns.size(); i++) {
      if (!Syntax.isIp(dns.get(i))) {
        v.error(
            path + ".dns[" + i + "]",
            quote(dns.get(i)) + " is not an IP address; DNS servers are given as IPv4 or IPv6");
      }
    }
    Distro preset = distro.orElse(Distro.UBUNTU22).preset();
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
