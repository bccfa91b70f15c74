package io.mailtls.receiver;

import io.mailtls.dns.AddressText;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * Who a client is for the receiver's limits and its memory of sessions: its IPv4 address, or the
 * /64 of its IPv6 address (one IPv6 host commonly has a whole /64 to send from).
 */
public final class ClientKey {
  private ClientKey() {}

  public static String of(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return AddressText.of(address);
    }
    byte[] prefix = Arrays.copyOf(address.getAddress(), 16);
    Arrays.fill(prefix, 8, 16, (byte) 0);
    try {
      return AddressText.of(InetAddress.getByAddress(prefix)) + "/64";
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // 16 bytes are always an address
    }
  }

  /** From a recorded client address (RFC 5952 text, as SessionRecord holds it). */
  public static String of(String clientAddress) {
    try {
      return of(InetAddress.getByName(clientAddress)); // a literal: no DNS
    } catch (UnknownHostException e) {
      return clientAddress;
    }
  }
}
