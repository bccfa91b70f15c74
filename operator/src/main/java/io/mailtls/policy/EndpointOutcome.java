package io.mailtls.policy;

import io.mailtls.compliance.AddressAssessment;
import io.mailtls.compliance.Assessment;
import io.mailtls.dns.MailDomain;
import io.mailtls.probe.EndpointResult;
import io.mailtls.probe.Target;
import java.util.List;

/**
 * One entry of a probe round: what was probed, what was found, and the verdict.
 *
 * @param origin the mail domain this endpoint is an MX host of; null for an endpoint named as such
 * @param result what was found at the address that decides the verdict
 * @param assessment the endpoint's verdict: the worst over its addresses
 * @param addresses one verdict per address, when the host has more than one; else empty
 */
public record EndpointOutcome(
    Target target,
    MxOrigin origin,
    EndpointResult result,
    Assessment assessment,
    List<AddressAssessment> addresses) {

  public EndpointOutcome {
    addresses = List.copyOf(addresses);
  }

  /**
   * How the entry is named in a status and a report: the endpoint, or {@code mx://domain} for an
   * entry of the domain itself (a null MX, a failed look-up).
   */
  public String name() {
    if (origin != null && origin.preference() == null) {
      return new MailDomain(origin.domain(), target.endpoint().port()).toString();
    }
    return target.endpoint().toString();
  }
}
