package io.mailtls.sender;

import io.mailtls.receiver.SessionRecord;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * A sending server a policy expects to see, known by its addresses, its EHLO names, or both (then a
 * session must match both: several servers behind one NAT address differ by EHLO name).
 *
 * @param ehloNames names compared without case; {@code *.example.com} matches any name below
 */
public record ExpectedSender(
    String name, List<AddressRange> addresses, List<String> ehloNames, SenderSoftware software) {

  public ExpectedSender {
    addresses = List.copyOf(addresses);
    ehloNames = ehloNames.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
  }

  public boolean matches(SessionRecord session) {
    return (addresses.isEmpty() || addressMatches(session.clientAddress()))
        && (ehloNames.isEmpty() || ehloMatches(session.ehloName()));
  }

  /**
   * A sender known by its EHLO names alone (the policy says so: ehloNameOnly), which any client can
   * claim: its findings are never critical.
   */
  public boolean knownByNameOnly() {
    return addresses.isEmpty();
  }

  /** Whether one of this sender's address ranges holds the address (false when it has none). */
  public boolean hasAddress(String clientAddress) {
    return !addresses.isEmpty() && addressMatches(clientAddress);
  }

  private boolean addressMatches(String clientAddress) {
    InetAddress address;
    try {
      address = InetAddress.getByName(clientAddress); // always a literal here
    } catch (UnknownHostException e) {
      return false;
    }
    return addresses.stream().anyMatch(range -> range.contains(address));
  }

  private boolean ehloMatches(String ehloName) {
    if (ehloName == null) {
      return false;
    }
    String name = ehloName.toLowerCase(Locale.ROOT);
    return ehloNames.stream()
        .anyMatch(
            pattern ->
                pattern.startsWith("*.")
                    ? name.endsWith(pattern.substring(1)) && name.length() > pattern.length() - 1
                    : pattern.equals(name));
  }
}
