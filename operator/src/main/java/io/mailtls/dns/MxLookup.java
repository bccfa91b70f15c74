package io.mailtls.dns;

import java.util.List;

/** What the MX look-up of a mail domain found. */
public sealed interface MxLookup {

  /**
   * The hosts that receive the domain's mail, most preferred first, at most {@link
   * MailDns#MAX_MX_HOSTS}.
   *
   * @param noMxRecords true when the domain has no MX record, so its own name is the mail host (the
   *     "implicit MX" of RFC 5321 section 5.1, preference 0)
   * @param found how many MX hosts the domain has; more than {@code hosts} when some were left out
   */
  record Hosts(List<MxHost> hosts, boolean noMxRecords, int found) implements MxLookup {
    public Hosts {
      hosts = List.copyOf(hosts);
    }
  }

  /** RFC 7505 null MX ({@code MX 0 .}): the domain accepts no mail at all. */
  record NullMx() implements MxLookup {}

  /** No answer that says which hosts receive the domain's mail. */
  record Failed(DnsProblem problem) implements MxLookup {}
}
