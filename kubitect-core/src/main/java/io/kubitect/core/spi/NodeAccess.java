package io.kubitect.core.spi;

/**
 * How executors reach the nodes and name their interface, the same for every node.
 *
 * @param user the user created on every node ({@code cluster.nodeTemplate.user}); executors log in
 *     as this user with the cluster's key pair
 * @param networkInterface the name the node image gives the node's NIC ({@code
 *     cluster.nodeTemplate.os.networkInterface}, else the distro's); the node's address is on it
 * @param sshPort the port the nodes' SSH server listens on
 */
public record NodeAccess(String user, String networkInterface, int sshPort) {
  /**
   * The nodes' SSH port: the images' sshd listens on the standard port and the specification has no
   * setting for it.
   */
  public static final int SSH_PORT = 22;
}
