package io.kubitect.model;

import java.util.Optional;

/**
 * An IPv4 network in CIDR notation ({@code 10.10.0.0/20}). Parsing is strict: four decimal octets
 * without leading zeros, a prefix of 0 to 32, and ({@link #parse}) no host bits set in the network
 * address, or ({@link #parseNetworkOf}) host bits cleared.
 */
public record Ipv4Network(int address, int prefix) {

  /** Parses {@code a.b.c.d/n}; empty when the text is not a valid IPv4 network. */
  public static Optional<Ipv4Network> parse(String cidr) {
    return parseWritten(cidr).filter(n -> (n.address() & ~n.mask()) == 0);
  }

  /**
   * Parses {@code a.b.c.d/n} like {@link #parse}, but with host bits allowed: the result is the
   * network the address lies in, as Kubitect (through Terraform's {@code cidrhost} and libvirt)
   * reads such a CIDR: {@code 192.168.113.13/24} is {@code 192.168.113.0/24}.
   */
  public static Optional<Ipv4Network> parseNetworkOf(String cidr) {
    return parseWritten(cidr).map(n -> new Ipv4Network(n.address() & n.mask(), n.prefix()));
  }

  /** {@code a.b.c.d/n} as written, host bits and all. */
  private static Optional<Ipv4Network> parseWritten(String cidr) {
    int slash = cidr.indexOf('/');
    if (slash < 0) {
      return Optional.empty();
    }
    Optional<Integer> address = parseAddress(cidr.substring(0, slash));
    String prefixText = cidr.substring(slash + 1);
    if (address.isEmpty() || !prefixText.matches("[0-9]|[12][0-9]|3[0-2]")) {
      return Optional.empty();
    }
    return Optional.of(new Ipv4Network(address.get(), Integer.parseInt(prefixText)));
  }

  /** Parses a dotted-quad IPv4 address into its 32-bit value. */
  public static Optional<Integer> parseAddress(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return Optional.empty();
    }
    int value = 0;
    for (String part : parts) {
      if (!part.matches("0|[1-9][0-9]{0,2}")) {
        return Optional.empty();
      }
      int octet = Integer.parseInt(part);
      if (octet > 255) {
        return Optional.empty();
      }
      value = (value << 8) | octet;
    }
    return Optional.of(value);
  }

  /** Formats a 32-bit value as a dotted quad. */
  public static String format(int address) {
    return ((address >>> 24) & 0xff)
        + "."
        + ((address >>> 16) & 0xff)
        + "."
        + ((address >>> 8) & 0xff)
        + "."
        + (address & 0xff);
  }

  /** The netmask as a 32-bit value. */
  public int mask() {
    return prefix == 0 ? 0 : -1 << (32 - prefix);
  }

  /** Whether the address lies inside this network. */
  public boolean contains(int candidate) {
    return (candidate & mask()) == address;
  }

  /** The n-th address of the network ({@code host(1)} is Terraform's {@code cidrhost(cidr, 1)}). */
  public int host(int n) {
    return address + n;
  }

  /** The last address of the network. */
  public int broadcast() {
    return address | ~mask();
  }

  @Override
  public String toString() {
    return format(address) + "/" + prefix;
  }
}
