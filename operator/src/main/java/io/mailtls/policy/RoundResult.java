package io.mailtls.policy;

import io.mailtls.api.MailEndpointPolicyStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What one turn of a policy came to: the status it now has, the interval its series show, and when
 * to look at it again (empty: only when the policy changes).
 */
public sealed interface RoundResult {
  MailEndpointPolicyStatus status();

  Duration interval();

  Optional<Duration> recheckAfter();

  /** The spec cannot be probed; the status says which fields are wrong. */
  record Invalid(MailEndpointPolicyStatus status) implements RoundResult {
    @Override
    public Duration interval() {
      return PolicyRequest.DEFAULT_INTERVAL;
    }

    @Override
    public Optional<Duration> recheckAfter() {
      return Optional.empty();
    }
  }

  /** spec.suspend: nothing probed; the last round's results stay. */
  record Suspended(MailEndpointPolicyStatus status, Duration interval) implements RoundResult {
    @Override
    public Optional<Duration> recheckAfter() {
      return Optional.empty();
    }
  }

  /** The last round is recent enough: the status is the previous one, unchanged. */
  record NotDue(MailEndpointPolicyStatus status, Duration interval, Duration dueIn)
      implements RoundResult {
    @Override
    public Optional<Duration> recheckAfter() {
      return Optional.of(dueIn);
    }
  }

  /** A probe round ran. */
  record Probed(
      MailEndpointPolicyStatus status,
      Duration interval,
      List<EndpointOutcome> outcomes,
      Duration recheck)
      implements RoundResult {
    @Override
    public Optional<Duration> recheckAfter() {
      return Optional.of(recheck);
    }
  }
}
