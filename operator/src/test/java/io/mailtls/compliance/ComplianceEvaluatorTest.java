package io.mailtls.compliance;

import static io.mailtls.tls.TlsVersion.SSL_3_0;
import static io.mailtls.tls.TlsVersion.TLS_1_0;
import static io.mailtls.tls.TlsVersion.TLS_1_1;
import static io.mailtls.tls.TlsVersion.TLS_1_2;
import static io.mailtls.tls.TlsVersion.TLS_1_3;
import static org.assertj.core.api.Assertions.assertThat;

import io.mailtls.probe.EndpointResult;
import io.mailtls.probe.Failure;
import io.mailtls.probe.FailureKind;
import io.mailtls.probe.ServerSoftware;
import io.mailtls.probe.TestingResults;
import io.mailtls.tls.TlsVersion;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ComplianceEvaluatorTest {
  private static final Failure REFUSED = TestingResults.REFUSED;

  private static EndpointResult result(
      ServerSoftware software, Set<TlsVersion> accepted, Set<TlsVersion> untested) {
    return TestingResults.result("smtp://mx.example.com", software, accepted, untested);
  }

  private static EndpointResult failed(Failure failure, ServerSoftware software) {
    return TestingResults.failed("smtp://mx.example.com", failure, software);
  }

  @Test
  void modernOnlyIsCompliant() {
    Assessment a =
        ComplianceEvaluator.assess(
            result(ServerSoftware.POSTFIX, Set.of(TLS_1_2, TLS_1_3), Set.of()),
            CompliancePolicy.DEFAULT);

    assertThat(a.verdict()).isEqualTo(Verdict.COMPLIANT);
    assertThat(a.explanation())
        .isEqualTo("accepts TLSv1.2, TLSv1.3 and nothing older than TLSv1.2");
    assertThat(a.remediation()).isNull();
  }

  @Test
  void oldBesidesModernIsDeprecated() {
    Assessment a =
        ComplianceEvaluator.assess(
            result(ServerSoftware.POSTFIX, Set.of(TLS_1_0, TLS_1_1, TLS_1_2, TLS_1_3), Set.of()),
            CompliancePolicy.DEFAULT);

    assertThat(a.verdict()).isEqualTo(Verdict.DEPRECATED_TLS_ACCEPTED);
    assertThat(a.verdict().reason()).isEqualTo("DeprecatedTLSAccepted");
    assertThat(a.explanation())
        .isEqualTo(
            "accepts deprecated TLSv1.0, TLSv1.1 besides TLSv1.2, TLSv1.3: a client can still be talked down to them");
    assertThat(a.remediation())
        .contains("smtpd_tls_protocols = >=TLSv1.2", "smtpd_tls_mandatory_protocols = >=TLSv1.2");
  }

  @Test
  void onlyOldVersionsIsNoModernTlsWithTheExchangeFix() {
    Assessment a =
        ComplianceEvaluator.assess(
            result(ServerSoftware.MICROSOFT_EXCHANGE, Set.of(TLS_1_0), Set.of()),
            CompliancePolicy.DEFAULT);

    assertThat(a.verdict()).isEqualTo(Verdict.NO_MODERN_TLS);
    assertThat(a.explanation())
        .startsWith(
            "accepts only TLSv1.0, nothing at or above TLSv1.2: mail with Exchange Online fails")
        .contains("421 4.4.2 Connection dropped due to SocketError");
    assertThat(a.remediation())
        .contains(
            "HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.2\\Client",
            "TLS 1.2\\Server",
            "DisabledByDefault=0 and Enabled=1",
            "updates",
            "restart");
  }

  @Test
  void strictPolicyMakesTls12Deprecated() {
    Assessment a =
        ComplianceEvaluator.assess(
            result(ServerSoftware.DOVECOT, Set.of(TLS_1_2, TLS_1_3), Set.of()),
            new CompliancePolicy(TLS_1_3, true));

    assertThat(a.verdict()).isEqualTo(Verdict.DEPRECATED_TLS_ACCEPTED);
    assertThat(a.remediation())
        .isEqualTo(
            "Set ssl_min_protocol = TLSv1.3 in dovecot.conf (conf.d/10-ssl.conf) and `doveadm reload`.");
  }

  @Test
  void sslv3AloneIsNoModernTls() {
    assertThat(
            ComplianceEvaluator.verdict(
                result(ServerSoftware.UNKNOWN, Set.of(SSL_3_0), Set.of()),
                CompliancePolicy.DEFAULT))
        .isEqualTo(Verdict.NO_MODERN_TLS);
  }

  @Test
  void nothingAcceptedIsNoModernTls() {
    Assessment a =
        ComplianceEvaluator.assess(
            result(ServerSoftware.UNKNOWN, Set.of(), Set.of()), CompliancePolicy.DEFAULT);

    assertThat(a.verdict()).isEqualTo(Verdict.NO_MODERN_TLS);
    assertThat(a.explanation())
        .startsWith("accepts no protocol version at all (SSLv3: TLS_ALERT: protocol_version;");
  }

  @Test
  void untestedOldVersionMakesAModernServerInconclusive() {
    Assessment a =
        ComplianceEvaluator.assess(
            result(ServerSoftware.UNKNOWN, Set.of(TLS_1_2), Set.of(TLS_1_0)),
            CompliancePolicy.DEFAULT);

    assertThat(a.verdict()).isEqualTo(Verdict.UNREACHABLE);
    assertThat(a.explanation())
        .isEqualTo("could not test TLSv1.0: CONNECTION_REFUSED: Connection refused");
  }

  @Test
  void deprecatedFoundIsCertainEvenIfSomethingWasNotTested() {
    assertThat(
            ComplianceEvaluator.verdict(
                result(ServerSoftware.UNKNOWN, Set.of(TLS_1_0, TLS_1_2), Set.of(SSL_3_0)),
                CompliancePolicy.DEFAULT))
        .isEqualTo(Verdict.DEPRECATED_TLS_ACCEPTED);
  }

  @Test
  void oldOnlyWithModernUntestedIsInconclusive() {
    assertThat(
            ComplianceEvaluator.verdict(
                result(ServerSoftware.UNKNOWN, Set.of(TLS_1_0), Set.of(TLS_1_3)),
                CompliancePolicy.DEFAULT))
        .isEqualTo(Verdict.UNREACHABLE);
  }

  @Test
  void noStartTlsIsStartTlsMissingUnlessThePolicyAllowsIt() {
    EndpointResult plain =
        failed(
            new Failure(FailureKind.STARTTLS_NOT_ADVERTISED, "EHLO reply does not list STARTTLS"),
            ServerSoftware.MICROSOFT_EXCHANGE);

    Assessment required = ComplianceEvaluator.assess(plain, CompliancePolicy.DEFAULT);
    Assessment optional = ComplianceEvaluator.assess(plain, new CompliancePolicy(TLS_1_2, false));

    assertThat(required.verdict()).isEqualTo(Verdict.STARTTLS_MISSING);
    assertThat(required.explanation())
        .isEqualTo(
            "does not offer STARTTLS, so mail goes in plain text: senders that insist on TLS fail with"
                + " \"451 5.7.3 Must issue a STARTTLS command first\"");
    assertThat(required.remediation())
        .contains("Set-ReceiveConnector", "Enable-ExchangeCertificate -Services SMTP");
    assertThat(optional.verdict()).isEqualTo(Verdict.COMPLIANT);
  }

  @Test
  void refusedStartTlsQuotesTheServer() {
    Assessment a =
        ComplianceEvaluator.assess(
            failed(
                new Failure(FailureKind.STARTTLS_REFUSED, "454 4.7.0 TLS not available"),
                ServerSoftware.POSTFIX),
            CompliancePolicy.DEFAULT);

    assertThat(a.verdict()).isEqualTo(Verdict.STARTTLS_MISSING);
    assertThat(a.explanation())
        .startsWith("refuses STARTTLS (454 4.7.0 TLS not available), so mail goes in plain text");
  }

  @Test
  void unreachableNamesTheFailureClass() {
    Assessment a =
        ComplianceEvaluator.assess(
            failed(REFUSED, ServerSoftware.UNKNOWN), CompliancePolicy.DEFAULT);

    assertThat(a.verdict()).isEqualTo(Verdict.UNREACHABLE);
    assertThat(a.explanation())
        .isEqualTo("could not be probed: CONNECTION_REFUSED: Connection refused");
  }

  @Test
  void eachSoftwareGetsItsOwnHint() {
    assertThat(Remediation.hint(Verdict.DEPRECATED_TLS_ACCEPTED, ServerSoftware.EXIM, TLS_1_2))
        .contains(
            "openssl_options = +no_sslv3 +no_tlsv1 +no_tlsv1_1",
            "NORMAL:-VERS-SSL3.0:-VERS-TLS1.0:-VERS-TLS1.1");
    assertThat(
            Remediation.hint(
                Verdict.DEPRECATED_TLS_ACCEPTED, ServerSoftware.MICROSOFT_EXCHANGE, TLS_1_2))
        .contains("TLS 1.0\\Server and TLS 1.1\\Server", "Enabled=0");
    assertThat(Remediation.hint(Verdict.NO_MODERN_TLS, ServerSoftware.UNKNOWN, TLS_1_2))
        .isEqualTo(
            "Configure the server to accept TLSv1.2 and newer only, updating it or its TLS library if it cannot negotiate TLSv1.2.");
  }
}
