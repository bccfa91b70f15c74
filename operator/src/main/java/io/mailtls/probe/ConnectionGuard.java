package io.mailtls.probe;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where the engine may connect, as the cluster admin decides (not the policy authors): allowed
 * ports and denied address ranges. Checked on the resolved address, which is the one then connected
 * to, so a DNS answer that changes between check and connect cannot slip past it.
 *
 * @param allowedPorts empty allows every port
 */
public record ConnectionGuard(Set<Integer> allowedPorts, List<Cidr> deniedRanges) {
  /** The seven mail ports. */
  public static final Set<Integer> MAIL_PORTS = Set.of(25, 465, 587, 110, 143, 993, 995);

  /** Link-local ranges hold cloud metadata services (169.254.169.254). */
  public static final List<Cidr> LINK_LOCAL =
      List.of(Cidr.parse("169.254.0.0/16"), Cidr.parse("fe80::/10"));

  /** No restriction: for a person running `mailtls scan` at a terminal. */
  public static final ConnectionGuard NONE = new ConnectionGuard(Set.of(), List.of());

  public ConnectionGuard {
    allowedPorts = Set.copyOf(allowedPorts);
    deniedRanges = List.copyOf(deniedRanges);
  }

  /**
   * Why a connection to {@code address:port} is refused, or empty when it is allowed. An address is
   * judged by where it really leads: an unspecified address (0.0.0.0/8, ::) connects to this host,
   * so any guard that restricts anything refuses it; an IPv6 address that carries an IPv4 one
   * (IPv4-compatible ::a.b.c.d, NAT64 64:ff9b::/96) is also judged by the IPv4 address.
   */
  public Optional<String> refusal(InetAddress address, int port) {
    if (!allowedPorts.isEmpty() && !allowedPorts.contains(port)) {
      return Optional.of(
          "port "
              + port
              + " is not among the allowed ports "
              + new java.util.TreeSet<>(allowedPorts));
    }
    if (restricts() && isUnspecified(address)) {
      return Optional.of(
          address.getHostAddress() + " is an unspecified address: it would connect to this host");
    }
    Optional<InetAddress> embedded = embeddedIpv4(address);
    for (Cidr range : deniedRanges) {
      if (range.contains(address)) {
        return Optional.of(address.getHostAddress() + " is in the denied range " + range);
      }
      if (embedded.isPresent() && range.contains(embedded.get())) {
        return Optional.of(
            address.getHostAddress()
                + " leads to "
                + embedded.get().getHostAddress()
                + ", which is in the denied range "
                + range);
      }
    }
    return Optional.empty();
  }

  private boolean restricts() {
    return !allowedPorts.isEmpty() || !deniedRanges.isEmpty();
  }

  private static boolean isUnspecified(InetAddress address) {
    byte[] bytes = address.getAddress();
    return bytes.length == 4 ? bytes[0] == 0 : address.isAnyLocalAddress();
  }

  /** NAT64's well-known prefix, 64:ff9b::/96 (RFC 6052). */
  private static final byte[] NAT64_PREFIX = {
    0, 0x64, (byte) 0xff, (byte) 0x9b, 0, 0, 0, 0, 0, 0, 0, 0
  };

  /** The IPv4 address an IPv4-compatible or NAT64 IPv6 address carries in its last 32 bits. */
  static Optional<InetAddress> embeddedIpv4(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (bytes.length != 16) {
      return Optional.empty();
    }
    byte[] prefix = Arrays.copyOf(bytes, 12);
    boolean compatible =
        Arrays.equals(prefix, new byte[12])
            && !address.isAnyLocalAddress()
            && !address.isLoopbackAddress();
    if (!compatible && !Arrays.equals(prefix, NAT64_PREFIX)) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByAddress(Arrays.copyOfRange(bytes, 12, 16)));
    } catch (UnknownHostException impossible) {
      return Optional.empty();
    }
  }

  /** An address range such as {@code 10.0.0.0/8} or {@code fe80::/10}. */
  public record Cidr(byte[] network, int prefixLength, String text) {
    /** Throws IllegalArgumentException naming the text when it is not a CIDR range. */
    public static Cidr parse(String text) {
      int slash = text.indexOf('/');
      try {
        if (slash < 0 || !text.substring(0, slash).matches("[0-9A-Fa-f:.]+")) {
          throw new IllegalArgumentException();
        }
        // A literal address: no DNS look-up happens.
        byte[] network = InetAddress.getByName(text.substring(0, slash)).getAddress();
        int prefix = Integer.parseInt(text.substring(slash + 1));
        if (prefix < 0 || prefix > network.length * 8) {
          throw new IllegalArgumentException();
        }
        return new Cidr(network, prefix, text);
      } catch (UnknownHostException | IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "'" + text + "' is not an address range such as 10.0.0.0/8");
      }
    }

    public boolean contains(InetAddress address) {
      byte[] bytes = address.getAddress();
      if (bytes.length != network.length) {
        return false;
      }
      int full = prefixLength / 8;
      for (int i = 0; i < full; i++) {
        if (bytes[i] != network[i]) {
          return false;
        }
      }
      int rest = prefixLength % 8;
      int mask = (0xff << (8 - rest)) & 0xff;
      return rest == 0 || (bytes[full] & mask) == (network[full] & mask);
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
