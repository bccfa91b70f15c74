package io.mailtls.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtls.compliance.ComplianceEvaluator;
import io.mailtls.compliance.CompliancePolicy;
import io.mailtls.policy.EndpointOutcome;
import io.mailtls.probe.Endpoint;
import io.mailtls.probe.EndpointResult;
import io.mailtls.probe.MailProtocol;
import io.mailtls.probe.ServerSoftware;
import io.mailtls.probe.Target;
import io.mailtls.probe.TestingResults;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The table's columns line up on what is printed, whatever the names hold. */
class TableRendererTest {
  private final StringWriter text = new StringWriter();

  private static EndpointOutcome outcome(Endpoint endpoint) {
    EndpointResult r =
        TestingResults.failed(
            "smtp://127.0.0.1:25", TestingResults.REFUSED, ServerSoftware.UNKNOWN);
    EndpointResult at =
        new EndpointResult(
            endpoint,
            r.serverName(),
            r.address(),
            r.acceptedVersions(),
            r.bestVersion(),
            r.bestCipherSuite(),
            r.startTlsAdvertised(),
            r.banner(),
            r.serverSoftware(),
            r.certificate(),
            r.failure(),
            r.versions(),
            r.probedAt(),
            r.durationMillis());
    return new EndpointOutcome(
        new Target(endpoint, null),
        null,
        at,
        ComplianceEvaluator.assess(at, CompliancePolicy.DEFAULT),
        List.of());
  }

  @Test
  void aTargetIsMeasuredAsTheRowNamesIt() {
    TableRenderer table = new TableRenderer(new PrintWriter(text), List.of("smtp://127.0.0.1"));

    table.header();
    table.row(outcome(Endpoint.parse("smtp://127.0.0.1"))); // printed smtp://127.0.0.1:25

    List<String> lines = text.toString().lines().toList();
    assertThat(lines.get(1)).startsWith("smtp://127.0.0.1:25  ?  ");
    assertThat(lines.get(1).indexOf("?")).isEqualTo(lines.get(0).indexOf("SSLv3"));
    assertThat(lines.get(1).indexOf("UNREACHABLE")).isEqualTo(lines.get(0).indexOf("VERDICT"));
  }

  @Test
  void controlCharactersInANameAreNotPrintedNorCounted() {
    Endpoint hostile = new Endpoint(MailProtocol.SMTP, "mx\u001b[31m\u200e.example", 25);
    TableRenderer table = new TableRenderer(new PrintWriter(text), List.of(hostile.toString()));

    table.header();
    table.row(outcome(hostile));

    List<String> lines = text.toString().lines().toList();
    assertThat(text.toString().chars().filter(c -> c == 0x1b || c == 0x200e)).isEmpty();
    assertThat(lines.get(1)).startsWith("smtp://mx[31m.example:25  ?");
    assertThat(lines.get(1).indexOf("?")).isEqualTo(lines.get(0).indexOf("SSLv3"));
    assertThat(lines.get(1).indexOf("UNREACHABLE")).isEqualTo(lines.get(0).indexOf("VERDICT"));
  }
}
