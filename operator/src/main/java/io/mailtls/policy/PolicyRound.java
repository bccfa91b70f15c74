package io.mailtls.policy;

import io.mailtls.api.MailEndpointPolicySpec;
import io.mailtls.api.MailEndpointPolicyStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The one decision both the operator and the standalone mode make for a policy: given its spec and
 * what is known of it (its last status), is it invalid, suspended, not yet due, or probed now?
 * Every case ends in a status; none throws for what a mail server does.
 */
public final class PolicyRound {
  private final ProbeRound probeRound;
  private final Clock clock;

  public PolicyRound(ProbeRound probeRound, Clock clock) {
    this.probeRound = probeRound;
    this.clock = clock;
  }

  /**
   * @param generation the spec's metadata.generation, written into the status
   * @param previous the status the policy has now, or null
   */
  public RoundResult next(
      MailEndpointPolicySpec spec, long generation, MailEndpointPolicyStatus previous) {
    PolicyRequest request;
    try {
      request = PolicyRequest.from(spec);
    } catch (InvalidPolicyException e) {
      return new RoundResult.Invalid(
          PolicyStatusBuilder.invalid(previous, generation, e.getMessage(), clock.instant()));
    }
    if (request.suspend()) {
      return new RoundResult.Suspended(
          PolicyStatusBuilder.suspended(previous, generation, clock.instant()), request.interval());
    }
    Duration wait =
        ProbeSchedule.untilDue(previous, generation, request.interval(), clock.instant());
    if (wait.isPositive()) {
      return new RoundResult.NotDue(previous, request.interval(), wait);
    }
    Instant started = clock.instant();
    List<EndpointOutcome> outcomes = probeRound.run(request);
    MailEndpointPolicyStatus status =
        PolicyStatusBuilder.probed(
            previous, generation, outcomes, started, Duration.between(started, clock.instant()));
    return new RoundResult.Probed(
        status, request.interval(), outcomes, ProbeSchedule.afterRound(request.interval()));
  }
}
