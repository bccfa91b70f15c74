package io.mailtls.policy;

import io.mailtls.compliance.Assessment;
import io.mailtls.probe.EndpointResult;
import io.mailtls.probe.Target;

/** One endpoint of a probe round: what was probed, what was found, and the verdict. */
public record EndpointOutcome(Target target, EndpointResult result, Assessment assessment) {}
