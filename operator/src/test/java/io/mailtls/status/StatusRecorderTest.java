package io.mailtls.status;

import static io.mailtls.policy.PolicyStatusBuilderTest.T0;
import static io.mailtls.policy.PolicyStatusBuilderTest.outcome;
import static io.mailtls.policy.PolicyStatusBuilderTest.refused;
import static io.mailtls.tls.TlsVersion.TLS_1_2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailtls.api.MailEndpointPolicyStatus;
import io.mailtls.metrics.MailTlsMetrics;
import io.mailtls.policy.EndpointOutcome;
import io.mailtls.policy.PolicyStatusBuilder;
import io.mailtls.policy.RoundResult;
import io.mailtls.policy.VerdictChange;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Written, then shown, then told: in that order, and nothing shown that was not written. */
class StatusRecorderTest {
  private static final PolicyRef POLICY = new PolicyRef("mail", "edge", "uid-1");
  private static final Duration INTERVAL = Duration.ofMinutes(15);

  private final MailTlsMetrics metrics =
      new MailTlsMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  private final List<String> published = new ArrayList<>();
  private final StatusRecorder recorder =
      new StatusRecorder(
          metrics,
          (policy, changes) -> changes.forEach(c -> published.add(policy + " " + c.reason())));

  private static RoundResult.Probed probed(EndpointOutcome... outcomes) {
    MailEndpointPolicyStatus status =
        PolicyStatusBuilder.probed(null, 1, List.of(outcomes), T0, Duration.ZERO);
    return new RoundResult.Probed(status, INTERVAL, List.of(outcomes), INTERVAL);
  }

  private String endpointSeries() {
    return metrics
        .scrape()
        .lines()
        .filter(l -> l.startsWith("mailtls_endpoint_up") || l.startsWith("mailtls_policy"))
        .sorted()
        .toList()
        .toString();
  }

  @Test
  void aProbedRoundIsWrittenThenShownThenItsChangesPublished() {
    List<MailEndpointPolicyStatus> written = new ArrayList<>();
    RoundResult.Probed round =
        probed(outcome("smtp://a.example:25", Set.of(TLS_1_2)), refused("smtp://b.example:25"));

    boolean recorded =
        recorder.record(
            POLICY,
            null,
            round,
            status -> {
              assertThat(endpointSeries()).isEqualTo("[]"); // nothing shown before the write
              written.add(status);
              return true;
            });

    assertThat(recorded).isTrue();
    assertThat(written).containsExactly(round.status());
    assertThat(endpointSeries())
        .isEqualTo(
            "[mailtls_endpoint_up{endpoint=\"smtp://a.example:25\",namespace=\"mail\",policy=\"edge\",protocol=\"smtp\"} 1.0,"
                + " mailtls_endpoint_up{endpoint=\"smtp://b.example:25\",namespace=\"mail\",policy=\"edge\",protocol=\"smtp\"} 0.0,"
                + " mailtls_policy_interval_seconds{namespace=\"mail\",policy=\"edge\"} 900.0]");
    assertThat(published).containsExactly("mail/edge Unreachable");
    assertThat(metrics.scrape())
        .contains("mailtls_probe_failures_total{reason=\"ConnectionRefused\"} 1.0");
  }

  @Test
  void aFailedWriteShowsAndPublishesNothingAndCanBeRecordedAgain() {
    RoundResult.Probed round = probed(refused("smtp://b.example:25"));

    assertThatThrownBy(
            () ->
                recorder.record(
                    POLICY,
                    null,
                    round,
                    status -> {
                      throw new IllegalStateException("API server said 500");
                    }))
        .hasMessage("API server said 500");
    assertThat(endpointSeries()).isEqualTo("[]");
    assertThat(published).isEmpty();

    assertThat(recorder.record(POLICY, null, round, status -> true)).isTrue();
    assertThat(published).containsExactly("mail/edge Unreachable");
    assertThat(metrics.scrape())
        .contains("mailtls_probe_failures_total{reason=\"ConnectionRefused\"} 1.0");
  }

  @Test
  void aPolicyDeletedMeanwhileIsNotShown() {
    boolean recorded =
        recorder.record(POLICY, null, probed(refused("smtp://b.example:25")), status -> false);

    assertThat(recorded).isFalse();
    assertThat(endpointSeries()).isEqualTo("[]");
    assertThat(published).isEmpty();
  }

  @Test
  void anUnchangedStatusIsShownWithoutWritingIt() {
    MailEndpointPolicyStatus stored = probed(refused("smtp://b.example:25")).status();

    boolean recorded =
        recorder.record(
            POLICY,
            stored,
            new RoundResult.NotDue(stored, INTERVAL, Duration.ofMinutes(3)),
            status -> {
              throw new AssertionError("an unchanged status must not be written");
            });

    assertThat(recorded).isTrue();
    assertThat(endpointSeries()).contains("smtp://b.example:25").contains("900.0");
    assertThat(published).isEmpty();
    assertThat(metrics.scrape()).doesNotContain("mailtls_probe_failures_total{");

    recorder.forget(POLICY);
    assertThat(endpointSeries()).isEqualTo("[]");
  }

  @Test
  void verdictChangesAreComparedWithTheStoredStatus() {
    MailEndpointPolicyStatus before = probed(refused("smtp://b.example:25")).status();
    RoundResult.Probed again = probed(refused("smtp://b.example:25"));

    recorder.record(POLICY, before, again, status -> true);

    assertThat(published).isEmpty();
    assertThat(VerdictChange.between(null, again.status())).hasSize(1);
  }
}
