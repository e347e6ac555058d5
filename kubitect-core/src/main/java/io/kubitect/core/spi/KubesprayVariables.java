package io.kubitect.core.spi;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which variables {@code addons.kubespray} may set. The validator reports the others, and the
 * Kubespray installer applies the same rules again for callers that skip validation.
 *
 * <ul>
 *   <li>Every {@code ansible_*} variable is refused. That prefix is Ansible's own namespace: its
 *       connection settings ({@code ansible_ssh_args}, {@code ansible_ssh_common_args}, {@code
 *       ansible_host_key_checking}, {@code ansible_connection}, {@code ansible_user}, {@code
 *       ansible_host}, {@code ansible_port}, {@code ansible_password}, {@code
 *       ansible_private_key_file}), privilege escalation ({@code ansible_become*}) and the remote
 *       interpreter and shell ({@code ansible_python_interpreter}, {@code
 *       ansible_shell_executable}). As inventory variables they override the runner's command line
 *       and environment, so one of them could turn off host-key checking for the whole install or
 *       point it at another machine. Kubespray's own variables never use the prefix; a prefix, not
 *       a list, also covers the aliases and plugin options Ansible keeps adding.
 *   <li>Variables the installer derives from the specification ({@link #decidedBySpecification()})
 *       are ignored: the specification's field is the source of truth.
 * </ul>
 */
public final class KubesprayVariables {
  /** The prefix of the variables Ansible reads itself. */
  public static final String ANSIBLE_PREFIX = "ansible_";

  /** Each derived variable and the specification field that decides it. */
  private static final Map<String, String> DECIDED = decided();

  private KubesprayVariables() {}

  private static Map<String, String> decided() {
    Map<String, String> decided = new LinkedHashMap<>();
    decided.put("kube_version", "kubernetes.version");
    decided.put("kube_network_plugin", "kubernetes.networkPlugin");
    decided.put("dns_mode", "kubernetes.dnsMode");
    decided.put("auto_renew_certificates", "kubernetes.other.autoRenewCertificates");
    decided.put("loadbalancer_apiserver", "cluster.nodes.loadBalancer");
    decided.put("apiserver_loadbalancer_domain_name", "cluster.nodes.loadBalancer");
    return Map.copyOf(decided);
  }

  /** The variables the installer derives from the specification; addons cannot override them. */
  public static Set<String> decidedBySpecification() {
    return DECIDED.keySet();
  }

  /** The specification field that decides {@code variable}, or empty when addons may set it. */
  public static Optional<String> decidingField(String variable) {
    return Optional.ofNullable(DECIDED.get(variable));
  }

  /**
   * Why {@code addons.kubespray} may not set {@code variable}, in one line, or empty when it may.
   */
  public static Optional<String> refusal(String variable) {
    if (variable.startsWith(ANSIBLE_PREFIX)) {
      return Optional.of(
          "is an Ansible connection variable (every ansible_* variable is reserved): it would"
              + " override how the installer reaches the nodes (SSH user and key, host keys checked"
              + " against the cluster's known_hosts, become, the remote Python), so"
              + " addons.kubespray may not set it");
    }
    return Optional.empty();
  }
}
