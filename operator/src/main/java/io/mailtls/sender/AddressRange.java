package io.mailtls.sender;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** An IP address or a CIDR range ({@code 192.0.2.0/24}, {@code 2001:db8::/32}). */
public record AddressRange(byte[] network, int prefixLength, String text) {
  private static final Pattern LITERAL = Pattern.compile("[0-9a-fA-F.:]+");

  /** Parses without DNS: only address literals are accepted. */
  public static AddressRange parse(String text) {
    String trimmed = text.strip();
    int slash = trimmed.indexOf('/');
    String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
    if (!LITERAL.matcher(address).matches() || !(address.contains(".") || address.contains(":"))) {
      throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR range");
    }
    byte[] bytes;
    try {
      bytes = InetAddress.getByName(address).getAddress(); // a literal: no DNS look-up
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR range");
    }
    int bits = bytes.length * 8;
    int prefix;
    try {
      prefix = slash < 0 ? bits : Integer.parseInt(trimmed.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' has no valid prefix length");
    }
    if (prefix < 0 || prefix > bits) {
      throw new IllegalArgumentException(
          "'" + text + "': the prefix length must be between 0 and " + bits);
    }
    return new AddressRange(bytes, prefix, trimmed);
  }

  public boolean contains(InetAddress address) {
    byte[] candidate = address.getAddress();
    if (candidate.length != network.length) {
      return false;
    }
    for (int bit = 0; bit < prefixLength; bit += 8) {
      int mask = prefixLength - bit >= 8 ? 0xFF : (0xFF << (8 - (prefixLength - bit))) & 0xFF;
      if ((candidate[bit / 8] & mask) != (network[bit / 8] & mask)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return text;
  }
}
