package io.mailtls.probe;

import static io.mailtls.tls.TlsVersion.SSL_3_0;
import static io.mailtls.tls.TlsVersion.TLS_1_0;
import static io.mailtls.tls.TlsVersion.TLS_1_1;
import static io.mailtls.tls.TlsVersion.TLS_1_2;
import static io.mailtls.tls.TlsVersion.TLS_1_3;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mailtls.compliance.Assessment;
import io.mailtls.compliance.ComplianceEvaluator;
import io.mailtls.compliance.CompliancePolicy;
import io.mailtls.compliance.Verdict;
import io.mailtls.dns.TestingDnsServer;
import io.mailtls.tls.TestingTls;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The engine against in-process servers with scripted behaviour, including broken ones. */
class EndpointProberTest {
  private static final List<String> EHLO_WITH_STARTTLS =
      List.of("PIPELINING", "SIZE 10240000", "STARTTLS", "ENHANCEDSTATUSCODES", "8BITMIME");

  private final EndpointProber prober =
      new EndpointProber(ProbeSettings.defaults().withTimeout(Duration.ofSeconds(3)));

  private static List<VersionResult.VersionStatus> statuses(EndpointResult result) {
    return result.versions().stream().map(VersionResult::status).toList();
  }

  private static Set<FailureKind> failureKinds(EndpointResult result) {
    return result.versions().stream()
        .filter(v -> v.failure() != null)
        .map(v -> v.failure().kind())
        .collect(java.util.stream.Collectors.toSet());
  }

  @Test
  void smtpStartTlsServerAcceptingTls12And13() throws Exception {
    try (var server =
        TestingMailServer.start(
            TestingMailServer.smtp(EHLO_WITH_STARTTLS, Set.of(TLS_1_2, TLS_1_3)))) {
      EndpointResult result = prober.probe(server.endpoint(MailProtocol.SMTP), null).only();

      assertThat(result.acceptedVersions()).containsExactly(TLS_1_2, TLS_1_3);
      assertThat(result.bestVersion()).isEqualTo(TLS_1_3);
      assertThat(result.bestCipherSuite()).isEqualTo("TLS_AES_128_GCM_SHA256");
      assertThat(result.startTlsAdvertised()).isTrue();
      assertThat(result.banner()).isEqualTo("220 mx.test.local ESMTP Postfix (Debian/GNU)");
      assertThat(result.serverSoftware()).isEqualTo(ServerSoftware.POSTFIX);
      assertThat(result.failure()).isNull();
      assertThat(result.resultFor(TLS_1_1).failure())
          .isEqualTo(new Failure(FailureKind.TLS_ALERT, "protocol_version"));
      // One connection per version, plus one TLS 1.3 handshake for the certificate, since this
      // server sent none in the clear.
      assertThat(server.connections()).isEqualTo(6);
      assertThat(result.certificate()).isNull();
    }
  }

  @Test
  void legacyOnlyServerAcceptsExactlyTls10And11() throws Exception {
    try (var server =
        TestingMailServer.start(
            TestingMailServer.smtp(EHLO_WITH_STARTTLS, Set.of(TLS_1_0, TLS_1_1)))) {
      EndpointResult result = prober.probe(server.endpoint(MailProtocol.SUBMISSION), null).only();

      assertThat(result.acceptedVersions()).containsExactly(TLS_1_0, TLS_1_1);
      assertThat(result.resultFor(TLS_1_2).failure())
          .isEqualTo(new Failure(FailureKind.OTHER_VERSION, "server chose TLSv1.1"));
      assertThat(result.resultFor(SSL_3_0).failure().kind()).isEqualTo(FailureKind.TLS_ALERT);
      assertThat(result.bestCipherSuite()).isEqualTo("TLS_RSA_WITH_AES_128_CBC_SHA");
    }
  }

  @Test
  void greetingAndEhloSplitAcrossSegmentsAndSlowlyDelivered() throws Exception {
    TestingMailServer.Conversation slow =
        peer -> {
          for (String part :
              List.of("220-mx.test", ".local ESMTP\r\n220-second line\r", "\n220 ", "ready\r\n")) {
            peer.send(part);
            Thread.sleep(100);
          }
          peer.readLine();
          peer.send("250-mx.test.local\r\n250-STAR");
          Thread.sleep(100);
          peer.send("TTLS\r\n250 8BITMIME\r\n");
          peer.readLine();
          peer.sendLines("220 go ahead");
          peer.answerClientHello(Set.of(TLS_1_2));
        };
    try (var server = TestingMailServer.start(slow)) {
      EndpointResult result = prober.probe(server.endpoint(MailProtocol.SMTP), null).only();

      assertThat(result.acceptedVersions()).containsExactly(TLS_1_2);
      assertThat(result.banner()).isEqualTo("220 mx.test.local ESMTP second line ready");
    }
  }

  @Test
  void exchangeIsRecognisedByItsEhloKeywords() throws Exception {
    try (var server =
        TestingMailServer.start(
            TestingMailServer.smtp(
                List.of("X-ANONYMOUSTLS", "STARTTLS", "XEXCH50"), Set.of(TLS_1_0)))) {
      EndpointResult result = prober.probe(server.endpoint(MailProtocol.SMTP), null).only();

      assertThat(result.serverSoftware()).isEqualTo(ServerSoftware.MICROSOFT_EXCHANGE);
      assertThat(result.acceptedVersions()).containsExactly(TLS_1_0);
    }
  }

  @Test
  void startTlsNotAdvertised() throws Exception {
    try (var server =
        TestingMailServer.start(
            TestingMailServer.smtp(List.of("PIPELINING", "8BITMIME"), Set.of()))) {
      EndpointResult result = prober.probe(server.endpoint(MailProtocol.SMTP), null).only();

      assertThat(result.failure())
          .isEqualTo(
              new Failure(
                  FailureKind.STARTTLS_NOT_ADVERTISED, "EHLO reply does not list STARTTLS"));
      assertThat(result.startTlsAdvertised()).isFalse();
      assertThat(statuses(result)).containsOnly(VersionResult.VersionStatus.NOT_TESTED);
      assertThat(result.acceptedVersions()).isEmpty();
    }
  }

  @Test
  void startTlsRefusedKeepsTheServersReply() throws Exception {
    TestingMailServer.Conversation refusing =
        peer -> {
          peer.sendLines("220 mx ESMTP");
          peer.readLine();
          peer.sendLines("250-mx", "250 STARTTLS");
          peer.readLine();
          peer.sendLines("554 5.7.3 TLS not available due to local problem");
        };
    try (var server = TestingMailServer.start(refusing)) {
      EndpointResult result = prober.probe(server.endpoint(MailProtocol.SMTP), null).only();

      assertThat(result.failure())
          .isEqualTo(
              new Failure(
                  FailureKind.STARTTLS_REFUSED,
                  "554 5.7.3 TLS not available due to local problem"));
      assertThat(result.startTlsAdvertised()).isTrue();
    }
  }

  /** 1 s per connection, so the retries of a refusing server fit a short test. */
  private final EndpointProber quick =
      new EndpointProber(ProbeSettings.defaults().withTimeout(Duration.ofSeconds(1)));

  private static TestingMailServer.Conversation smtpSaying(String greeting, String ehloReply) {
    return peer -> {
      peer.sendLines(greeting);
      peer.readLine();
      peer.sendLines(ehloReply);
    };
  }

  /** 421 after EHLO (too many connections): a temporary refusal, never a missing STARTTLS. */
  @Test
  void aTemporaryRefusalIsNeverStartTlsMissing() throws Exception {
    try (var server =
        TestingMailServer.start(
            smtpSaying("220 mx ESMTP Postfix", "421 4.7.0 mx Error: too many connections"))) {
      EndpointResult result =
          quick
              .probe(new Target(server.endpoint(MailProtocol.SMTP), null), Duration.ofSeconds(2))
              .only();

      assertThat(result.failure())
          .isEqualTo(
              new Failure(
                  FailureKind.TEMPORARILY_REFUSED,
                  "EHLO: 421 4.7.0 mx Error: too many connections"));
      assertThat(result.startTlsAdvertised()).isNull();
      assertThat(statuses(result)).containsOnly(VersionResult.VersionStatus.NOT_TESTED);
      Assessment assessment = ComplianceEvaluator.assess(result, CompliancePolicy.DEFAULT);
      assertThat(assessment.verdict()).isEqualTo(Verdict.UNREACHABLE);
      assertThat(assessment.explanation()).startsWith("temporarily refused / rate limited");
      assertThat(assessment.remediation()).contains("smtpd_client_connection_count_limit");
      // The five versions at once, then two passes of one at a time (after 1 s, then 2 s).
      assertThat(server.connections()).isEqualTo(15);
    }
  }

  /** One session at a time: the rest get 421 at the greeting, then are tried one at a time. */
  @Test
  void aServerThatTakesOneSessionAtATimeGetsItsExactVersionSet() throws Exception {
    AtomicInteger open = new AtomicInteger();
    TestingMailServer.Conversation smtp =
        TestingMailServer.smtp(EHLO_WITH_STARTTLS, Set.of(TLS_1_2, TLS_1_3));
    TestingMailServer.Conversation oneAtATime =
        peer -> {
          try {
            if (open.incrementAndGet() > 1) {
              peer.sendLines("421 4.7.0 mx Error: too many connections from 127.0.0.1");
              return;
            }
            smtp.run(peer);
          } finally {
            open.decrementAndGet();
          }
        };
    try (var server = TestingMailServer.start(oneAtATime)) {
      EndpointResult result = quick.probe(server.endpoint(MailProtocol.SMTP), null).only();

      assertThat(result.acceptedVersions()).containsExactly(TLS_1_2, TLS_1_3);
      assertThat(statuses(result)).doesNotContain(VersionResult.VersionStatus.NOT_TESTED);
      assertThat(ComplianceEvaluator.assess(result, CompliancePolicy.DEFAULT).verdict())
          .isEqualTo(Verdict.COMPLIANT);
      assertThat(result.startTlsAdvertised()).isTrue();
    }
  }

  /** Greylisting: "450 try again later" to the first connections, then a normal dialogue. */
  @Test
  void aGreylistingServerIsProbedOnceItLetsUsIn() throws Exception {
    AtomicInteger seen = new AtomicInteger();
    TestingMailServer.Conversation smtp =
        TestingMailServer.smtp(EHLO_WITH_STARTTLS, Set.of(TLS_1_0, TLS_1_2));
    TestingMailServer.Conversation greylisting =
        peer -> {
          if (seen.incrementAndGet() <= 5) {
            peer.sendLines("450 4.7.1 Greylisted, please try again later");
            return;
          }
          smtp.run(peer);
        };
    try (var server = TestingMailServer.start(greylisting)) {
      EndpointResult result = quick.probe(server.endpoint(MailProtocol.SMTP), null).only();

      assertThat(result.acceptedVersions()).containsExactly(TLS_1_0, TLS_1_2);
      assertThat(ComplianceEvaluator.assess(result, CompliancePolicy.DEFAULT).verdict())
          .isEqualTo(Verdict.DEPRECATED_TLS_ACCEPTED);
    }
  }

  /** 501 to our EHLO is about our argument, not about STARTTLS: never StartTLSMissing. */
  @Test
  void aRefusedEhloArgumentSaysNothingAboutStartTls() throws Exception {
    try (var server =
        TestingMailServer.start(smtpSaying("220 mx ESMTP", "501 5.5.2 Syntax: EHLO hostname"))) {
      EndpointResult result = quick.probe(server.endpoint(MailProtocol.SMTP), null).only();

      assertThat(result.failure())
          .isEqualTo(
              new Failure(
                  FailureKind.PROTOCOL_ERROR, "EHLO refused: 501 5.5.2 Syntax: EHLO hostname"));
      assertThat(ComplianceEvaluator.assess(result, CompliancePolicy.DEFAULT).verdict())
          .isEqualTo(Verdict.UNREACHABLE);
    }
  }

  /** Cisco ASA "inspect esmtp": masked banner, STARTTLS replaced by XXXXXXXA. */
  @Test
  void aFirewallThatStripsStartTlsIsNamedAsTheCause() throws Exception {
    TestingMailServer.Conversation asa =
        peer -> {
          peer.sendLines("220 ****************************************");
          peer.readLine();
          peer.sendLines("250-mail.example.com", "250-PIPELINING", "250-XXXXXXXA", "250 8BITMIME");
          peer.readLine();
        };
    try (var server = TestingMailServer.start(asa)) {
      EndpointResult result = quick.probe(server.endpoint(MailProtocol.SMTP), null).only();

      assertThat(result.failure().kind()).isEqualTo(FailureKind.STARTTLS_STRIPPED);
      assertThat(result.startTlsAdvertised()).isNull();
      Assessment assessment = ComplianceEvaluator.assess(result, CompliancePolicy.DEFAULT);
      assertThat(assessment.verdict()).isEqualTo(Verdict.STARTTLS_MISSING);
      assertThat(assessment.explanation())
          .startsWith("is behind a firewall whose SMTP inspection hides STARTTLS");
      assertThat(assessment.remediation()).contains("inspect esmtp").contains("allow-tls");
      assertThat(server.connections()).isEqualTo(5); // a lasting answer: no retries
    }
  }

  @Test
  void imapByeAndPop3InUseAreTemporaryRefusals() throws Exception {
    try (var imap = TestingMailServer.start(peer -> peer.sendLines("* BYE Too many connections"));
        var pop3 =
            TestingMailServer.start(
                peer -> peer.sendLines("-ERR [IN-USE] Mailbox in use, try later"))) {
      assertThat(quick.probe(imap.endpoint(MailProtocol.IMAP), null).only().failure().kind())
          .isEqualTo(FailureKind.TEMPORARILY_REFUSED);
      assertThat(quick.probe(pop3.endpoint(MailProtocol.POP3), null).only().failure().kind())
          .isEqualTo(FailureKind.TEMPORARILY_REFUSED);
    }
  }

  @Test
  void connectionDroppedAfterClientHelloRejectsEveryVersion() throws Exception {
    TestingMailServer.Conversation dropping =
        peer -> {
          peer.smtpUntilStartTls();
          TestingTls.readClientHello(peer.in);
          peer.socket.setSoLinger(true, 0); // RST, as SCHANNEL does
        };
    try (var server = TestingMailServer.start(dropping)) {
      EndpointResult result = prober.probe(server.endpoint(MailProtocol.SMTP), null).only();

      assertThat(statuses(result)).containsOnly(VersionResult.VersionStatus.REJECTED);
      assertThat(failureKinds(result)).containsExactly(FailureKind.HANDSHAKE_DROPPED);
      assertThat(result.failure()).isNull();
      assertThat(result.acceptedVersions()).isEmpty();
    }
  }

  @Test
  void plainTextAfterStartTlsIsNotTls() throws Exception {
    TestingMailServer.Conversation liar =
        peer -> {
          peer.smtpUntilStartTls();
          TestingTls.readClientHello(peer.in);
          peer.sendLines("500 5.5.2 Error: bad syntax");
        };
    try (var server = TestingMailServer.start(liar)) {
      EndpointResult result = prober.probe(server.endpoint(MailProtocol.SMTP), null).only();

      assertThat(statuses(result)).containsOnly(VersionResult.VersionStatus.REJECTED);
      assertThat(result.resultFor(TLS_1_2).failure())
          .isEqualTo(new Failure(FailureKind.NOT_TLS, "500 5.5.2 Error: bad syntax"));
    }
  }

  @Test
  void tarpitEndsAsGreetingTimeoutWithinTheDeadline() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (var server = TestingMailServer.start(peer -> release.await(30, TimeUnit.SECONDS))) {
      EndpointProber fast =
          new EndpointProber(ProbeSettings.defaults().withTimeout(Duration.ofMillis(800)));
      long start = System.nanoTime();

      EndpointResult result = fast.probe(server.endpoint(MailProtocol.SMTP), null).only();

      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      assertThat(result.failure().kind()).isEqualTo(FailureKind.GREETING_TIMEOUT);
      release.countDown();
    }
  }

  @Test
  void tricklingGreetingIsCutOffAtTheDeadline() throws Exception {
    try (var server =
        TestingMailServer.start(
            peer -> {
              for (int i = 0; i < 100; i++) {
                peer.send("2");
                Thread.sleep(200);
              }
            })) {
      EndpointProber fast =
          new EndpointProber(ProbeSettings.defaults().withTimeout(Duration.ofSeconds(1)));

      EndpointResult result = fast.probe(server.endpoint(MailProtocol.SMTP), null).only();

      assertThat(result.failure().kind()).isEqualTo(FailureKind.GREETING_TIMEOUT);
      assertThat(result.durationMillis()).isLessThan(3000);
    }
  }

  @Test
  void httpServerIsNotAMailServer() throws Exception {
    try (var server =
        TestingMailServer.start(
            peer -> peer.sendLines("HTTP/1.1 400 Bad Request", "Content-Length: 0", ""))) {
      EndpointResult result = prober.probe(server.endpoint(MailProtocol.SMTP), null).only();

      assertThat(result.failure())
          .isEqualTo(
              new Failure(
                  FailureKind.NOT_A_MAIL_SERVER, "not an SMTP reply: HTTP/1.1 400 Bad Request"));
    }
  }

  @Test
  void endlessLineIsCappedNotBuffered() throws Exception {
    byte[] chunk = "A".repeat(8192).getBytes();
    try (var server =
        TestingMailServer.start(
            peer -> {
              for (int i = 0; i < 10_000; i++) {
                peer.out.write(chunk);
              }
            })) {
      EndpointResult result = prober.probe(server.endpoint(MailProtocol.IMAP), null).only();

      assertThat(result.failure())
          .isEqualTo(new Failure(FailureKind.NOT_A_MAIL_SERVER, "a line longer than 4096 bytes"));
    }
  }

  @Test
  void serverClosingAfterGreeting() throws Exception {
    try (var server = TestingMailServer.start(peer -> peer.sendLines("220 mx ESMTP"))) {
      EndpointResult result = prober.probe(server.endpoint(MailProtocol.SMTP), null).only();

      assertThat(result.failure())
          .isEqualTo(
              new Failure(
                  FailureKind.PROTOCOL_ERROR,
                  "server closed the connection during the STARTTLS dialogue"));
      assertThat(result.banner()).isEqualTo("220 mx ESMTP");
    }
  }

  @Test
  void serviceRefusedAtGreeting() throws Exception {
    try (var server =
        TestingMailServer.start(peer -> peer.sendLines("554 5.7.1 No SMTP service here"))) {
      EndpointResult result = prober.probe(server.endpoint(MailProtocol.SMTP), null).only();

      assertThat(result.failure())
          .isEqualTo(new Failure(FailureKind.SERVICE_REFUSED, "554 5.7.1 No SMTP service here"));
    }
  }

  @Test
  void connectionRefused() throws Exception {
    int port;
    try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = closed.getLocalPort();
    }
    EndpointResult result =
        prober.probe(new Endpoint(MailProtocol.SMTPS, "127.0.0.1", port), null).only();

    assertThat(result.failure().kind()).isEqualTo(FailureKind.CONNECTION_REFUSED);
    assertThat(statuses(result)).containsOnly(VersionResult.VersionStatus.NOT_TESTED);
  }

  @Test
  void unresolvableHostIsADnsFailure() throws Exception {
    try (var dns = TestingDnsServer.start()) {
      EndpointResult result =
          new EndpointProber(ProbeSettings.defaults().withDnsServer(dns.address()))
              .probe(Endpoint.parse("smtp://no-such-host.invalid"), null)
              .only();

      assertThat(result.failure().kind()).isEqualTo(FailureKind.DNS_NAME_NOT_FOUND);
      assertThat(result.failure().detail())
          .isEqualTo("no-such-host.invalid A: no such name (NXDOMAIN)");
      assertThat(result.address()).isNull();
    }
  }

  @Test
  void imapWithCapabilityInTheGreeting() throws Exception {
    try (var server =
        TestingMailServer.start(
            peer -> {
              peer.sendLines(
                  "* OK [CAPABILITY IMAP4rev1 SASL-IR STARTTLS LOGINDISABLED] Dovecot (Debian) ready.");
              assertThat(peer.readLine()).isEqualTo("a2 STARTTLS");
              peer.sendLines("a2 OK Begin TLS negotiation now.");
              peer.answerClientHello(Set.of(TLS_1_2, TLS_1_3));
            })) {
      EndpointResult result = prober.probe(server.endpoint(MailProtocol.IMAP), null).only();

      assertThat(result.acceptedVersions()).containsExactly(TLS_1_2, TLS_1_3);
      assertThat(result.serverSoftware()).isEqualTo(ServerSoftware.DOVECOT);
    }
  }

  @Test
  void imapAskingForCapabilities() throws Exception {
    try (var server =
        TestingMailServer.start(
            peer -> {
              peer.sendLines("* OK The Microsoft Exchange IMAP4 service is ready.");
              assertThat(peer.readLine()).isEqualTo("a1 CAPABILITY");
              peer.sendLines(
                  "* CAPABILITY IMAP4 IMAP4rev1 AUTH=NTLM STARTTLS CHILDREN",
                  "a1 OK CAPABILITY completed.");
              peer.readLine();
              peer.sendLines("a2 OK Begin TLS negotiation now.");
              peer.answerClientHello(Set.of(TLS_1_0));
            })) {
      EndpointResult result = prober.probe(server.endpoint(MailProtocol.IMAP), null).only();

      assertThat(result.acceptedVersions()).containsExactly(TLS_1_0);
      assertThat(result.serverSoftware()).isEqualTo(ServerSoftware.MICROSOFT_EXCHANGE);
    }
  }

  @Test
  void imapWithoutStartTls() throws Exception {
    try (var server =
        TestingMailServer.start(
            peer -> {
              peer.sendLines("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready");
              peer.readLine();
            })) {
      EndpointResult result = prober.probe(server.endpoint(MailProtocol.IMAP), null).only();

      assertThat(result.failure().kind()).isEqualTo(FailureKind.STARTTLS_NOT_ADVERTISED);
    }
  }

  @Test
  void pop3WithStls() throws Exception {
    try (var server =
        TestingMailServer.start(
            peer -> {
              peer.sendLines("+OK Dovecot ready.");
              assertThat(peer.readLine()).isEqualTo("CAPA");
              peer.sendLines("+OK", "TOP", "UIDL", "STLS", "USER", ".");
              assertThat(peer.readLine()).isEqualTo("STLS");
              peer.sendLines("+OK Begin TLS negotiation now.");
              peer.answerClientHello(Set.of(TLS_1_1, TLS_1_2));
            })) {
      EndpointResult result = prober.probe(server.endpoint(MailProtocol.POP3), null).only();

      assertThat(result.acceptedVersions()).containsExactly(TLS_1_1, TLS_1_2);
    }
  }

  @Test
  void pop3StlsRefused() throws Exception {
    try (var server =
        TestingMailServer.start(
            peer -> {
              peer.sendLines("+OK POP3 ready");
              peer.readLine();
              peer.sendLines("-ERR unknown command");
              peer.readLine();
              peer.sendLines("-ERR TLS not configured");
            })) {
      EndpointResult result = prober.probe(server.endpoint(MailProtocol.POP3), null).only();

      assertThat(result.failure())
          .isEqualTo(new Failure(FailureKind.STARTTLS_REFUSED, "-ERR TLS not configured"));
    }
  }

  @Test
  void implicitTlsSendsTheHelloAtOnce() throws Exception {
    try (var server = TestingMailServer.start(peer -> peer.answerClientHello(Set.of(TLS_1_3)))) {
      EndpointResult result = prober.probe(server.endpoint(MailProtocol.SMTPS), null).only();

      assertThat(result.acceptedVersions()).containsExactly(TLS_1_3);
      assertThat(result.startTlsAdvertised()).isNull();
      assertThat(result.banner()).isNull();
    }
  }

  /**
   * An implicit-TLS server that takes two sessions at a time and hangs up on the others (xinetd's
   * per_source): hang-ups beside accepted versions are tried again alone, so TLS 1.0 and 1.1 are
   * seen as accepted, never as refused (which would make the endpoint Compliant).
   */
  @Test
  void hangUpsBesideAcceptedVersionsAreTriedAgainAlone() throws Exception {
    AtomicInteger sessions = new AtomicInteger();
    try (var server =
        TestingMailServer.start(
            peer -> {
              try {
                if (sessions.incrementAndGet() > 2) {
                  return; // hang up at once
                }
                Thread.sleep(200);
                peer.answerClientHello(Set.of(TLS_1_0, TLS_1_1, TLS_1_2));
              } finally {
                sessions.decrementAndGet();
              }
            })) {
      EndpointResult result = prober.probe(server.endpoint(MailProtocol.SMTPS), null).only();

      assertThat(result.acceptedVersions()).containsExactly(TLS_1_0, TLS_1_1, TLS_1_2);
      assertThat(result.versions().getFirst().failure().kind())
          .isIn(FailureKind.TLS_ALERT, FailureKind.HANDSHAKE_DROPPED);
    }
  }

  /** A server that hangs up on legacy versions whatever else is open keeps them refused. */
  @Test
  void hangUpsThatHoldAloneStayRefusals() throws Exception {
    try (var server =
        TestingMailServer.start(
            peer -> {
              TestingTls.ClientHello hello = TestingTls.readClientHello(peer.in);
              if (hello.offeredVersion() >= TLS_1_2.code()) {
                peer.out.write(
                    TestingTls.handshakeRecord(
                        TestingTls.serverHello(TLS_1_2.code(), 0x002F),
                        TestingTls.serverHelloDone()));
                peer.out.flush();
              }
            })) {
      EndpointResult result = prober.probe(server.endpoint(MailProtocol.SMTPS), null).only();

      assertThat(result.acceptedVersions()).containsExactly(TLS_1_2);
      assertThat(failureKinds(result)).contains(FailureKind.HANDSHAKE_DROPPED);
      // Five versions, SSLv3 to TLS 1.1 once more each, and TLS 1.2/1.3 each first by a handshake.
      assertThat(server.connections()).isEqualTo(10);
    }
  }

  @Test
  void perHostLimitOfOneSerialisesTheVersions() throws Exception {
    EndpointProber polite =
        new EndpointProber(
            ProbeSettings.defaults()
                .withTimeout(Duration.ofSeconds(5))
                .withMaxConnectionsPerHost(1));
    // Counted until the reply is sent: the prober cannot close (and free its slot) before that.
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxInFlight = new AtomicInteger();
    try (var server =
        TestingMailServer.start(
            peer -> {
              maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
              Thread.sleep(50);
              inFlight.decrementAndGet();
              peer.answerClientHello(Set.of(TLS_1_2));
            })) {
      EndpointResult result = polite.probe(server.endpoint(MailProtocol.IMAPS), null).only();

      assertThat(result.acceptedVersions()).containsExactly(TLS_1_2);
      assertThat(maxInFlight.get()).isEqualTo(1);
      // Five versions; TLS 1.2 and 1.3 are first tried by handshakes that would read the greeting,
      // which this server (it only answers hellos) cannot complete, so the probe tries them again.
      assertThat(server.connections()).isEqualTo(7);
    }
  }

  /**
   * Another tenant's slow servers hold every connection of the operator: the healthy endpoint waits
   * for its turn, and its own deadline starts when it holds a slot, so it is not charged with our
   * wait.
   */
  @Test
  void waitingForTheOperatorsOwnConnectionLimitIsNotChargedToTheEndpoint() throws Exception {
    EndpointProber oneAtATime =
        new EndpointProber(
            new ProbeSettings(
                Duration.ofSeconds(1),
                5,
                List.of(TLS_1_2, TLS_1_3),
                ProbeSettings.DEFAULT_EHLO_NAME,
                null,
                ConnectionGuard.NONE,
                1,
                null));
    // The other tenant's server takes 1.5 s to hang up on each of its four connections (two
    // versions, each tried by a completed handshake, then by the probe).
    try (var slow = TestingMailServer.start(peer -> Thread.sleep(1_500));
        var healthy = TestingMailServer.start(peer -> peer.answerClientHello(Set.of(TLS_1_2)));
        ExecutorService otherTenant = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<EndpointResult> slowResult =
          otherTenant.submit(
              () ->
                  oneAtATime
                      .probe(
                          new Target(slow.endpoint(MailProtocol.SMTPS), null),
                          Duration.ofSeconds(3))
                      .only());
      await().atMost(Duration.ofSeconds(5)).until(() -> slow.connections() > 0);

      // Our deadline is 2 x 1 s; the only connection slot is busy for 6 s.
      EndpointResult result = oneAtATime.probe(healthy.endpoint(MailProtocol.SMTPS), null).only();

      assertThat(result.failure()).isNull();
      assertThat(result.acceptedVersions()).containsExactly(TLS_1_2);
      assertThat(statuses(result)).doesNotContain(VersionResult.VersionStatus.NOT_TESTED);
      assertThat(slowResult.get(30, TimeUnit.SECONDS).acceptedVersions()).isEmpty();
      // Implicit TLS: each version is first tried by a handshake that would read the greeting; a
      // server that hangs up proves nothing about the version, so the probe tries it again.
      assertThat(slow.connections()).isEqualTo(4);
    }
  }

  @Test
  void byDefaultAllVersionsOfAnEndpointRunAtOnce() throws Exception {
    // Implicit TLS: TLS 1.2 waits for TLS 1.3's handshake (one completed handshake reads the
    // greeting), so four of the five versions run at once.
    CountDownLatch allConnected = new CountDownLatch(4);
    try (var server =
        TestingMailServer.start(
            peer -> {
              allConnected.countDown();
              allConnected.await(2, TimeUnit.SECONDS);
              peer.answerClientHello(Set.of(TLS_1_2));
            })) {
      EndpointResult result = prober.probe(server.endpoint(MailProtocol.POP3S), null).only();

      assertThat(result.acceptedVersions()).containsExactly(TLS_1_2);
      assertThat(server.maxConcurrentConnections()).isEqualTo(4);
    }
  }

  /** A TLS 1.2-only server whose answer to every ClientHello is {@code answer}, sent slowly. */
  private static TestingMailServer tls12Answering(byte[] answer, int bytesPerWrite)
      throws Exception {
    return TestingMailServer.start(
        peer -> {
          TestingTls.readClientHello(peer.in);
          for (int i = 0; i < answer.length; i += bytesPerWrite) {
            peer.out.write(answer, i, Math.min(bytesPerWrite, answer.length - i));
            peer.out.flush();
          }
        });
  }

  @Test
  void recordsFragmentedByteByByteAreReassembled() throws Exception {
    byte[] answer =
        TestingTls.fragmented(
            1, TestingTls.serverHello(TLS_1_2.code(), 0x002F), TestingTls.serverHelloDone());
    try (var server = tls12Answering(answer, 1)) {
      EndpointResult result = prober.probe(server.endpoint(MailProtocol.SMTPS), null).only();

      assertThat(result.acceptedVersions()).containsExactly(TLS_1_2);
      assertThat(result.resultFor(TLS_1_3).failure().kind()).isEqualTo(FailureKind.OTHER_VERSION);
    }
  }

  @Test
  void aHugeCertificateChainIsReadOnlyUpToTheLimit() throws Exception {
    byte[] junk = new byte[16_000];
    byte[][] chain = new byte[40][];
    java.util.Arrays.fill(chain, junk);
    // About 640 KB of "certificates": far beyond what the reader keeps.
    byte[] answer =
        TestingTls.concat(
            TestingTls.handshakeRecord(TestingTls.serverHello(TLS_1_2.code(), 0x002F)),
            TestingTls.fragmented(16_000, TestingTls.certificate(chain)));
    try (var server = tls12Answering(answer, 65_536)) {
      EndpointResult result = prober.probe(server.endpoint(MailProtocol.SMTPS), null).only();

      assertThat(result.acceptedVersions()).containsExactly(TLS_1_2);
      assertThat(result.certificate()).isNull(); // nothing usable within the limit
    }
  }

  @Test
  void theGuardRefusesAPortWithoutSendingAPacket() throws Exception {
    EndpointProber guarded =
        new EndpointProber(
            ProbeSettings.defaults()
                .withGuard(new ConnectionGuard(ConnectionGuard.MAIL_PORTS, List.of())));
    try (var server = TestingMailServer.start(peer -> peer.answerClientHello(Set.of(TLS_1_2)))) {
      EndpointResult result = guarded.probe(server.endpoint(MailProtocol.SMTPS), null).only();

      assertThat(result.failure().kind()).isEqualTo(FailureKind.FORBIDDEN);
      assertThat(result.failure().detail())
          .isEqualTo(
              "port "
                  + server.endpoint(MailProtocol.SMTPS).port()
                  + " is not among the allowed ports [25, 110, 143, 465, 587, 993, 995]");
      assertThat(result.address()).isEqualTo("127.0.0.1");
      assertThat(server.connections()).isZero();
    }
  }

  @Test
  void theGuardRefusesADeniedRangeAfterResolvingTheName() throws Exception {
    EndpointProber guarded =
        new EndpointProber(
            ProbeSettings.defaults()
                .withGuard(
                    new ConnectionGuard(
                        Set.of(), List.of(ConnectionGuard.Cidr.parse("127.0.0.0/8")))));
    try (var server = TestingMailServer.start(peer -> peer.answerClientHello(Set.of(TLS_1_2)))) {
      // "localhost" is a name: the guard judges what it resolves to, and nothing is connected.
      Endpoint byName =
          new Endpoint(MailProtocol.SMTPS, "localhost", server.endpoint(MailProtocol.SMTPS).port());
      EndpointResult result = guarded.probe(byName, null).only();

      assertThat(result.failure().kind()).isEqualTo(FailureKind.FORBIDDEN);
      assertThat(result.failure().detail()).endsWith("is in the denied range 127.0.0.0/8");
      assertThat(server.connections()).isZero();
    }
  }

  @Test
  void theTotalLimitBoundsConnectionsAcrossEndpointsAndHostEntriesDoNotPileUp() throws Exception {
    EndpointProber polite =
        new EndpointProber(
            ProbeSettings.defaults().withTimeout(Duration.ofSeconds(2)).withMaxConnections(2));
    try (var server =
        TestingMailServer.start(
            peer -> {
              Thread.sleep(100);
              peer.answerClientHello(Set.of(TLS_1_2, TLS_1_3));
            })) {
      List<EndpointResult> results =
          polite
              .probeAll(
                  java.util.Collections.nCopies(
                      3, new Target(server.endpoint(MailProtocol.SMTPS), null)),
                  Duration.ofSeconds(2))
              .stream()
              .map(ProbedEndpoint::only)
              .toList();

      assertThat(results)
          .allSatisfy(r -> assertThat(r.acceptedVersions()).containsExactly(TLS_1_2, TLS_1_3));
      assertThat(server.maxConcurrentConnections()).isLessThanOrEqualTo(2 + 1); // +1: close lag
      assertThat(polite.trackedHosts()).isZero();
    }
  }

  @Test
  void endpointsSharingAHostQueueForSlotsWithoutLosingVersions() throws Exception {
    // 6 endpoints x 5 versions through 2 slots at 200 ms per connection: 3 s of queueing, three
    // times the timeout. Waiting for a slot must not count against a handshake.
    EndpointProber polite =
        new EndpointProber(
            ProbeSettings.defaults()
                .withTimeout(Duration.ofSeconds(1))
                .withMaxConnectionsPerHost(2));
    try (var server =
        TestingMailServer.start(
            peer -> {
              Thread.sleep(200);
              peer.answerClientHello(Set.of(TLS_1_0, TLS_1_1, TLS_1_2, TLS_1_3));
            })) {
      List<EndpointResult> results =
          polite
              .probeAll(
                  java.util.Collections.nCopies(
                      6, new Target(server.endpoint(MailProtocol.SMTPS), null)),
                  Duration.ofSeconds(1))
              .stream()
              .map(ProbedEndpoint::only)
              .toList();

      assertThat(results)
          .allSatisfy(
              r ->
                  assertThat(r.acceptedVersions())
                      .containsExactly(TLS_1_0, TLS_1_1, TLS_1_2, TLS_1_3));
      assertThat(server.maxConcurrentConnections()).isLessThanOrEqualTo(2 + 1); // +1: close lag
    }
  }

  @Test
  void silenceAfterTheClientHelloSaysNothingAboutTheVersion() throws Exception {
    try (var server =
        TestingMailServer.start(
            peer -> {
              TestingTls.readClientHello(peer.in);
              Thread.sleep(10_000);
            })) {
      EndpointProber fast =
          new EndpointProber(ProbeSettings.defaults().withTimeout(Duration.ofMillis(500)));

      EndpointResult result = fast.probe(server.endpoint(MailProtocol.IMAPS), null).only();

      assertThat(statuses(result)).containsOnly(VersionResult.VersionStatus.NOT_TESTED);
      assertThat(result.failure().kind()).isEqualTo(FailureKind.HANDSHAKE_TIMEOUT);
    }
  }
}
