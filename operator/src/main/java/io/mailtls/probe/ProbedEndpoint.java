package io.mailtls.probe;

import java.util.List;

/**
 * Everything one round found out about one endpoint: one result per address its host resolved to
 * (IPv4 first, each family in address order), or a single result without an address when the name
 * did not resolve.
 *
 * @param incomplete why the addresses probed may not be all of the host's (more than {@link
 *     io.mailtls.dns.MailDns#MAX_ADDRESSES}, or one address family's look-up failed); null when
 *     they are all
 */
public record ProbedEndpoint(Target target, List<EndpointResult> addresses, String incomplete) {

  public ProbedEndpoint {
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("an endpoint has at least one result");
    }
    addresses = List.copyOf(addresses);
  }

  /** The result of an endpoint that has one address (an address literal, a name with one). */
  public EndpointResult only() {
    if (addresses.size() != 1) {
      throw new IllegalStateException(
          target.endpoint() + " has " + addresses.size() + " addresses, not one");
    }
    return addresses.getFirst();
  }
}
