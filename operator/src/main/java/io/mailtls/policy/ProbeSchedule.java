package io.mailtls.policy;

import io.mailtls.api.MailEndpointPolicyStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a policy is probed next. A policy is due when its spec changed since the last round, when it
 * never had one, or when its interval has passed since the last round started; so a restarted
 * operator (or a new leader) does not probe everything at once, and a spec edit re-probes at once.
 */
public final class ProbeSchedule {
  /** Re-probes are spread over up to a tenth of the interval, so policies do not move in step. */
  static final double JITTER = 0.1;

  private ProbeSchedule() {}

  /** Zero or negative when due now, else how long until it is. */
  public static Duration untilDue(
      MailEndpointPolicyStatus status, long generation, Duration interval, Instant now) {
    if (status == null
        || status.lastProbeTime() == null
        || status.observedGeneration() == null
        || status.observedGeneration() != generation) {
      return Duration.ZERO;
    }
    Instant due = Instant.parse(status.lastProbeTime()).plus(interval);
    return Duration.between(now, due);
  }

  /** The wait after a round: the interval plus a random share of up to {@link #JITTER} of it. */
  public static Duration afterRound(Duration interval) {
    long jitterMillis =
        (long) (interval.toMillis() * JITTER * ThreadLocalRandom.current().nextDouble());
    return interval.plusMillis(jitterMillis);
  }
}
