package io.mailtls.policy;

import io.mailtls.compliance.Assessment;
import io.mailtls.probe.EndpointProber;
import io.mailtls.probe.EndpointResult;

/** One endpoint of a probe round: what was probed, what was found, and the verdict. */
public record EndpointOutcome(
    EndpointProber.Target target, EndpointResult result, Assessment assessment) {}
