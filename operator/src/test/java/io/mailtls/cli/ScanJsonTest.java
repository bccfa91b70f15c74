package io.mailtls.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtls.compliance.ComplianceEvaluator;
import io.mailtls.compliance.CompliancePolicy;
import io.mailtls.policy.EndpointOutcome;
import io.mailtls.probe.CertificateInfo;
import io.mailtls.probe.EndpointResult;
import io.mailtls.probe.Failure;
import io.mailtls.probe.FailureKind;
import io.mailtls.probe.ServerSoftware;
import io.mailtls.probe.Target;
import io.mailtls.probe.TestingResults;
import io.mailtls.tls.TlsVersion;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Schema version 1 of {@code scan -o json}, byte for byte. If this fails, the published document
 * changed: add fields (never rename or remove them) and update the golden file on purpose.
 */
class ScanJsonTest {

  private static List<EndpointOutcome> outcomes() {
    return Stream.of(modern(), legacy(), refused(), forbidden(), noStartTls())
        .map(
            r ->
                new EndpointOutcome(
                    new Target(r.endpoint(), null),
                    null,
                    r,
                    ComplianceEvaluator.assess(r, CompliancePolicy.DEFAULT),
                    List.of()))
        .toList();
  }

  private static final Instant GENERATED_AT = Instant.parse("2026-11-30T10:00:05Z");

  /** The document as the scan writes it: endpoints spooled as they finish, in any order. */
  private static String streamed(List<EndpointOutcome> outcomes, List<Integer> finishOrder)
      throws Exception {
    StringWriter text = new StringWriter();
    try (Spool spool = new Spool()) {
      ScanJson.Document document = new ScanJson.Document(ScanCommand.jsonMapper(), spool);
      for (int i : finishOrder) {
        document.add(i, new ScanReport.Entry(outcomes.get(i)));
      }
      document.write(
          ScanReport.of(outcomes, CompliancePolicy.DEFAULT.minimumVersion(), GENERATED_AT),
          new PrintWriter(text));
    }
    return text.toString();
  }

  @Test
  void theDocumentMatchesTheGoldenFile() throws Exception {
    String json = streamed(outcomes(), List.of(3, 0, 4, 2, 1));

    String golden;
    try (var in = getClass().getResourceAsStream("scan-report-v1.json")) {
      golden = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(json).isEqualTo(golden);
  }

  @Test
  void theStreamedDocumentIsWhatJacksonWritesForTheWholeDocument() throws Exception {
    for (int n = 0; n <= 5; n++) {
      List<EndpointOutcome> outcomes = outcomes().subList(0, n);
      ScanReport report =
          ScanReport.of(outcomes, CompliancePolicy.DEFAULT.minimumVersion(), GENERATED_AT);
      String whole =
          ScanCommand.jsonMapper()
              .writeValueAsString(
                  ScanJson.of(
                      report,
                      outcomes.stream()
                          .map(o -> ScanJson.endpoint(new ScanReport.Entry(o)))
                          .toList()));

      assertThat(streamed(outcomes, IntStream.range(0, n).boxed().toList()))
          .as("%d endpoints", n)
          .isEqualTo(whole + System.lineSeparator());
    }
  }

  private static EndpointResult modern() {
    EndpointResult r =
        TestingResults.result(
            "smtp://mx1.example.com:25",
            ServerSoftware.POSTFIX,
            Set.of(TlsVersion.TLS_1_2, TlsVersion.TLS_1_3),
            Set.of());
    CertificateInfo certificate =
        new CertificateInfo(
            "CN=mx1.example.com",
            List.of("mx1.example.com"),
            "CN=Example CA",
            Instant.parse("2026-01-01T00:00:00Z"),
            Instant.parse("2027-01-01T00:00:00Z"),
            false,
            "PKIX path building failed",
            "mx1.example.com",
            true);
    return new EndpointResult(
        r.endpoint(),
        "mx1.example.com",
        r.address(),
        r.acceptedVersions(),
        r.bestVersion(),
        "TLS_AES_128_GCM_SHA256",
        true,
        "220 mx1 ESMTP Postfix",
        r.serverSoftware(),
        certificate,
        null,
        r.versions(),
        Instant.parse("2026-11-30T10:00:00Z"),
        42);
  }

  private static EndpointResult legacy() {
    return TestingResults.result(
        "imap://mail.example.com:143",
        ServerSoftware.DOVECOT,
        Set.of(TlsVersion.TLS_1_0),
        Set.of(TlsVersion.SSL_3_0));
  }

  private static EndpointResult refused() {
    return TestingResults.failed(
        "pop3s://[2001:db8::1]:995",
        new Failure(FailureKind.CONNECTION_REFUSED, "Connection refused"),
        ServerSoftware.UNKNOWN);
  }

  private static EndpointResult forbidden() {
    return TestingResults.failed(
        "smtp://10.0.0.1:2525",
        new Failure(FailureKind.FORBIDDEN, "port 2525 is not allowed"),
        ServerSoftware.UNKNOWN);
  }

  private static EndpointResult noStartTls() {
    return TestingResults.failed(
        "submission://relay.example.com:587",
        new Failure(FailureKind.STARTTLS_NOT_ADVERTISED, "no STARTTLS in EHLO"),
        ServerSoftware.MICROSOFT_EXCHANGE);
  }
}
