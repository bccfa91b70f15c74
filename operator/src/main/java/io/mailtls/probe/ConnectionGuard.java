package io.mailtls.probe;

import java.net.InetAddress;
import java.net.UnknownHostException;
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

  /** Why a connection to {@code address:port} is refused, or empty when it is allowed. */
  public Optional<String> refusal(InetAddress address, int port) {
    if (!allowedPorts.isEmpty() && !allowedPorts.contains(port)) {
      return Optional.of(
          "port "
              + port
              + " is not among the allowed ports "
              + new java.util.TreeSet<>(allowedPorts));
    }
    for (Cidr range : deniedRanges) {
      if (range.contains(address)) {
        return Optional.of(address.getHostAddress() + " is in the denied range " + range);
      }
    }
    return Optional.empty();
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
