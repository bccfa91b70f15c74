package io.mailtls.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.mailtls.api.MailSenderPolicy;
import io.mailtls.api.MailSenderPolicyStatus;
import io.mailtls.api.SenderStatus;
import io.mailtls.metrics.MailTlsMetrics;
import io.mailtls.policy.SenderPolicyCheck;
import io.mailtls.probe.Testbed;
import io.mailtls.receiver.ReceiverCertificate;
import io.mailtls.receiver.ReceiverLimits;
import io.mailtls.receiver.ReceiverMode;
import io.mailtls.receiver.ReceiverSettings;
import io.mailtls.receiver.SessionLog;
import io.mailtls.receiver.SessionOutcome;
import io.mailtls.receiver.SessionRecord;
import io.mailtls.receiver.TestReceiver;
import io.mailtls.schema.PolicySchema;
import io.mailtls.sender.KnownSenders;
import io.mailtls.status.ReceivedSessions;
import io.mailtls.status.StatusRecorder;
import io.mailtls.status.VerdictChangeNotifier;
import io.mailtls.tls.TlsVersion;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sending side with real senders: the testbed's Postfix relays test messages to the test
 * receiver through three transports (TLS 1.0/1.1 only from 127.0.0.11, modern from 127.0.0.12, no
 * TLS from 127.0.0.13; see testbed/start.sh), and {@code openssl s_client} and {@code swaks} send
 * too. Asserted: the sessions the receiver records, the sender policy's status, the metrics, and
 * what Postfix writes in its own log (its defer and bounce reasons).
 */
@ExtendWith(Testbed.class)
class SendingServersIT {
  private static final int PORT = 24050;
  private static final String POLICY =
      """
      apiVersion: mailtls.io/v1alpha1
      kind: MailSenderPolicy
      metadata: {name: onprem, namespace: mail}
      spec:
        senders:
          - {name: legacy, addresses: ["127.0.0.11"], software: Postfix}
          - {name: modern, addresses: ["127.0.0.0/8"], ehloNames: [modern.sender.test]}
          - {name: plain, addresses: ["127.0.0.13/32"], software: Postfix}
          - {name: absent, ehloNames: ["*.absent.test"], ehloNameOnly: true}
      """;

  private static ReceiverCertificate certificate;
  @TempDir Path policies;

  private TestReceiver receiver;
  private SessionLog sessions;
  private MailTlsMetrics metrics;
  private SenderPolicyRunner runner;
  private final String recipient = "probe-" + UUID.randomUUID().toString().substring(0, 8);

  @BeforeAll
  static void makeCertificate() {
    certificate = ReceiverCertificate.selfSigned("receiver.test");
  }

  private void start(ReceiverMode mode) throws IOException {
    Files.writeString(policies.resolve("senders.yaml"), POLICY);
    PolicyFiles.Loaded<MailSenderPolicy> loaded =
        PolicyFiles.load(policies, PolicySchema.forSenderPolicies(), MailSenderPolicy.class);
    assertThat(loaded.errors()).isEmpty();
    metrics = new MailTlsMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    ReceiverLimits limits = ReceiverLimits.defaults();
    sessions = new SessionLog(limits);
    KnownSenders known = new KnownSenders();
    ReceivedSessions.wire(sessions, known, metrics);
    receiver =
        TestReceiver.start(
            new ReceiverSettings(
                new InetSocketAddress("127.0.0.1", PORT),
                "receiver.test",
                mode,
                limits,
                certificate),
            sessions);
    runner =
        new SenderPolicyRunner(
            loaded.policies(),
            new SenderPolicyCheck(sessions, known, "127.0.0.1:" + PORT, Clock.systemUTC()),
            new StatusRecorder(metrics, VerdictChangeNotifier.NONE));
    runner.start();
  }

  @AfterEach
  void stop() throws Exception {
    if (runner != null) {
      runner.close();
    }
    if (receiver != null) {
      receiver.close();
    }
    // Deferred and bounced test messages leave the testbed Postfix's queue.
    run("postsuper", "-c", postfixConfig().toString(), "-d", "ALL");
  }

  @Test
  void postfixSendersAgainstAnExchangeOnlineLikeReceiver() throws Exception {
    start(ReceiverMode.EXCHANGE_ONLINE);
    sendmail("legacy");
    sendmail("modern");
    sendmail("plain");

    List<SessionRecord> recorded = awaitSessions(3);
    assertThat(recorded)
        .extracting(
            SessionRecord::clientAddress,
            SessionRecord::ehloName,
            SessionRecord::startTls,
            s -> s.hello() == null ? null : s.hello().offeredVersions(),
            SessionRecord::negotiated,
            SessionRecord::outcome)
        .containsExactlyInAnyOrder(
            tuple(
                "127.0.0.11",
                "legacy.sender.test",
                true,
                List.of(TlsVersion.TLS_1_1),
                null,
                SessionOutcome.VERSION_REFUSED),
            tuple(
                "127.0.0.12",
                "modern.sender.test",
                true,
                List.of(TlsVersion.TLS_1_2, TlsVersion.TLS_1_3),
                TlsVersion.TLS_1_3,
                SessionOutcome.TESTED_WITH_TLS),
            tuple(
                "127.0.0.13",
                "plain.sender.test",
                false,
                null,
                null,
                SessionOutcome.PLAINTEXT_REFUSED));

    // What the sending admin reads in Postfix's own log: the deferral or the bounce and why.
    assertThat(postfixStatus("legacy"))
        .isEqualTo("status=deferred (Cannot start TLS: handshake failure)");
    assertThat(postfixStatus("modern"))
        .isEqualTo(
            "status=bounced (host 127.0.0.1[127.0.0.1] said: 554 5.7.0 mailtls test receiver: you"
                + " offered TLSv1.2-TLSv1.3, negotiated TLSv1.3; a TLS 1.2-only peer such as Office"
                + " 365 accepts this; not delivered (in reply to DATA command))");
    assertThat(postfixStatus("plain"))
        .isEqualTo(
            "status=deferred (host 127.0.0.1[127.0.0.1] said: 451 5.7.3 Must issue a STARTTLS"
                + " command first (in reply to MAIL FROM command))");

    runner.evaluateAll();
    MailSenderPolicyStatus status = runner.status("mail", "onprem");
    assertThat(status.senders())
        .extracting(
            SenderStatus::name,
            SenderStatus::verdict,
            SenderStatus::offeredVersions,
            SenderStatus::negotiatedVersion,
            SenderStatus::outcome)
        .containsExactly(
            tuple("legacy", "OutdatedTLS", List.of("TLSv1.1"), null, "VersionRefused"),
            tuple("modern", "Compliant", List.of("TLSv1.2", "TLSv1.3"), "TLSv1.3", "TestedWithTLS"),
            tuple("plain", "StartTLSNotUsed", null, null, "PlaintextRefused"),
            tuple("absent", "NotSeen", null, null, null));
    assertThat(status.senders().get(0).remediation())
        .isEqualTo(
            "Postfix: set smtp_tls_protocols = >=TLSv1.2 and smtp_tls_mandatory_protocols ="
                + " >=TLSv1.2 in main.cf (the smtp_ client settings, not smtpd_; check master.cf for"
                + " -o overrides), on an OpenSSL that supports TLSv1.2, then run postfix reload.");
    assertThat(status.condition("Compliant").getReason()).isEqualTo("OutdatedTLS");
    assertThat(status.summary().total()).isEqualTo(4);
    assertThat(status.summary().compliant()).isEqualTo(1);
    assertThat(status.summary().nonCompliant()).isEqualTo(2);
    assertThat(status.summary().notSeen()).isEqualTo(1);

    String scrape = metrics.scrape();
    assertThat(scrape)
        .contains(
            "mailtls_sender_compliant{namespace=\"mail\",policy=\"onprem\",sender=\"legacy\"} 0.0",
            "mailtls_sender_compliant{namespace=\"mail\",policy=\"onprem\",sender=\"modern\"} 1.0",
            "mailtls_sender_compliant{namespace=\"mail\",policy=\"onprem\",sender=\"plain\"} 0.0",
            "mailtls_sender_compliant{namespace=\"mail\",policy=\"onprem\",sender=\"absent\"} 0.0",
            "mailtls_sender_info{best_offered=\"TLSv1.1\",namespace=\"mail\",policy=\"onprem\","
                + "sender=\"legacy\",verdict=\"OutdatedTLS\"} 1",
            "mailtls_sender_tls_version_offered{namespace=\"mail\",policy=\"onprem\","
                + "sender=\"legacy\",tls_version=\"TLSv1.1\"} 1.0",
            "mailtls_sender_tls_version_offered{namespace=\"mail\",policy=\"onprem\","
                + "sender=\"legacy\",tls_version=\"TLSv1.2\"} 0.0",
            "mailtls_sender_sessions_total{expected=\"true\",outcome=\"VersionRefused\"} 1.0",
            "mailtls_sender_sessions_total{expected=\"true\",outcome=\"TestedWithTLS\"} 1.0",
            "mailtls_sender_sessions_total{expected=\"true\",outcome=\"PlaintextRefused\"} 1.0")
        .doesNotContain(
            "mailtls_sender_tls_version_offered{namespace=\"mail\",policy=\"onprem\","
                + "sender=\"legacy\",tls_version=\"TLSv1.0\"}");
  }

  @Test
  void inAnyVersionModeEverySenderReadsItsFindingInTheBounce() throws Exception {
    start(ReceiverMode.ANY_VERSION);
    sendmail("legacy");
    sendmail("plain");

    List<SessionRecord> recorded = awaitSessions(2);
    assertThat(recorded)
        .extracting(SessionRecord::clientAddress, SessionRecord::negotiated, SessionRecord::outcome)
        .containsExactlyInAnyOrder(
            tuple("127.0.0.11", TlsVersion.TLS_1_1, SessionOutcome.TESTED_WITH_TLS),
            tuple("127.0.0.13", null, SessionOutcome.TESTED_WITHOUT_TLS));
    assertThat(postfixStatus("legacy"))
        .isEqualTo(
            "status=bounced (host 127.0.0.1[127.0.0.1] said: 554 5.7.0 mailtls test receiver: you"
                + " offered up to TLSv1.1, negotiated TLSv1.1; a TLS 1.2-only peer such as Office"
                + " 365 refuses this; not delivered (in reply to DATA command))");
    assertThat(postfixStatus("plain"))
        .isEqualTo(
            "status=bounced (host 127.0.0.1[127.0.0.1] said: 554 5.7.0 mailtls test receiver: you"
                + " did not use STARTTLS although it was offered; Office 365 refuses that with 451"
                + " 5.7.3; not delivered (in reply to DATA command))");

    runner.evaluateAll();
    assertThat(runner.status("mail", "onprem").senders())
        .extracting(SenderStatus::name, SenderStatus::verdict)
        .startsWith(
            tuple("legacy", "OutdatedTLS"),
            tuple("modern", "NotSeen"),
            tuple("plain", "StartTLSNotUsed"));
  }

  @Test
  void opensslClientsOfEachVersion() throws Exception {
    start(ReceiverMode.EXCHANGE_ONLINE);
    List<String> established = new ArrayList<>();
    for (String version : List.of("-tls1", "-tls1_1", "-tls1_2", "-tls1_3")) {
      String output =
          run(
              "openssl",
              "s_client",
              "-brief",
              "-starttls",
              "smtp",
              "-connect",
              "127.0.0.1:" + PORT,
              "-name",
              "client.test",
              version,
              "-cipher",
              "ALL:@SECLEVEL=0");
      if (output.contains("CONNECTION ESTABLISHED")) {
        established.add(version);
      }
    }

    assertThat(established).containsExactly("-tls1_2", "-tls1_3");
    assertThat(awaitSessions(4))
        .extracting(
            s -> s.hello().offeredVersions(), SessionRecord::negotiated, SessionRecord::outcome)
        .containsExactlyInAnyOrder(
            tuple(List.of(TlsVersion.TLS_1_0), null, SessionOutcome.VERSION_REFUSED),
            tuple(List.of(TlsVersion.TLS_1_1), null, SessionOutcome.VERSION_REFUSED),
            tuple(List.of(TlsVersion.TLS_1_2), TlsVersion.TLS_1_2, SessionOutcome.TLS_NEGOTIATED),
            tuple(List.of(TlsVersion.TLS_1_3), TlsVersion.TLS_1_3, SessionOutcome.TLS_NEGOTIATED));
  }

  @Test
  void swaksReadsTheFindingAtData() throws Exception {
    start(ReceiverMode.EXCHANGE_ONLINE);
    String output =
        run(
            "swaks",
            "--server",
            "127.0.0.1:" + PORT,
            "--tls",
            "--helo",
            "swaks.sender.test",
            "--from",
            "admin@sender.test",
            "--to",
            "probe@receiver.test");

    assertThat(output)
        .contains(
            "<~* 554 5.7.0 mailtls test receiver: you offered TLSv1.0-TLSv1.3, negotiated TLSv1.3;"
                + " a TLS 1.2-only peer such as Office 365 accepts this; not delivered");
    SessionRecord session = awaitSessions(1).getFirst();
    assertThat(session.ehloName()).isEqualTo("swaks.sender.test");
    assertThat(session.outcome()).isEqualTo(SessionOutcome.TESTED_WITH_TLS);
  }

  private List<SessionRecord> awaitSessions(int count) {
    await().atMost(Duration.ofSeconds(30)).until(() -> sessions.size() >= count);
    return sessions.sessions();
  }

  /** Submits a test message to the testbed Postfix for {@code sender}.receiver.test. */
  private void sendmail(String sender) throws Exception {
    Process process =
        new ProcessBuilder(
                "/usr/sbin/sendmail",
                "-C",
                postfixConfig().toString(),
                "-f",
                "admin@sender.test",
                recipient + "@" + sender + ".receiver.test")
            .redirectErrorStream(true)
            .start();
    process
        .getOutputStream()
        .write("Subject: mailtls sending-side test\n\nhello\n".getBytes(StandardCharsets.US_ASCII));
    process.getOutputStream().close();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue())
        .as(new String(process.getInputStream().readAllBytes()))
        .isZero();
  }

  /** The status=… part of Postfix's delivery log line for this test's message to a sender. */
  private String postfixStatus(String sender) {
    String to = "to=<" + recipient + "@" + sender + ".receiver.test>";
    Path log = Testbed.state().resolve("logs/postfix.log");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                Files.readAllLines(log).stream()
                    .anyMatch(l -> l.contains(to) && l.contains("status=")));
    try {
      return Files.readAllLines(log).stream()
          .filter(l -> l.contains(to) && l.contains("status="))
          .map(l -> l.substring(l.indexOf("status=")))
          .findFirst()
          .orElseThrow();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path postfixConfig() {
    return Testbed.state().resolve("postfix/etc");
  }

  private static String run(String... command) throws Exception {
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    byte[] output = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new String(output, StandardCharsets.UTF_8);
  }
}
