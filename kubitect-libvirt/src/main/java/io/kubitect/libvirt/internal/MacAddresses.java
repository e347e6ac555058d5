package io.kubitect.libvirt.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Deterministic MAC addresses for nodes whose specification gives none, so the DHCP reservation,
 * the network-config match and the domain's NIC agree before the VM exists, and agree again on
 * every later apply.
 *
 * <p>Derivation: QEMU/libvirt's prefix {@code 52:54:00} followed by the first three bytes of
 * SHA-256 of {@code "kubitect-mac/1\0<cluster>\0<node>\0<attempt>"}, attempt 0 first. Nodes are
 * taken in topology order; on the (rare, 1 in 16.7 million per pair) collision with a MAC given in
 * the specification or derived for an earlier node, the next attempt is used.
 */
final class MacAddresses {
  static final String PREFIX = "52:54:00";

  private MacAddresses() {}

  /** One derived MAC, attempt 0: what a lone node gets. */
  static String derive(String cluster, String node) {
    return derive(cluster, node, 0);
  }

  /**
   * The MAC of every node, in the order given: the specification's own (lower-cased) when present,
   * otherwise derived and unique among all of them.
   */
  static Map<String, String> assign(
      String cluster, List<Map.Entry<String, Optional<String>>> nodes) {
    Set<String> taken = new HashSet<>();
    for (Map.Entry<String, Optional<String>> node : nodes) {
      node.getValue().ifPresent(mac -> taken.add(mac.toLowerCase(Locale.ROOT)));
    }
    Map<String, String> macs = new LinkedHashMap<>();
    for (Map.Entry<String, Optional<String>> node : nodes) {
      Optional<String> given = node.getValue();
      if (given.isPresent()) {
        macs.put(node.getKey(), given.get().toLowerCase(Locale.ROOT));
        continue;
      }
      String mac;
      int attempt = 0;
      do {
        mac = derive(cluster, node.getKey(), attempt++);
      } while (!taken.add(mac));
      macs.put(node.getKey(), mac);
    }
    return macs;
  }

  private static String derive(String cluster, String node, int attempt) {
    byte[] hash = sha256("kubitect-mac/1\0" + cluster + "\0" + node + "\0" + attempt);
    return String.format(
        Locale.ROOT, "%s:%02x:%02x:%02x", PREFIX, hash[0] & 0xff, hash[1] & 0xff, hash[2] & 0xff);
  }

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
