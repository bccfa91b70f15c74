package io.mailtls.metrics;

import static io.mailtls.tls.TlsVersion.TLS_1_0;
import static io.mailtls.tls.TlsVersion.TLS_1_2;
import static io.mailtls.tls.TlsVersion.TLS_1_3;
import static org.assertj.core.api.Assertions.assertThat;

import io.mailtls.api.MailEndpointPolicyStatus;
import io.mailtls.compliance.ComplianceEvaluator;
import io.mailtls.compliance.CompliancePolicy;
import io.mailtls.compliance.DomainAssessments;
import io.mailtls.policy.EndpointOutcome;
import io.mailtls.policy.MxOrigin;
import io.mailtls.policy.PolicyStatusBuilder;
import io.mailtls.probe.Endpoint;
import io.mailtls.probe.EndpointResult;
import io.mailtls.probe.Failure;
import io.mailtls.probe.FailureKind;
import io.mailtls.probe.ServerSoftware;
import io.mailtls.probe.Target;
import io.mailtls.probe.TestingResults;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A /probe answer's series: probe_success, probe_duration_seconds, then the endpoint series. */
class ProbeSeriesTest {
  private static String text(MailEndpointPolicyStatus status, Duration took) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ExpositionFormats.init()
        .getPrometheusTextFormatWriter()
        .write(out, ProbeSeries.registry("mx", status, took).scrape());
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String samples(MailEndpointPolicyStatus status) throws Exception {
    return Arrays.stream(text(status, Duration.ofMillis(1250)).split("\n"))
        .filter(l -> !l.startsWith("#"))
        .sorted()
        .collect(Collectors.joining("\n"));
  }

  private static EndpointOutcome mxHost(EndpointResult result, int preference) {
    return new EndpointOutcome(
        new Target(result.endpoint(), null),
        new MxOrigin("example.com", preference),
        result,
        ComplianceEvaluator.assess(result, CompliancePolicy.DEFAULT),
        List.of());
  }

  private static MailEndpointPolicyStatus status(EndpointOutcome... outcomes) {
    return PolicyStatusBuilder.probed(
        null, 1, List.of(outcomes), Instant.parse("2026-12-01T10:00:00Z"), Duration.ZERO);
  }

  private static final EndpointResult MODERN =
      TestingResults.result(
          "smtp://mx1.example.com:25", ServerSoftware.POSTFIX, Set.of(TLS_1_2, TLS_1_3), Set.of());

  @Test
  void aDomainWithOneLegacyMxHostIsNoSuccessAndShowsBothHosts() throws Exception {
    EndpointResult legacy =
        TestingResults.result(
            "smtp://mx2.example.com:25",
            ServerSoftware.POSTFIX,
            Set.of(TLS_1_0, TLS_1_2),
            Set.of());
    String mx1 = "endpoint=\"smtp://mx1.example.com:25\",module=\"mx\",protocol=\"smtp\"";
    String mx2 = "endpoint=\"smtp://mx2.example.com:25\",module=\"mx\",protocol=\"smtp\"";

    assertThat(samples(status(mxHost(MODERN, 10), mxHost(legacy, 20))))
        .isEqualTo(
            String.join(
                "\n",
                "mailtls_endpoint_compliant{" + mx1 + "} 1.0",
                "mailtls_endpoint_compliant{" + mx2 + "} 0.0",
                "mailtls_endpoint_info{best_version=\"TLSv1.2\",domain=\"example.com\","
                    + mx2
                    + ",server_software=\"Postfix\",verdict=\"DeprecatedTLSAccepted\"} 1",
                "mailtls_endpoint_info{best_version=\"TLSv1.3\",domain=\"example.com\","
                    + mx1
                    + ",server_software=\"Postfix\",verdict=\"Compliant\"} 1",
                "mailtls_endpoint_last_probe_timestamp_seconds{" + mx1 + "} 0.0",
                "mailtls_endpoint_last_probe_timestamp_seconds{" + mx2 + "} 0.0",
                "mailtls_endpoint_tls_version_accepted{" + mx1 + ",tls_version=\"SSLv3\"} 0.0",
                "mailtls_endpoint_tls_version_accepted{" + mx1 + ",tls_version=\"TLSv1.0\"} 0.0",
                "mailtls_endpoint_tls_version_accepted{" + mx1 + ",tls_version=\"TLSv1.1\"} 0.0",
                "mailtls_endpoint_tls_version_accepted{" + mx1 + ",tls_version=\"TLSv1.2\"} 1.0",
                "mailtls_endpoint_tls_version_accepted{" + mx1 + ",tls_version=\"TLSv1.3\"} 1.0",
                "mailtls_endpoint_tls_version_accepted{" + mx2 + ",tls_version=\"SSLv3\"} 0.0",
                "mailtls_endpoint_tls_version_accepted{" + mx2 + ",tls_version=\"TLSv1.0\"} 1.0",
                "mailtls_endpoint_tls_version_accepted{" + mx2 + ",tls_version=\"TLSv1.1\"} 0.0",
                "mailtls_endpoint_tls_version_accepted{" + mx2 + ",tls_version=\"TLSv1.2\"} 1.0",
                "mailtls_endpoint_tls_version_accepted{" + mx2 + ",tls_version=\"TLSv1.3\"} 0.0",
                "mailtls_endpoint_up{" + mx1 + "} 1.0",
                "mailtls_endpoint_up{" + mx2 + "} 1.0",
                "probe_duration_seconds 1.25",
                "probe_success 0.0"));
  }

  @Test
  void successIsEveryEntryProbedAndMeetingThePolicy() throws Exception {
    EndpointOutcome nullMx =
        new EndpointOutcome(
            new Target(new Endpoint(io.mailtls.probe.MailProtocol.SMTP, "example.com", 25), null),
            new MxOrigin("example.com", null),
            EndpointResult.notProbed(
                new Target(
                    new Endpoint(io.mailtls.probe.MailProtocol.SMTP, "example.com", 25), null),
                List.of(),
                null,
                Instant.EPOCH),
            DomainAssessments.nullMx("example.com"),
            List.of());
    EndpointResult refused =
        TestingResults.failed(
            "smtp://mx3.example.com:25",
            new Failure(FailureKind.CONNECTION_REFUSED, "refused"),
            ServerSoftware.UNKNOWN);

    assertThat(samples(status(mxHost(MODERN, 10)))).contains("probe_success 1.0");
    // A null MX accepts no mail: nothing to fix, as mailtls_endpoint_compliant says.
    assertThat(samples(status(nullMx)))
        .contains("probe_success 1.0")
        .contains(
            "mailtls_endpoint_compliant{endpoint=\"mx://example.com\",module=\"mx\","
                + "protocol=\"smtp\"} 1.0");
    // One host not reached: not a success, and the reason is shown.
    assertThat(samples(status(mxHost(MODERN, 10), mxHost(refused, 20))))
        .contains("probe_success 0.0")
        .contains(
            "mailtls_probe_failure_info{endpoint=\"smtp://mx3.example.com:25\","
                + "failure=\"ConnectionRefused\",module=\"mx\",protocol=\"smtp\"} 1");
    // Nothing at all is never a success.
    assertThat(samples(status())).isEqualTo("probe_duration_seconds 1.25\nprobe_success 0.0");
  }

  @Test
  void theSeriesHaveTheHelpAndTypeABlackboxUserKnows() throws Exception {
    assertThat(text(status(mxHost(MODERN, 10)), Duration.ofMillis(1250)))
        .contains("# TYPE probe_success gauge\nprobe_success 1.0\n")
        .contains("# TYPE probe_duration_seconds gauge\nprobe_duration_seconds 1.25\n")
        .contains("# TYPE mailtls_endpoint_info gauge\n");
  }
}
