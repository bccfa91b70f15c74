package io.mailtls.compliance;

import io.mailtls.probe.EndpointResult;

/** The verdict on one address of an endpoint. */
public record AddressAssessment(EndpointResult result, Assessment assessment) {
  public Verdict verdict() {
    return assessment.verdict();
  }
}
