package io.mailtls.metrics;

import static io.mailtls.tls.TlsVersion.TLS_1_0;
import static io.mailtls.tls.TlsVersion.TLS_1_2;
import static io.mailtls.tls.TlsVersion.TLS_1_3;
import static org.assertj.core.api.Assertions.assertThat;

import io.mailtls.api.MailEndpointPolicyStatus;
import io.mailtls.compliance.ComplianceEvaluator;
import io.mailtls.compliance.CompliancePolicy;
import io.mailtls.policy.EndpointOutcome;
import io.mailtls.policy.PolicyStatusBuilder;
import io.mailtls.probe.EndpointResult;
import io.mailtls.probe.Failure;
import io.mailtls.probe.FailureKind;
import io.mailtls.probe.ServerSoftware;
import io.mailtls.probe.Target;
import io.mailtls.probe.TestingResults;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MailTlsMetricsTest {
  private final MailTlsMetrics metrics =
      new MailTlsMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));

  static EndpointOutcome outcome(EndpointResult result) {
    return new EndpointOutcome(
        new Target(result.endpoint(), null),
        null,
        result,
        ComplianceEvaluator.assess(result, CompliancePolicy.DEFAULT),
        List.of());
  }

  static List<EndpointOutcome> round() {
    return List.of(
        outcome(
            TestingResults.result(
                "smtp://mx1.example.com:25",
                ServerSoftware.POSTFIX,
                Set.of(TLS_1_0, TLS_1_2, TLS_1_3),
                Set.of())),
        outcome(
            TestingResults.failed(
                "imaps://mail.example.com:993",
                new Failure(FailureKind.CONNECTION_REFUSED, "refused"),
                ServerSoftware.UNKNOWN)));
  }

  private String mailtlsLines() {
    return Arrays.stream(metrics.scrape().split("\n"))
        .filter(l -> l.startsWith("mailtls_endpoint") || l.startsWith("mailtls_policy"))
        .sorted()
        .collect(Collectors.joining("\n"));
  }

  @Test
  void exposesTheExactSeriesOfAKnownResult() {
    List<EndpointOutcome> outcomes = round();
    MailEndpointPolicyStatus status =
        PolicyStatusBuilder.probed(
            null, 1, outcomes, Instant.parse("2026-11-28T10:00:00Z"), Duration.ZERO);
    metrics.recordRound(outcomes);
    metrics.show("mail", "edge", Duration.ofMinutes(15), status);

    String mx =
        "endpoint=\"smtp://mx1.example.com:25\",namespace=\"mail\",policy=\"edge\",protocol=\"smtp\"";
    String imaps =
        "endpoint=\"imaps://mail.example.com:993\",namespace=\"mail\",policy=\"edge\",protocol=\"imaps\"";
    assertThat(mailtlsLines())
        .isEqualTo(
            String.join(
                "\n",
                "mailtls_endpoint_compliant{" + imaps + "} 0.0",
                "mailtls_endpoint_compliant{" + mx + "} 0.0",
                "mailtls_endpoint_info{best_version=\"\",endpoint=\"imaps://mail.example.com:993\",namespace=\"mail\",policy=\"edge\",protocol=\"imaps\",server_software=\"\",verdict=\"Unreachable\"} 1",
                "mailtls_endpoint_info{best_version=\"TLSv1.3\",endpoint=\"smtp://mx1.example.com:25\",namespace=\"mail\",policy=\"edge\",protocol=\"smtp\",server_software=\"Postfix\",verdict=\"DeprecatedTLSAccepted\"} 1",
                "mailtls_endpoint_last_probe_timestamp_seconds{" + imaps + "} 0.0",
                "mailtls_endpoint_last_probe_timestamp_seconds{" + mx + "} 0.0",
                "mailtls_endpoint_tls_version_accepted{" + mx + ",tls_version=\"SSLv3\"} 0.0",
                "mailtls_endpoint_tls_version_accepted{" + mx + ",tls_version=\"TLSv1.0\"} 1.0",
                "mailtls_endpoint_tls_version_accepted{" + mx + ",tls_version=\"TLSv1.1\"} 0.0",
                "mailtls_endpoint_tls_version_accepted{" + mx + ",tls_version=\"TLSv1.2\"} 1.0",
                "mailtls_endpoint_tls_version_accepted{" + mx + ",tls_version=\"TLSv1.3\"} 1.0",
                "mailtls_endpoint_up{" + imaps + "} 0.0",
                "mailtls_endpoint_up{" + mx + "} 1.0",
                "mailtls_policy_interval_seconds{namespace=\"mail\",policy=\"edge\"} 900.0"));
    assertThat(metrics.scrape())
        .contains("mailtls_probe_failures_total{reason=\"ConnectionRefused\"} 1.0")
        .contains("mailtls_probe_duration_seconds_count{protocol=\"smtp\"} 1")
        .contains("mailtls_probe_duration_seconds_bucket{protocol=\"smtp\",le=\"0.05\"} 1");
  }

  @Test
  void aRemovedEndpointAndADeletedPolicyLoseTheirSeriesAtOnce() {
    List<EndpointOutcome> outcomes = round();
    Instant t0 = Instant.parse("2026-11-28T10:00:00Z");
    metrics.show(
        "mail",
        "edge",
        Duration.ofMinutes(15),
        PolicyStatusBuilder.probed(null, 1, outcomes, t0, Duration.ZERO));
    metrics.show(
        "mail",
        "edge",
        Duration.ofMinutes(15),
        PolicyStatusBuilder.probed(null, 2, outcomes.subList(0, 1), t0, Duration.ZERO));
    assertThat(mailtlsLines()).doesNotContain("imaps://").contains("smtp://mx1.example.com:25");

    metrics.remove("mail", "edge");
    assertThat(mailtlsLines()).isEmpty();
  }

  @Test
  void aChangedVerdictReplacesItsInfoSeries() {
    Instant t0 = Instant.parse("2026-11-28T10:00:00Z");
    EndpointOutcome fixed =
        outcome(
            TestingResults.result(
                "smtp://mx1.example.com:25",
                ServerSoftware.POSTFIX,
                Set.of(TLS_1_2, TLS_1_3),
                Set.of()));
    metrics.show(
        "mail",
        "edge",
        Duration.ofMinutes(15),
        PolicyStatusBuilder.probed(null, 1, round().subList(0, 1), t0, Duration.ZERO));
    metrics.show(
        "mail",
        "edge",
        Duration.ofMinutes(15),
        PolicyStatusBuilder.probed(null, 1, List.of(fixed), t0, Duration.ZERO));
    assertThat(mailtlsLines())
        .contains("verdict=\"Compliant\"")
        .doesNotContain("DeprecatedTLSAccepted")
        .contains(
            "mailtls_endpoint_tls_version_accepted{endpoint=\"smtp://mx1.example.com:25\",namespace=\"mail\",policy=\"edge\",protocol=\"smtp\",tls_version=\"TLSv1.0\"} 0.0");
  }

  /** A stored entry that makes no sense (edited by hand, another version) shows no series. */
  @Test
  void anUnreadableStoredEntryIsLeftOutAndTheOthersAreShown() {
    MailEndpointPolicyStatus good =
        PolicyStatusBuilder.probed(
            null, 1, round().subList(0, 1), Instant.parse("2026-11-28T10:00:00Z"), Duration.ZERO);
    io.mailtls.api.EndpointStatus broken =
        new io.mailtls.api.EndpointStatus(
            "gopher://x",
            null,
            List.of("TLSv9"),
            null,
            null,
            "Compliant",
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null);
    List<io.mailtls.api.EndpointStatus> entries = new java.util.ArrayList<>(good.endpoints());
    entries.add(broken);

    metrics.show(
        "mail",
        "edge",
        Duration.ofMinutes(15),
        new MailEndpointPolicyStatus(1L, null, good.summary(), entries, null));

    assertThat(mailtlsLines()).contains("smtp://mx1.example.com:25").doesNotContain("gopher");
  }

  private static EndpointOutcome outcome(
      EndpointResult result, String serverName, io.mailtls.policy.MxOrigin origin) {
    return new EndpointOutcome(
        new Target(result.endpoint(), serverName),
        origin,
        result,
        ComplianceEvaluator.assess(result, CompliancePolicy.DEFAULT),
        List.of());
  }

  private static MailEndpointPolicyStatus probed(List<EndpointOutcome> outcomes) {
    return PolicyStatusBuilder.probed(
        null, 1, outcomes, Instant.parse("2026-11-28T10:00:00Z"), Duration.ZERO);
  }

  /**
   * A target a policy holds more than once (under two serverNames, as the MX host of two domains)
   * would give two samples with the same labels, which fails the whole scrape: every policy's
   * series, for every scraper. Each entry gets an endpoint label of its own instead.
   */
  @Test
  void aTargetHeldTwiceIsShownOncePerEntryAndNoOtherPolicyIsLost() {
    EndpointResult modern =
        TestingResults.result(
            "smtp://mx1.example.com:25",
            ServerSoftware.POSTFIX,
            Set.of(TLS_1_2, TLS_1_3),
            Set.of());
    EndpointResult legacy =
        TestingResults.result(
            "smtp://mx1.example.com:25",
            ServerSoftware.POSTFIX,
            Set.of(TLS_1_0, TLS_1_2, TLS_1_3),
            Set.of());
    metrics.show(
        "mail",
        "vhosts",
        Duration.ofMinutes(15),
        probed(List.of(outcome(modern, "a.example", null), outcome(legacy, "b.example", null))));
    metrics.show(
        "mail",
        "shared-mx",
        Duration.ofMinutes(15),
        probed(
            List.of(
                outcome(modern, null, new io.mailtls.policy.MxOrigin("one.example", 10)),
                outcome(modern, null, new io.mailtls.policy.MxOrigin("two.example", 20)))));
    metrics.show("mail", "edge", Duration.ofMinutes(15), probed(round()));

    assertThat(mailtlsLines())
        .contains(
            "mailtls_endpoint_compliant{endpoint=\"smtp://mx1.example.com:25 (a.example)\",namespace=\"mail\",policy=\"vhosts\",protocol=\"smtp\"} 1.0",
            "mailtls_endpoint_compliant{endpoint=\"smtp://mx1.example.com:25 (b.example)\",namespace=\"mail\",policy=\"vhosts\",protocol=\"smtp\"} 0.0",
            "mailtls_endpoint_compliant{endpoint=\"smtp://mx1.example.com:25 (MX of one.example)\",namespace=\"mail\",policy=\"shared-mx\",protocol=\"smtp\"} 1.0",
            "mailtls_endpoint_compliant{endpoint=\"smtp://mx1.example.com:25 (MX of two.example)\",namespace=\"mail\",policy=\"shared-mx\",protocol=\"smtp\"} 1.0",
            "mailtls_endpoint_compliant{endpoint=\"smtp://mx1.example.com:25\",namespace=\"mail\",policy=\"edge\",protocol=\"smtp\"} 0.0");
    assertThat(metrics.scrape())
        .contains("mailtls_metrics_render_failures_total{kind=\"endpoint\"} 0.0");
  }

  /** Entries that nothing tells apart are one endpoint, with the worst verdict among them. */
  @Test
  void entriesThatNothingTellsApartAreOneEndpointAtTheWorstVerdict() {
    EndpointResult modern =
        TestingResults.result(
            "smtp://mx1.example.com:25",
            ServerSoftware.POSTFIX,
            Set.of(TLS_1_2, TLS_1_3),
            Set.of());
    EndpointResult legacy =
        TestingResults.result(
            "smtp://mx1.example.com:25",
            ServerSoftware.POSTFIX,
            Set.of(TLS_1_0, TLS_1_2),
            Set.of());

    metrics.show(
        "mail",
        "twice",
        Duration.ofMinutes(15),
        probed(List.of(outcome(modern, null, null), outcome(legacy, null, null))));

    assertThat(mailtlsLines())
        .contains(
            "mailtls_endpoint_compliant{endpoint=\"smtp://mx1.example.com:25\",namespace=\"mail\",policy=\"twice\",protocol=\"smtp\"} 0.0")
        .doesNotContain("verdict=\"Compliant\"");
  }

  /**
   * Whatever else makes one policy's series fail to render (a bug, a stored status that the
   * collector cannot label) leaves that policy out of the scrape, alone, and is counted.
   */
  @Test
  void aPolicyThatCannotBeRenderedIsLeftOutAloneAndCounted() {
    MailEndpointPolicyStatus good = probed(round().subList(0, 1));
    io.mailtls.api.EndpointStatus entry = good.endpoints().getFirst();
    io.mailtls.api.EndpointStatus withoutAddress =
        new io.mailtls.api.EndpointStatus(
            entry.target(),
            entry.serverName(),
            entry.acceptedVersions(),
            entry.untestedVersions(),
            entry.verdict(),
            entry.failure(),
            entry.message(),
            entry.remediation(),
            entry.bestVersion(),
            entry.certificateNotAfter(),
            entry.serverSoftware(),
            entry.lastProbeTime(),
            entry.domain(),
            entry.mxPreference(),
            List.of(new io.mailtls.api.AddressStatus(null, "Compliant", null, null)));
    metrics.show(
        "mail",
        "hand-edited",
        Duration.ofMinutes(15),
        new MailEndpointPolicyStatus(1L, null, good.summary(), List.of(withoutAddress), null));
    metrics.show("mail", "edge", Duration.ofMinutes(15), good);

    String scrape = metrics.scrape();
    assertThat(scrape)
        .contains("policy=\"edge\"")
        .doesNotContain("hand-edited")
        .contains("mailtls_metrics_render_failures_total{kind=\"endpoint\"} 1.0");
    assertThat(metrics.scrape())
        .contains("mailtls_metrics_render_failures_total{kind=\"endpoint\"} 2.0");
  }

  @Test
  void theServiceRegistryNamesItsBuildAndHasTheStandardProcessSeries() {
    BuildInfo build = BuildInfo.current();

    String scrape = MailTlsMetrics.withJvmMetrics().scrape();

    assertThat(scrape)
        .contains(
            "mailtls_build_info{commit=\""
                + build.commit()
                + "\",version=\""
                + build.version()
                + "\"} 1")
        .containsPattern("(?m)^process_cpu_seconds_total [0-9.E]+$")
        .containsPattern("(?m)^process_resident_memory_bytes [0-9.E]+$")
        .containsPattern("(?m)^process_open_fds [0-9.E]+$")
        .containsPattern("(?m)^process_start_time_seconds [0-9.E]+$");
  }
}
