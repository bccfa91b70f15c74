package io.mailtls.dns;

import java.net.Inet6Address;
import java.net.InetAddress;

/** How addresses are written in results: IPv6 in the short form of RFC 5952 ({@code ::1}). */
public final class AddressText {
  private AddressText() {}

  /**
   * Whether a host is written as an IP address (dotted IPv4, or IPv6 without brackets), which needs
   * no DNS: the one check for targets, look-ups and options.
   */
  public static boolean isLiteral(String host) {
    return host.matches("\\d{1,3}(\\.\\d{1,3}){3}")
        || host.matches("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
  }

  public static String of(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return address.getHostAddress();
    }
    byte[] bytes = address.getAddress();
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
    }
    // The longest run of two or more zero groups (the first of equal ones) becomes "::".
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        text.append("::");
        i += bestLength - 1;
        continue;
      }
      if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
        text.append(':');
      }
      text.append(Integer.toHexString(groups[i]));
    }
    return text.toString();
  }
}
