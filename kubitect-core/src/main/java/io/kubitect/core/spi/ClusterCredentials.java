package io.kubitect.core.spi;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The keys of one cluster: the node user's key pair (the private key as a file, mode 0600, for SSH
 * clients and Ansible), the host key the SDK generated for every node (injected through cloud-init,
 * so the first connection is verified), and the cluster's known_hosts file that executors verify
 * node host keys against.
 */
public record ClusterCredentials(
    Path privateKeyFile, String publicKey, Map<String, SshKeyPair> hostKeys, Path knownHostsFile) {

  /** Copies the map so the record stays immutable. */
  public ClusterCredentials {
    hostKeys = Map.copyOf(hostKeys);
  }

  /** The host key pair generated for a node. */
  public Optional<SshKeyPair> hostKey(String node) {
    return Optional.ofNullable(hostKeys.get(node));
  }
}
