package io.mailtls.policy;

import io.mailtls.compliance.ComplianceEvaluator;
import io.mailtls.probe.EndpointProber;
import io.mailtls.probe.EndpointResult;
import io.mailtls.probe.Target;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Probes every endpoint of a request through the engine at once (the engine's per-host limit bounds
 * the connections), then judges each. Knows nothing of where policies come from. Never throws for a
 * broken endpoint: that is an outcome.
 */
public final class ProbeRound {
  private final EndpointProber prober;

  public ProbeRound(EndpointProber prober) {
    this.prober = prober;
  }

  public List<EndpointOutcome> run(PolicyRequest request) {
    List<Target> targets = request.targets();
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
