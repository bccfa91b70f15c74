package io.mailtls.compliance;

import java.util.List;

/**
 * The verdict on an endpoint: the worst over its addresses.
 *
 * @param deciding the address whose verdict is the endpoint's (the first of the worst)
 * @param assessment the endpoint's verdict, explained with the deciding address named when there
 *     are several
 * @param addresses one verdict per address probed, in the order of the look-up
 */
public record EndpointAssessment(
    AddressAssessment deciding, Assessment assessment, List<AddressAssessment> addresses) {

  public Verdict verdict() {
    return assessment.verdict();
  }
}
