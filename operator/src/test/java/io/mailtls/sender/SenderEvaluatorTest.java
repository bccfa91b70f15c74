package io.mailtls.sender;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtls.receiver.SessionHistory;
import io.mailtls.receiver.SessionOutcome;
import io.mailtls.receiver.SessionRecord;
import io.mailtls.tls.ClientHello;
import io.mailtls.tls.TlsVersion;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SenderEvaluatorTest {
  /** Every session in the list, and nothing forgotten. */
  private static SenderAssessment assess(
      ExpectedSender sender,
      SenderRequirements requirements,
      List<SessionRecord> sessions,
      Instant now) {
    return SenderEvaluator.assess(sender, requirements, SessionHistory.complete(sessions), now);
  }

  private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
  private static final SenderRequirements TLS12 =
      new SenderRequirements(TlsVersion.TLS_1_2, true, Duration.ofHours(24));
  private static final ExpectedSender EXCHANGE =
      new ExpectedSender(
          "exchange01",
          List.of(AddressRange.parse("192.0.2.0/24")),
          List.of(),
          SenderSoftware.EXCHANGE);

  private static final ClientHello LEGACY =
      new ClientHello(List.of(TlsVersion.TLS_1_1), false, List.of(0x002F), null, false);
  private static final ClientHello MODERN =
      new ClientHello(
          List.of(TlsVersion.TLS_1_2, TlsVersion.TLS_1_3),
          true,
          List.of(0x1301, 0xC02F),
          null,
          false);

  private static SessionRecord session(
      String address,
      String ehlo,
      Duration ago,
      ClientHello hello,
      TlsVersion negotiated,
      SessionOutcome outcome) {
    return new SessionRecord(
        NOW.minus(ago), address, ehlo, hello != null, hello, negotiated, outcome, "detail");
  }

  @Test
  void aSenderWithoutSessionsIsNotSeen() {
    SenderAssessment assessment = assess(EXCHANGE, TLS12, List.of(), NOW);

    assertThat(assessment.verdict()).isEqualTo(SenderVerdict.NOT_SEEN);
    assertThat(assessment.message()).isEqualTo("no session from this sender in the last 24h");
    assertThat(assessment.evidence()).isNull();
  }

  @Test
  void sessionsOlderThanTheMaximumAgeDoNotCount() {
    SessionRecord old =
        session(
            "192.0.2.7",
            "mail",
            Duration.ofHours(25),
            MODERN,
            TlsVersion.TLS_1_3,
            SessionOutcome.TESTED_WITH_TLS);

    assertThat(assess(EXCHANGE, TLS12, List.of(old), NOW).verdict())
        .isEqualTo(SenderVerdict.NOT_SEEN);
  }

  @Test
  void aLegacyOfferIsOutdatedWithTheSchannelClientRemediation() {
    SessionRecord refused =
        session(
            "192.0.2.7",
            "mail",
            Duration.ofMinutes(5),
            LEGACY,
            null,
            SessionOutcome.VERSION_REFUSED);

    SenderAssessment assessment = assess(EXCHANGE, TLS12, List.of(refused), NOW);

    assertThat(assessment.verdict()).isEqualTo(SenderVerdict.OUTDATED_TLS);
    assertThat(assessment.message())
        .isEqualTo(
            "offered up to TLSv1.1: it cannot send to a peer that requires TLSv1.2 or newer"
                + " (Office 365 drops it: 421 4.4.2 Connection dropped due to SocketError)");
    assertThat(assessment.remediation())
        .contains("SCHANNEL\\Protocols\\TLS 1.2\\Client set DisabledByDefault=0 and Enabled=1")
        .contains("SystemDefaultTlsVersions=1 and SchUseStrongCrypto=1");
    assertThat(assessment.evidence()).isSameAs(refused);
  }

  @Test
  void aModernNegotiatedSessionIsCompliant() {
    SessionRecord tested =
        session(
            "192.0.2.7",
            "mail",
            Duration.ofMinutes(5),
            MODERN,
            TlsVersion.TLS_1_3,
            SessionOutcome.TESTED_WITH_TLS);

    SenderAssessment assessment = assess(EXCHANGE, TLS12, List.of(tested), NOW);

    assertThat(assessment.verdict()).isEqualTo(SenderVerdict.COMPLIANT);
    assertThat(assessment.message()).isEqualTo("offered TLSv1.2-TLSv1.3, negotiated TLSv1.3");
    assertThat(assessment.remediation()).isNull();
  }

  @Test
  void aTls13PolicyFindsATls12SenderOutdated() {
    SenderRequirements tls13 =
        new SenderRequirements(TlsVersion.TLS_1_3, true, Duration.ofHours(24));
    ClientHello tls12 =
        new ClientHello(List.of(TlsVersion.TLS_1_2), false, List.of(0xC02F), null, false);
    SessionRecord tested =
        session(
            "192.0.2.7",
            "mail",
            Duration.ofMinutes(5),
            tls12,
            TlsVersion.TLS_1_2,
            SessionOutcome.TESTED_WITH_TLS);

    assertThat(assess(EXCHANGE, tls13, List.of(tested), NOW).verdict())
        .isEqualTo(SenderVerdict.OUTDATED_TLS);
  }

  @Test
  void plaintextRightAfterAFailedHandshakeIsAFallbackAndTheHandshakeDecides() {
    SessionRecord refused =
        session(
            "192.0.2.7",
            "mail",
            Duration.ofMinutes(6),
            LEGACY,
            null,
            SessionOutcome.VERSION_REFUSED);
    SessionRecord plaintext =
        session(
            "192.0.2.7",
            "mail",
            Duration.ofMinutes(5),
            null,
            null,
            SessionOutcome.PLAINTEXT_REFUSED);

    SenderAssessment assessment = assess(EXCHANGE, TLS12, List.of(plaintext, refused), NOW);

    assertThat(assessment.verdict()).isEqualTo(SenderVerdict.OUTDATED_TLS);
    assertThat(assessment.message()).endsWith("; it then retried without STARTTLS");
    assertThat(assessment.evidence()).isSameAs(refused);
  }

  @Test
  void plaintextWithoutAFailedHandshakeBeforeItIsNoStarttls() {
    SessionRecord oldTls =
        session(
            "192.0.2.7", "mail", Duration.ofHours(2), LEGACY, null, SessionOutcome.VERSION_REFUSED);
    SessionRecord plaintext =
        session(
            "192.0.2.7",
            "mail",
            Duration.ofMinutes(5),
            null,
            null,
            SessionOutcome.PLAINTEXT_REFUSED);

    SenderAssessment assessment = assess(EXCHANGE, TLS12, List.of(plaintext, oldTls), NOW);

    assertThat(assessment.verdict()).isEqualTo(SenderVerdict.NO_STARTTLS);
    assertThat(assessment.remediation()).contains("Set-SendConnector");
  }

  private static SessionRecord modernStartTls(String address, Instant at) {
    return new SessionRecord(
        at, address, "mail", true, MODERN, TlsVersion.TLS_1_3, SessionOutcome.TLS_NEGOTIATED, "d");
  }

  private static SessionRecord plaintext(String address, Instant at) {
    return new SessionRecord(
        at, address, "mail", false, null, null, SessionOutcome.PLAINTEXT_REFUSED, "d");
  }

  /**
   * The flood: a sender's STARTTLS, its plaintext retry, then 10,000 one-shot sessions from
   * other clients. The STARTTLS must not be pushed out before the retry that depends on it: an
   * expected sender's records have a pool of their own, and where something was pushed out, the
   * retry alone decides nothing.
   */
  @Test
  void aFloodOfOtherClientsNeverLeavesARetryWithoutItsStartTls() {
    for (boolean reserved : new boolean[] {true, false}) {
      io.mailtls.receiver.SessionLog log =
          new io.mailtls.receiver.SessionLog(io.mailtls.receiver.ReceiverLimits.defaults());
      if (reserved) {
        log.reserveFor(
            io.mailtls.receiver.ExpectedAddresses.of(address -> address.startsWith("192.0.2.")));
      }
      log.add(modernStartTls("192.0.2.7", NOW.minusSeconds(120)));
      log.add(plaintext("192.0.2.7", NOW.minusSeconds(119)));
      for (int i = 0; i < 9_999; i++) {
        log.add(
            new SessionRecord(
                NOW.minusSeconds(60),
                "2001:db8::" + Integer.toHexString(i + 1),
                null,
                false,
                null,
                null,
                SessionOutcome.NO_MAIL_ATTEMPT,
                "scanner"));
      }

      SenderAssessment assessment = SenderEvaluator.assess(EXCHANGE, TLS12, log.history(), NOW);

      assertThat(assessment.verdict())
          .as(reserved ? "expected sender's pool" : "no reservation")
          .isEqualTo(reserved ? SenderVerdict.COMPLIANT : SenderVerdict.INCONCLUSIVE);
    }
  }

  @Test
  void aRetryWhoseStartTlsWasForgottenIsNotJudged() {
    SessionRecord retry = plaintext("192.0.2.7", NOW.minusSeconds(60));
    SessionHistory forgotten = new SessionHistory(List.of(retry), address -> NOW.minusSeconds(61));

    SenderAssessment assessment = SenderEvaluator.assess(EXCHANGE, TLS12, forgotten, NOW);

    assertThat(assessment.verdict()).isEqualTo(SenderVerdict.INCONCLUSIVE);
    assertThat(assessment.message())
        .isEqualTo(
            "sent MAIL FROM without STARTTLS (d), but the receiver no longer remembers all of this"
                + " client's sessions just before it, so whether it had tried STARTTLS first is"
                + " not known");
    // Forgotten long before the window: the retry stands alone, as it really did.
    assertThat(
            SenderEvaluator.assess(
                    EXCHANGE,
                    TLS12,
                    new SessionHistory(List.of(retry), address -> NOW.minusSeconds(3600)),
                    NOW)
                .verdict())
        .isEqualTo(SenderVerdict.NO_STARTTLS);
  }

  @Test
  void aLowOfferWhoseBetterAttemptMayHaveBeenForgottenIsNotJudged() {
    SessionRecord low =
        session(
            "192.0.2.7",
            "mail",
            Duration.ofMinutes(1),
            LEGACY,
            null,
            SessionOutcome.VERSION_REFUSED);

    SenderAssessment assessment =
        SenderEvaluator.assess(
            EXCHANGE,
            TLS12,
            new SessionHistory(List.of(low), address -> NOW.minusSeconds(90)),
            NOW);

    assertThat(assessment.verdict()).isEqualTo(SenderVerdict.INCONCLUSIVE);
    assertThat(assessment.message()).contains("whether this was a retry after a better attempt");
  }

  /** The age limit must not cut a pair in half either. */
  @Test
  void aRetryJustInsideTheMaximumAgeKeepsItsStartTlsJustOutside() {
    Instant edge = NOW.minus(TLS12.maxAge());
    SessionRecord tried = modernStartTls("192.0.2.7", edge.minusSeconds(10));
    SessionRecord retry = plaintext("192.0.2.7", edge.plusSeconds(10));

    SenderAssessment assessment = assess(EXCHANGE, TLS12, List.of(retry, tried), NOW);

    assertThat(assessment.verdict()).isEqualTo(SenderVerdict.COMPLIANT);
    assertThat(assessment.message()).endsWith("; it then retried without STARTTLS");
  }

  /**
   * A sender known by its EHLO name alone: any address can say that name. What such sessions show
   * is told, but never as a critical verdict.
   */
  @Test
  void aSenderKnownByNameAloneIsNeverCritical() {
    ExpectedSender byName =
        new ExpectedSender("mx", List.of(), List.of("mx.victim.test"), SenderSoftware.POSTFIX);
    SessionRecord claimed =
        session(
            "203.0.113.66",
            "mx.victim.test",
            Duration.ofMinutes(1),
            LEGACY,
            null,
            SessionOutcome.VERSION_REFUSED);

    SenderAssessment assessment = assess(byName, TLS12, List.of(claimed), NOW);

    assertThat(assessment.verdict()).isEqualTo(SenderVerdict.INCONCLUSIVE);
    assertThat(assessment.message())
        .startsWith(
            "known by its EHLO name alone, which any client can claim, so not held against it as"
                + " OutdatedTLS: offered up to TLSv1.1: it cannot send");
    assertThat(assessment.remediation()).contains("smtp_tls_protocols");
    // The receiver keeps a NUL in the name visible (\\x00): that is not the sender's name.
    SessionRecord glued =
        session(
            "203.0.113.66",
            "mx.victim\\x00.test",
            Duration.ofMinutes(1),
            LEGACY,
            null,
            SessionOutcome.VERSION_REFUSED);
    assertThat(assess(byName, TLS12, List.of(glued), NOW).verdict())
        .isEqualTo(SenderVerdict.NOT_SEEN);
  }

  // The review's cases (each gave a wrong verdict before its fix).

  /** Where plaintext is allowed, a STARTTLS just before still decides: a gap there is no answer. */
  @Test
  void aForgottenStartTlsIsNoAnswerEvenWherePlaintextIsAllowed() {
    SenderRequirements optional =
        new SenderRequirements(TlsVersion.TLS_1_2, false, Duration.ofHours(24));
    SessionRecord tried =
        session(
            "192.0.2.7",
            "mail",
            Duration.ofSeconds(61),
            LEGACY,
            null,
            SessionOutcome.VERSION_REFUSED);
    SessionRecord retry =
        session(
            "192.0.2.7",
            "mail",
            Duration.ofSeconds(60),
            null,
            null,
            SessionOutcome.TESTED_WITHOUT_TLS);

    assertThat(assess(EXCHANGE, optional, List.of(retry, tried), NOW).verdict())
        .isEqualTo(SenderVerdict.OUTDATED_TLS);
    assertThat(
            SenderEvaluator.assess(
                    EXCHANGE,
                    optional,
                    new SessionHistory(List.of(retry), address -> NOW.minusSeconds(61)),
                    NOW)
                .verdict())
        .isEqualTo(SenderVerdict.INCONCLUSIVE);
  }

  /** A newer session that was forgotten (sessions end out of order) leaves no latest to judge. */
  @Test
  void aSessionNewerThanTheLatestRememberedMayHaveBeenForgotten() {
    SessionRecord tried = modernStartTls("192.0.2.7", NOW.minusSeconds(300));
    SessionRecord retry = plaintext("192.0.2.7", NOW.minusSeconds(60));

    assertThat(
            SenderEvaluator.assess(
                    EXCHANGE,
                    TLS12,
                    new SessionHistory(List.of(retry, tried), address -> NOW.minusSeconds(200)),
                    NOW)
                .verdict())
        .isEqualTo(SenderVerdict.INCONCLUSIVE);
    SessionRecord low =
        session(
            "192.0.2.7",
            "mail",
            Duration.ofMinutes(1),
            LEGACY,
            null,
            SessionOutcome.VERSION_REFUSED);
    assertThat(
            SenderEvaluator.assess(
                    EXCHANGE,
                    TLS12,
                    new SessionHistory(List.of(low), address -> NOW.minusSeconds(30)),
                    NOW)
                .verdict())
        .isEqualTo(SenderVerdict.INCONCLUSIVE);
  }

  /** A chain of three (a higher offer, a lower retry, a plaintext retry) across the age limit. */
  @Test
  void aChainAcrossTheMaximumAgeIsJudgedAsAWhole() {
    Instant edge = NOW.minus(TLS12.maxAge());
    SessionRecord higher =
        new SessionRecord(
            edge.minus(Duration.ofMinutes(16)),
            "192.0.2.7",
            "mail",
            true,
            MODERN,
            null,
            SessionOutcome.HANDSHAKE_FAILED,
            "d");
    SessionRecord lower =
        new SessionRecord(
            edge.minus(Duration.ofMinutes(5)),
            "192.0.2.7",
            "mail",
            true,
            LEGACY,
            null,
            SessionOutcome.VERSION_REFUSED,
            "d");
    SessionRecord retry = plaintext("192.0.2.7", edge.plus(Duration.ofMinutes(1)));

    assertThat(assess(EXCHANGE, TLS12, List.of(retry, lower, higher), NOW).verdict())
        .isEqualTo(SenderVerdict.INCONCLUSIVE);
  }

  /** A sender's first sessions before its policy was read move with it to the reserved pool. */
  @Test
  void sessionsFromBeforeThePolicyWasKnownAreNotLeftToStrangers() {
    io.mailtls.receiver.SessionLog log =
        new io.mailtls.receiver.SessionLog(
            io.mailtls.receiver.ReceiverLimits.defaults().withRecords(100, 32));
    java.util.concurrent.atomic.AtomicBoolean known =
        new java.util.concurrent.atomic.AtomicBoolean();
    log.reserveFor(
        io.mailtls.receiver.ExpectedAddresses.of(a -> known.get() && a.equals("192.0.2.7")));
    log.add(
        new SessionRecord(
            NOW.minusSeconds(600),
            "192.0.2.7",
            "mail",
            true,
            MODERN,
            null,
            SessionOutcome.HANDSHAKE_FAILED,
            "d"));
    known.set(true);
    log.add(
        session(
            "192.0.2.7",
            "mail",
            Duration.ofSeconds(590),
            LEGACY,
            null,
            SessionOutcome.VERSION_REFUSED));
    for (int i = 0; i < 400; i++) {
      log.add(
          new SessionRecord(
              NOW.minusSeconds(500),
              "2001:db8:" + Integer.toHexString(i + 1) + "::1",
              null,
              false,
              null,
              null,
              SessionOutcome.NO_MAIL_ATTEMPT,
              "scanner"));
    }

    assertThat(SenderEvaluator.assess(EXCHANGE, TLS12, log.history(), NOW).verdict())
        .isEqualTo(SenderVerdict.INCONCLUSIVE);
  }

  /** A neighbour in an expected sender's IPv6 /64 cannot make its sessions look incomplete. */
  @Test
  void aNeighbourInTheSame64CannotHideAnExpectedSendersVerdict() {
    ExpectedSender v6 =
        new ExpectedSender(
            "v6", List.of(AddressRange.parse("2001:db8:1::7")), List.of(), SenderSoftware.EXCHANGE);
    io.mailtls.receiver.SessionLog log =
        new io.mailtls.receiver.SessionLog(io.mailtls.receiver.ReceiverLimits.defaults());
    log.reserveFor(io.mailtls.receiver.ExpectedAddresses.of("2001:db8:1::7"::equals));
    log.add(
        session(
            "2001:db8:1::7",
            "mail",
            Duration.ofSeconds(60),
            LEGACY,
            null,
            SessionOutcome.VERSION_REFUSED));
    for (int i = 0; i < 33; i++) {
      log.add(
          new SessionRecord(
              NOW.minusSeconds(30),
              "2001:db8:1::99",
              null,
              false,
              null,
              null,
              SessionOutcome.NO_MAIL_ATTEMPT,
              "n"));
    }

    assertThat(SenderEvaluator.assess(v6, TLS12, log.history(), NOW).verdict())
        .isEqualTo(SenderVerdict.OUTDATED_TLS);
  }

  /** A claimed name cannot hide what another session with that name showed. */
  @Test
  void aNameOnlySenderIsNotCompliantWhileSessionsClaimingItsNameDisagree() {
    ExpectedSender byName =
        new ExpectedSender("mx", List.of(), List.of("mx.victim.test"), SenderSoftware.POSTFIX);
    SessionRecord real =
        session(
            "198.51.100.5",
            "mx.victim.test",
            Duration.ofMinutes(30),
            LEGACY,
            null,
            SessionOutcome.VERSION_REFUSED);
    SessionRecord claim =
        new SessionRecord(
            NOW.minusSeconds(60),
            "203.0.113.66",
            "mx.victim.test",
            true,
            MODERN,
            TlsVersion.TLS_1_3,
            SessionOutcome.TLS_NEGOTIATED,
            "d");

    SenderAssessment assessment = assess(byName, TLS12, List.of(claim, real), NOW);

    assertThat(assessment.verdict()).isEqualTo(SenderVerdict.INCONCLUSIVE);
    assertThat(assessment.message())
        .contains("not Compliant while sessions that claim its name disagree")
        .contains("198.51.100.5");
    assertThat(assess(byName, TLS12, List.of(claim), NOW).verdict())
        .isEqualTo(SenderVerdict.COMPLIANT);
  }

  @Test
  void plaintextIsCompliantWhereThePolicyDoesNotRequireStarttls() {
    SenderRequirements optional =
        new SenderRequirements(TlsVersion.TLS_1_2, false, Duration.ofHours(24));
    SessionRecord plaintext =
        session(
            "192.0.2.7",
            "mail",
            Duration.ofMinutes(5),
            null,
            null,
            SessionOutcome.TESTED_WITHOUT_TLS);

    assertThat(assess(EXCHANGE, optional, List.of(plaintext), NOW).verdict())
        .isEqualTo(SenderVerdict.COMPLIANT);
  }

  @Test
  void sessionsThatShowNothingAreInconclusiveNeverCritical() {
    SessionRecord quiet =
        session("192.0.2.7", "mail", Duration.ofMinutes(5), null, null, SessionOutcome.TIMEOUT);
    SessionRecord cut =
        session(
            "192.0.2.7",
            "mail",
            Duration.ofMinutes(4),
            MODERN,
            null,
            SessionOutcome.HANDSHAKE_FAILED);

    assertThat(assess(EXCHANGE, TLS12, List.of(quiet), NOW).verdict())
        .isEqualTo(SenderVerdict.INCONCLUSIVE);
    assertThat(assess(EXCHANGE, TLS12, List.of(cut, quiet), NOW).verdict())
        .isEqualTo(SenderVerdict.INCONCLUSIVE);
  }

  @Test
  void aSenderThatRefusesTheReceiversCertificateHasStillAgreedOnTheVersion() {
    SessionRecord distrust =
        session(
            "192.0.2.7",
            "mail",
            Duration.ofMinutes(5),
            MODERN,
            TlsVersion.TLS_1_2,
            SessionOutcome.CERTIFICATE_REJECTED);

    SenderAssessment assessment = assess(EXCHANGE, TLS12, List.of(distrust), NOW);

    assertThat(assessment.verdict()).isEqualTo(SenderVerdict.COMPLIANT);
    assertThat(assessment.message())
        .isEqualTo(
            "offered TLSv1.2-TLSv1.3, negotiated TLSv1.2; it then refused the receiver's"
                + " certificate: detail");
  }

  @Test
  void handshakesThatBrokeOffOrFoundNoCommonSuiteAreInconclusive() {
    SessionRecord cut =
        session(
            "192.0.2.7",
            "mail",
            Duration.ofMinutes(5),
            MODERN,
            TlsVersion.TLS_1_3,
            SessionOutcome.HANDSHAKE_FAILED);
    ClientHello rsaOnly =
        new ClientHello(List.of(TlsVersion.TLS_1_2), false, List.of(0x002F), null, false);
    SessionRecord noCipher =
        session(
            "192.0.2.7",
            "mail",
            Duration.ofMinutes(5),
            rsaOnly,
            null,
            SessionOutcome.NO_COMMON_CIPHER);

    assertThat(assess(EXCHANGE, TLS12, List.of(cut), NOW).verdict())
        .isEqualTo(SenderVerdict.INCONCLUSIVE);
    SenderAssessment assessment = assess(EXCHANGE, TLS12, List.of(noCipher), NOW);
    assertThat(assessment.verdict()).isEqualTo(SenderVerdict.INCONCLUSIVE);
    assertThat(assessment.message()).contains("modern ECDHE/AEAD suites offered: no");
  }

  @Test
  void aDowngradedRetryWithTheFallbackSignalDecidesNothing() {
    ClientHello retry =
        new ClientHello(List.of(TlsVersion.TLS_1_0), false, List.of(0x002F, 0x5600), null, false);
    SessionRecord downgraded =
        session(
            "192.0.2.7",
            "mail",
            Duration.ofMinutes(4),
            retry,
            null,
            SessionOutcome.VERSION_REFUSED);
    SessionRecord tested =
        session(
            "192.0.2.7",
            "mail",
            Duration.ofMinutes(5),
            MODERN,
            TlsVersion.TLS_1_3,
            SessionOutcome.TESTED_WITH_TLS);

    assertThat(assess(EXCHANGE, TLS12, List.of(downgraded), NOW).verdict())
        .isEqualTo(SenderVerdict.INCONCLUSIVE);
    assertThat(assess(EXCHANGE, TLS12, List.of(downgraded, tested), NOW).verdict())
        .isEqualTo(SenderVerdict.COMPLIANT);
  }

  @Test
  void plaintextAfterAStarttlsThatBrokeOffIsInconclusiveNotMissingStarttls() {
    SessionRecord broken =
        new SessionRecord(
            NOW.minus(Duration.ofMinutes(6)),
            "192.0.2.7",
            "mail",
            true,
            null,
            null,
            SessionOutcome.MALFORMED_HELLO,
            "the client closed the connection inside its ClientHello");
    SessionRecord plaintext =
        session(
            "192.0.2.7",
            "mail",
            Duration.ofMinutes(5),
            null,
            null,
            SessionOutcome.PLAINTEXT_REFUSED);

    SenderAssessment assessment = assess(EXCHANGE, TLS12, List.of(plaintext, broken), NOW);

    assertThat(assessment.verdict()).isEqualTo(SenderVerdict.INCONCLUSIVE);
    assertThat(assessment.message())
        .isEqualTo(
            "tried STARTTLS, which did not get through (MalformedHello: the client closed the"
                + " connection inside its ClientHello), then sent without it");
  }

  @Test
  void plaintextAfterACertificateRefusalIsTheRefusedHandshakesVerdict() {
    SessionRecord distrust =
        session(
            "192.0.2.7",
            "mail",
            Duration.ofMinutes(6),
            MODERN,
            TlsVersion.TLS_1_2,
            SessionOutcome.CERTIFICATE_REJECTED);
    SessionRecord plaintext =
        session(
            "192.0.2.7",
            "mail",
            Duration.ofMinutes(5),
            null,
            null,
            SessionOutcome.PLAINTEXT_REFUSED);

    SenderAssessment assessment = assess(EXCHANGE, TLS12, List.of(plaintext, distrust), NOW);

    assertThat(assessment.verdict()).isEqualTo(SenderVerdict.COMPLIANT);
    assertThat(assessment.message()).endsWith("; it then retried without STARTTLS");
  }

  @Test
  void anotherHostsAttemptIsNotThisHostsFallback() {
    SessionRecord otherHost =
        session(
            "192.0.2.8",
            "mail",
            Duration.ofMinutes(6),
            LEGACY,
            null,
            SessionOutcome.VERSION_REFUSED);
    SessionRecord plaintext =
        session(
            "192.0.2.7",
            "mail",
            Duration.ofMinutes(5),
            null,
            null,
            SessionOutcome.PLAINTEXT_REFUSED);

    assertThat(assess(EXCHANGE, TLS12, List.of(plaintext, otherHost), NOW).verdict())
        .isEqualTo(SenderVerdict.NO_STARTTLS);
  }

  @Test
  void aLowerOfferRightAfterAHigherOneIsARetryNotTheSendersBest() {
    SessionRecord higher =
        session(
            "192.0.2.7",
            "mail",
            Duration.ofMinutes(6),
            MODERN,
            null,
            SessionOutcome.HANDSHAKE_FAILED);
    SessionRecord lower =
        session(
            "192.0.2.7",
            "mail",
            Duration.ofMinutes(5),
            LEGACY,
            null,
            SessionOutcome.VERSION_REFUSED);

    SenderAssessment assessment = assess(EXCHANGE, TLS12, List.of(lower, higher), NOW);

    assertThat(assessment.verdict()).isEqualTo(SenderVerdict.INCONCLUSIVE);
    assertThat(assessment.message())
        .isEqualTo(
            "offered up to TLSv1.1, a retry after its TLSv1.2-TLSv1.3 attempt did not get through"
                + " (HandshakeFailed)");
  }

  @Test
  void aHandshakeOnALegacySuiteOnlyIsInconclusive() {
    ClientHello rsaOnly =
        new ClientHello(List.of(TlsVersion.TLS_1_2), false, List.of(0x002F, 0x000A), null, false);
    SessionRecord tested =
        session(
            "192.0.2.7",
            "mail",
            Duration.ofMinutes(5),
            rsaOnly,
            TlsVersion.TLS_1_2,
            SessionOutcome.TESTED_WITH_TLS);

    assertThat(assess(EXCHANGE, TLS12, List.of(tested), NOW).verdict())
        .isEqualTo(SenderVerdict.INCONCLUSIVE);
  }

  @Test
  void aSenderIsKnownByAddressRangeAndEhloNameTogether() {
    ExpectedSender behindNat =
        new ExpectedSender(
            "mail2",
            List.of(AddressRange.parse("2001:db8::/32")),
            List.of("*.Example.COM"),
            SenderSoftware.POSTFIX);

    assertThat(
            behindNat.matches(
                session(
                    "2001:db8::5",
                    "mx2.example.com",
                    Duration.ZERO,
                    null,
                    null,
                    SessionOutcome.TIMEOUT)))
        .isTrue();
    assertThat(
            behindNat.matches(
                session(
                    "2001:db8::5",
                    "example.com",
                    Duration.ZERO,
                    null,
                    null,
                    SessionOutcome.TIMEOUT)))
        .isFalse();
    assertThat(
            behindNat.matches(
                session(
                    "2001:db9::5",
                    "mx2.example.com",
                    Duration.ZERO,
                    null,
                    null,
                    SessionOutcome.TIMEOUT)))
        .isFalse();
    assertThat(
            behindNat.matches(
                session(
                    "192.0.2.5",
                    "mx2.example.com",
                    Duration.ZERO,
                    null,
                    null,
                    SessionOutcome.TIMEOUT)))
        .isFalse();
    assertThat(
            behindNat.matches(
                session("2001:db8::5", null, Duration.ZERO, null, null, SessionOutcome.TIMEOUT)))
        .isFalse();
  }

  @Test
  void otherSendersSessionsDoNotCount() {
    SessionRecord stranger =
        session(
            "198.51.100.1",
            "mail",
            Duration.ofMinutes(5),
            LEGACY,
            null,
            SessionOutcome.VERSION_REFUSED);

    assertThat(assess(EXCHANGE, TLS12, List.of(stranger), NOW).verdict())
        .isEqualTo(SenderVerdict.NOT_SEEN);
  }
}
