package io.mailtls.dns;

import java.net.InetAddress;
import java.util.List;

/** What the address look-up of a host name found. */
public sealed interface AddressLookup {

  /**
   * The host's addresses, IPv4 first and each family in address order, at most {@link
   * MailDns#MAX_ADDRESSES}.
   *
   * @param incomplete why some addresses may be missing (more than the limit, or the A or the AAAA
   *     look-up failed while the other answered); null when these are all of them
   */
  record Found(List<InetAddress> addresses, String incomplete) implements AddressLookup {
    public Found {
      addresses = List.copyOf(addresses);
    }
  }

  record Failed(DnsProblem problem) implements AddressLookup {}
}
