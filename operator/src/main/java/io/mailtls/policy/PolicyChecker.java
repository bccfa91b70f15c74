package io.mailtls.policy;

import io.mailtls.compliance.ComplianceEvaluator;
import io.mailtls.probe.EndpointProber;
import io.mailtls.probe.EndpointResult;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Runs one probe round for a policy: every endpoint through the engine at once (the engine's
 * per-host limit bounds the connections), then the verdicts. Knows nothing of where policies come
 * from. Never throws for a broken endpoint: that is an outcome.
 */
public final class PolicyChecker {
  private final EndpointProber prober;

  public PolicyChecker(EndpointProber prober) {
    this.prober = prober;
  }

  public List<EndpointOutcome> check(PolicyRequest request) {
    List<EndpointProber.Target> targets = request.targets();
    List<EndpointResult> results = prober.probeAll(targets, request.timeout());
    return IntStream.range(0, targets.size())
        .mapToObj(
            i ->
                new EndpointOutcome(
                    targets.get(i),
                    results.get(i),
                    ComplianceEvaluator.assess(results.get(i), request.compliance())))
        .toList();
  }
}
