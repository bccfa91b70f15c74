package io.mailtls.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtls.api.MailEndpointPolicyStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class ProbeScheduleTest {
  private static final Duration INTERVAL = Duration.ofMinutes(15);
  private static final Instant NOW = Instant.parse("2026-11-28T10:10:00Z");

  private static MailEndpointPolicyStatus probedAt(String time, long generation) {
    return new MailEndpointPolicyStatus(generation, time, null, List.of(), List.of());
  }

  @Test
  void aPolicyNeverProbedIsDue() {
    assertThat(ProbeSchedule.untilDue(null, 1, INTERVAL, NOW)).isEqualTo(Duration.ZERO);
  }

  @Test
  void aSpecChangeMakesItDueAtOnce() {
    assertThat(ProbeSchedule.untilDue(probedAt("2026-11-28T10:05:00Z", 1), 2, INTERVAL, NOW))
        .isEqualTo(Duration.ZERO);
  }

  @Test
  void otherwiseItWaitsForTheRestOfTheInterval() {
    // A restarted operator sees a policy probed 5 minutes ago: 10 minutes to go.
    assertThat(ProbeSchedule.untilDue(probedAt("2026-11-28T10:00:00Z", 1), 1, INTERVAL, NOW))
        .isEqualTo(Duration.ofMinutes(5));
    assertThat(ProbeSchedule.untilDue(probedAt("2026-11-28T09:50:00Z", 1), 1, INTERVAL, NOW))
        .isNegative();
  }

  @RepeatedTest(20)
  void jitterAddsUpToATenthOfTheInterval() {
    assertThat(ProbeSchedule.afterRound(INTERVAL))
        .isBetween(INTERVAL, INTERVAL.plus(Duration.ofSeconds(90)));
  }
}
