package io.mailtls.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtls.api.EndpointSpec;
import io.mailtls.api.EndpointStatus;
import io.mailtls.api.MailEndpointPolicySpec;
import io.mailtls.api.MailEndpointPolicyStatus;
import io.mailtls.api.StatusSummary;
import io.mailtls.dns.TestingDnsServer;
import io.mailtls.probe.EndpointProber;
import io.mailtls.probe.ProbeSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every case of a policy's turn, as the operator and the standalone mode both see it. */
class PolicyRoundTest {
  private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");

  /** Answers NXDOMAIN for every name: no test depends on the machine's resolver. */
  private static TestingDnsServer dns;

  private final PolicyRound round =
      new PolicyRound(
          new ProbeRound(
              new EndpointProber(
                  ProbeSettings.defaults()
                      .withTimeout(Duration.ofSeconds(2))
                      .withDnsServer(dns.address()))),
          Clock.fixed(NOW, ZoneOffset.UTC));

  @BeforeAll
  static void startDns() throws Exception {
    dns = TestingDnsServer.start();
  }

  @AfterAll
  static void stopDns() throws Exception {
    dns.close();
  }

  private static MailEndpointPolicySpec spec(String target, String interval, Boolean suspend) {
    return new MailEndpointPolicySpec(
        List.of(new EndpointSpec(target)), null, null, interval, "2s", suspend);
  }

  @Test
  void aSchemaValidPolicyThatCannotBeProbedGetsAStatusThatSaysWhy() {
    RoundResult result = round.next(spec("smtp://no-such-host.invalid", "1m", null), 1, null);

    assertThat(result).isInstanceOf(RoundResult.Probed.class);
    assertThat(result.interval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(result.recheckAfter().orElseThrow())
        .isBetween(Duration.ofMinutes(1), Duration.ofSeconds(66));
    MailEndpointPolicyStatus status = result.status();
    EndpointStatus endpoint = status.endpoints().getFirst();
    assertThat(endpoint.verdict()).isEqualTo("Unreachable");
    assertThat(endpoint.failure()).isEqualTo("DnsNameNotFound");
    assertThat(endpoint.message()).contains("no-such-host.invalid");
    assertThat(endpoint.acceptedVersions()).isEmpty();
    assertThat(status.summary()).isEqualTo(new StatusSummary(1, 0, 0, 1));
    assertThat(status.lastProbeTime()).isEqualTo("2026-11-30T10:00:00Z");
    assertThat(status.condition("Compliant").getStatus()).isEqualTo("False");
    assertThat(status.condition("Compliant").getReason()).isEqualTo("Unreachable");
  }

  @Test
  void aRecentRoundIsNotRepeatedAndTheStatusStaysAsItIs() {
    MailEndpointPolicyStatus previous =
        round.next(spec("smtp://no-such-host.invalid", "1m", null), 1, null).status();

    RoundResult result =
        new PolicyRound(
                new ProbeRound(new EndpointProber(ProbeSettings.defaults())),
                Clock.fixed(NOW.plusSeconds(20), ZoneOffset.UTC))
            .next(spec("smtp://no-such-host.invalid", "1m", null), 1, previous);

    assertThat(result).isInstanceOf(RoundResult.NotDue.class);
    assertThat(result.status()).isSameAs(previous);
    assertThat(result.recheckAfter()).contains(Duration.ofSeconds(40));
  }

  @Test
  void aSuspendedPolicyKeepsItsResultsAndIsNotLookedAtAgain() {
    RoundResult result = round.next(spec("smtp://no-such-host.invalid", "5m", true), 3, null);

    assertThat(result).isInstanceOf(RoundResult.Suspended.class);
    assertThat(result.interval()).isEqualTo(Duration.ofMinutes(5));
    assertThat(result.recheckAfter()).isEmpty();
    assertThat(result.status().observedGeneration()).isEqualTo(3);
    assertThat(result.status().condition("Ready").getReason()).isEqualTo("Suspended");
    assertThat(result.status().endpoints()).isEmpty();
  }

  @Test
  void anInvalidSpecNamesTheFieldAndShowsTheDefaultInterval() {
    RoundResult result = round.next(spec("http://mx.example.com", null, null), 2, null);

    assertThat(result).isInstanceOf(RoundResult.Invalid.class);
    assertThat(result.interval()).isEqualTo(PolicyRequest.DEFAULT_INTERVAL);
    assertThat(result.recheckAfter()).isEmpty();
    assertThat(result.status().condition("Ready").getReason()).isEqualTo("InvalidSpec");
    assertThat(result.status().condition("Ready").getMessage())
        .startsWith("spec.endpoints[0].target: unknown scheme 'http'");
    assertThat(result.status().condition("Compliant").getStatus()).isEqualTo("Unknown");
  }
}
