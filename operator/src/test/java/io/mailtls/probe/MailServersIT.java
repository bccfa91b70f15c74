package io.mailtls.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.mailtls.TestingProject;
import io.mailtls.compliance.ComplianceEvaluator;
import io.mailtls.compliance.CompliancePolicy;
import io.mailtls.compliance.Verdict;
import io.mailtls.tls.TlsVersion;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The engine against real Postfix, Dovecot and openssl s_server listeners on loopback, each with
 * its own TLS floor (see testbed/README.md). Every case asserts the exact accepted-version set.
 */
@ExtendWith(Testbed.class)
class MailServersIT {
  private static EndpointProber prober;

  @BeforeAll
  static void prober() {
    prober =
        new EndpointProber(
            ProbeSettings.defaults()
                .withTimeout(Duration.ofSeconds(10))
                .withCaFile(Testbed.caFile()));
  }

  private static List<TlsVersion> versions(String labels) {
    return labels.isBlank()
        ? List.of()
        : Arrays.stream(labels.split(" ")).map(TlsVersion::fromLabel).toList();
  }

  /** The table below names every listener of testbed/listeners.txt, with the versions it lists. */
  @Test
  void theTableCoversEveryTestbedListener() throws Exception {
    CsvSource table =
        getClass()
            .getDeclaredMethod(
                "acceptedVersionsAndVerdict",
                String.class,
                String.class,
                Verdict.class,
                String.class,
                VersionResult.VersionStatus.class)
            .getAnnotation(CsvSource.class);
    Map<String, String> inTable = new TreeMap<>();
    for (String row : table.value()) {
      String[] f = row.split("\\|");
      inTable.put(f[0].strip(), f[1].strip().replace("''", ""));
    }
    Map<String, String> inFile = new TreeMap<>();
    for (String line : Files.readAllLines(TestingProject.ROOT.resolve("testbed/listeners.txt"))) {
      if (!line.isBlank() && !line.startsWith("#")) {
        String[] f = line.split("\\|");
        inFile.put(
            f[6] + "://127.0.0.1:" + f[0],
            f[4].equals("-")
                ? ""
                : f[4].replace("TLSv1 ", "TLSv1.0 ").replaceAll("TLSv1$", "TLSv1.0"));
      }
    }
    assertThat(inTable).isEqualTo(inFile);
  }

  // Implicit-TLS endpoints greet only after a handshake: the JDK completes one (TLS 1.2 or 1.3)
  // to read it. openssl s_server never greets, and 24466 speaks TLS 1.0 only: unknown.
  @ParameterizedTest(name = "{0} accepts [{1}]: {2}, SSLv3 {4}")
  @CsvSource(
      delimiter = '|',
      value = {
        "smtp://127.0.0.1:24025  | TLSv1.2 TLSv1.3                 | COMPLIANT               | Postfix | REJECTED",
        "smtp://127.0.0.1:24026  | TLSv1.0 TLSv1.1 TLSv1.2 TLSv1.3 | DEPRECATED_TLS_ACCEPTED | Postfix | REJECTED",
        "smtp://127.0.0.1:24027  | ''                              | STARTTLS_MISSING        | Postfix | NOT_TESTED",
        "smtp://127.0.0.1:24028  | TLSv1.0 TLSv1.1                 | NO_MODERN_TLS           | Postfix | REJECTED",
        // One session at a time: four of the five versions get 421 and are tried again serially.
        "smtp://127.0.0.1:24029  | TLSv1.2 TLSv1.3                 | COMPLIANT               | Postfix | REJECTED",
        // postscreen: its "220-" line, then smtpd's "220 ", and one connection at a time.
        "smtp://127.0.0.1:24031  | TLSv1.2 TLSv1.3                 | COMPLIANT               | Postfix | REJECTED",
        "smtps://127.0.0.1:24465 | TLSv1.2 TLSv1.3                 | COMPLIANT               | Postfix | REJECTED",
        "imap://127.0.0.1:24143  | TLSv1.0 TLSv1.1 TLSv1.2 TLSv1.3 | DEPRECATED_TLS_ACCEPTED | Dovecot | REJECTED",
        "imaps://127.0.0.1:24993 | TLSv1.2 TLSv1.3                 | COMPLIANT               | Dovecot | REJECTED",
        "pop3://127.0.0.1:24110  | TLSv1.2 TLSv1.3                 | COMPLIANT               | Dovecot | REJECTED",
        "pop3s://127.0.0.1:24995 | TLSv1.0 TLSv1.1 TLSv1.2 TLSv1.3 | DEPRECATED_TLS_ACCEPTED | Dovecot | REJECTED",
        "smtps://127.0.0.1:24466 | TLSv1.0                         | NO_MODERN_TLS           | unknown | REJECTED",
        "smtps://127.0.0.1:24467 | TLSv1.3                         | COMPLIANT               | unknown | REJECTED",
        // A warning alert (unrecognized_name: we send mail.test.local) before the ServerHello.
        "smtps://127.0.0.1:24468 | TLSv1.0 TLSv1.1 TLSv1.2 TLSv1.3 | DEPRECATED_TLS_ACCEPTED | unknown | REJECTED",
      })
  void acceptedVersionsAndVerdict(
      String target,
      String accepted,
      Verdict verdict,
      String software,
      VersionResult.VersionStatus sslv3) {
    EndpointResult result = prober.probe(Endpoint.parse(target), "mail.test.local").only();

    assertThat(result.acceptedVersions()).containsExactlyElementsOf(versions(accepted));
    assertThat(ComplianceEvaluator.assess(result, CompliancePolicy.DEFAULT).verdict())
        .isEqualTo(verdict);
    assertThat(result.serverSoftware().displayName()).isEqualTo(software);
    assertThat(result.resultFor(TlsVersion.SSL_3_0).status()).isEqualTo(sslv3);
  }

  @ParameterizedTest
  @CsvSource({
    "a..b",
    "mail.test.local.",
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.test"
  })
  void aServerNameIdnRejectsOrAFullyQualifiedOneIsAResultNotACrash(String serverName) {
    EndpointResult result =
        prober.probe(Endpoint.parse("smtp://127.0.0.1:24025"), serverName).only();

    assertThat(result.failure()).isNull();
    assertThat(result.acceptedVersions()).containsExactly(TlsVersion.TLS_1_2, TlsVersion.TLS_1_3);
    assertThat(result.certificate().nameChecked()).isEqualTo(serverName);
    // The certificate is for mail.test.local: only the trailing-dot form of it matches.
    assertThat(result.certificate().nameMatches()).isEqualTo(serverName.equals("mail.test.local."));
  }

  /**
   * A TLS 1.3-only server whose bytes trickle after the ServerHello: the chain fetch (a full JDK
   * handshake) would read for many minutes, one byte before each read timeout; the connection's
   * deadline ends it. Versions 1.2 and 1.3 only, so nothing else queues at the one-at-a-time
   * s_server behind the trickled connection.
   */
  @Test
  void aTricklingTls13ServerCannotHoldTheChainFetchPastTheDeadline() throws Exception {
    EndpointProber twoVersions =
        new EndpointProber(
            new ProbeSettings(
                Duration.ofSeconds(2),
                5,
                List.of(TlsVersion.TLS_1_2, TlsVersion.TLS_1_3),
                ProbeSettings.DEFAULT_EHLO_NAME,
                Testbed.caFile(),
                ConnectionGuard.NONE,
                ProbeSettings.DEFAULT_MAX_CONNECTIONS,
                null));
    try (TestingTrickleProxy proxy =
        TestingTrickleProxy.start(24467, 400, Duration.ofMillis(500))) {
      long start = System.nanoTime();
      EndpointResult result =
          assertTimeoutPreemptively(
              Duration.ofSeconds(30),
              () ->
                  twoVersions
                      .probe(Endpoint.parse("smtps://127.0.0.1:" + proxy.port()), "mail.test.local")
                      .only());
      long tookMillis = (System.nanoTime() - start) / 1_000_000;

      // The endpoint's deadline is 2 versions x 2 s; the watchdog closes 250 ms after it.
      assertThat(tookMillis).isLessThan(8_000);
      assertThat(result.acceptedVersions()).containsExactly(TlsVersion.TLS_1_3);
      assertThat(result.certificate()).isNull();
    }
  }

  @Test
  void certificateOfALegacyServerIsReadFromTheTls10Handshake() {
    EndpointResult result =
        prober.probe(Endpoint.parse("smtps://127.0.0.1:24466"), "mail.test.local").only();

    assertThat(result.bestCipherSuite())
        .isIn("TLS_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA");
    assertThat(result.certificate().subjectAltNames()).contains("mail.test.local", "127.0.0.1");
    assertThat(result.certificate().chainValid()).isTrue();
    assertThat(result.certificate().nameMatches()).isTrue();
  }

  @Test
  void certificateOfATls13OnlyServerComesFromAFullHandshake() {
    EndpointResult result =
        prober.probe(Endpoint.parse("smtps://127.0.0.1:24467"), "mail.test.local").only();

    assertThat(result.bestVersion()).isEqualTo(TlsVersion.TLS_1_3);
    assertThat(result.certificate().subjectAltNames()).contains("mail.test.local");
    assertThat(result.certificate().chainValid()).isTrue();
  }

  @Test
  void wrongServerNameIsReportedAsAMismatch() {
    EndpointResult result =
        prober.probe(Endpoint.parse("smtp://127.0.0.1:24025"), "mx.other.example").only();

    assertThat(result.certificate().nameChecked()).isEqualTo("mx.other.example");
    assertThat(result.certificate().nameMatches()).isFalse();
  }

  @Test
  void withoutTheTestCaTheChainDoesNotValidate() {
    EndpointResult result =
        new EndpointProber(ProbeSettings.defaults())
            .probe(Endpoint.parse("smtp://127.0.0.1:24025"), null)
            .only();

    assertThat(result.certificate().chainValid()).isFalse();
    assertThat(result.certificate().chainError()).isNotBlank();
    assertThat(result.certificate().nameChecked()).isEqualTo("127.0.0.1");
    assertThat(result.certificate().nameMatches()).isTrue(); // the IP SAN
  }

  @Test
  void postfixBannerAndStartTls() {
    EndpointResult result = prober.probe(Endpoint.parse("smtp://127.0.0.1:24025"), null).only();

    assertThat(result.banner()).startsWith("220 ").contains("ESMTP Postfix");
    assertThat(result.startTlsAdvertised()).isTrue();
    assertThat(result.bestVersion()).isEqualTo(TlsVersion.TLS_1_3);
  }

  /** openssl s_client, an independent client, agrees with the engine on both sides of a floor. */
  @ParameterizedTest(name = "{0} {1} accepted={2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "smtp://127.0.0.1:24026  | TLSv1.0 | true",
        "smtp://127.0.0.1:24025  | TLSv1.0 | false",
        "smtp://127.0.0.1:24028  | TLSv1.2 | false",
        "smtp://127.0.0.1:24028  | TLSv1.1 | true",
        "imap://127.0.0.1:24143  | TLSv1.1 | true",
        "pop3://127.0.0.1:24110  | TLSv1.1 | false",
        "smtps://127.0.0.1:24466 | TLSv1.0 | true",
        "smtps://127.0.0.1:24466 | TLSv1.2 | false",
        "smtps://127.0.0.1:24467 | TLSv1.2 | false",
        "smtps://127.0.0.1:24467 | TLSv1.3 | true",
      })
  void opensslAgrees(String target, String version, boolean accepted) throws Exception {
    Endpoint endpoint = Endpoint.parse(target);
    TlsVersion tlsVersion = TlsVersion.fromLabel(version);

    assertThat(OpenSslClient.accepts(endpoint, tlsVersion)).isEqualTo(accepted);
    assertThat(prober.probe(endpoint, null).only().accepts(tlsVersion)).isEqualTo(accepted);
  }

  @Test
  void oneConnectionPerHostStillFindsEveryVersion() {
    EndpointProber polite =
        new EndpointProber(
            ProbeSettings.defaults()
                .withTimeout(Duration.ofSeconds(20))
                .withMaxConnectionsPerHost(1));

    EndpointResult result = polite.probe(Endpoint.parse("imap://127.0.0.1:24143"), null).only();

    assertThat(result.acceptedVersions())
        .containsExactly(
            TlsVersion.TLS_1_0, TlsVersion.TLS_1_1, TlsVersion.TLS_1_2, TlsVersion.TLS_1_3);
  }
}
