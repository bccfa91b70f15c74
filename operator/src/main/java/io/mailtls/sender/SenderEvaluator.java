package io.mailtls.sender;

import io.mailtls.receiver.ClientKey;
import io.mailtls.receiver.SessionHistory;
import io.mailtls.receiver.SessionOutcome;
import io.mailtls.receiver.SessionRecord;
import io.mailtls.text.Durations;
import io.mailtls.tls.ClientHello;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Turns the receiver's sessions into a verdict on one expected sender. The verdict rests on the
 * sender's most recent session that showed its TLS (a complete ClientHello) or its lack of it (MAIL
 * FROM without STARTTLS); sessions that showed neither never decide a verdict.
 */
public final class SenderEvaluator {
  /**
   * A plaintext session this soon after a STARTTLS of the same client is the sender falling back
   * (Postfix retries opportunistic TLS as plaintext at once), and a lower offer this soon after a
   * higher one is a downgraded retry: in both, the earlier attempt says more.
   */
  static final Duration FALLBACK_WINDOW = Duration.ofMinutes(15);

  private SenderEvaluator() {}

  /**
   * @param history the receiver's sessions, from every sender, and where its memory has gaps
   */
  public static SenderAssessment assess(
      ExpectedSender sender, SenderRequirements requirements, SessionHistory history, Instant now) {
    SenderAssessment judged = judge(sender, requirements, history, now);
    return sender.knownByNameOnly()
        ? asClaimed(judged, sender, requirements, history, now)
        : judged;
  }

  /**
   * A sender known by its EHLO name alone: any client can say that name, so what its sessions show
   * is told but never held against it as a critical verdict, and it is Compliant only while no
   * session that claims its name shows otherwise (a claim must not hide the real server's).
   */
  private static SenderAssessment asClaimed(
      SenderAssessment judged,
      ExpectedSender sender,
      SenderRequirements requirements,
      SessionHistory history,
      Instant now) {
    String claim = "known by its EHLO name alone, which any client can claim, so ";
    if (judged.verdict() == SenderVerdict.OUTDATED_TLS
        || judged.verdict() == SenderVerdict.NO_STARTTLS) {
      return judged.as(
          SenderVerdict.INCONCLUSIVE,
          claim + "not held against it as " + judged.verdict().reason() + ": " + judged.message());
    }
    if (judged.verdict() == SenderVerdict.COMPLIANT) {
      Instant oldest = now.minus(requirements.maxAge());
      Optional<SessionRecord> otherwise =
          history.newestFirst().stream()
              .filter(s -> !s.startedAt().isBefore(oldest) && sender.matches(s) && telling(s))
              .filter(
                  s -> {
                    SenderVerdict alone =
                        judge(sender, requirements, SessionHistory.complete(List.of(s)), now)
                            .verdict();
                    return alone == SenderVerdict.OUTDATED_TLS
                        || alone == SenderVerdict.NO_STARTTLS;
                  })
              .findFirst();
      if (otherwise.isPresent()) {
        return judged.as(
            SenderVerdict.INCONCLUSIVE,
            claim
                + "not Compliant while sessions that claim its name disagree: "
                + judged.message()
                + "; but "
                + otherwise.get().clientAddress()
                + " at "
                + otherwise.get().startedAt()
                + ": "
                + otherwise.get().outcome()
                + " ("
                + otherwise.get().detail()
                + ")");
      }
    }
    return judged;
  }

  private static SenderAssessment judge(
      ExpectedSender sender, SenderRequirements requirements, SessionHistory history, Instant now) {
    Instant oldest = now.minus(requirements.maxAge());
    // What came before a session counts even when it is older than the maximum age: a chain (a
    // higher offer, a lower retry, a plaintext retry) must not be cut by the age limit.
    Instant oldestBefore = oldest.minus(FALLBACK_WINDOW.multipliedBy(2));
    List<SessionRecord> mine =
        history.newestFirst().stream()
            .filter(s -> s.outcome() != SessionOutcome.BUSY)
            .filter(s -> !s.startedAt().isBefore(oldestBefore)) // before matching: it parses
            .filter(sender::matches)
            .toList();
    List<SessionRecord> recent =
        mine.stream().filter(s -> !s.startedAt().isBefore(oldest)).toList();
    if (recent.isEmpty()) {
      return verdict(
          sender,
          requirements,
          SenderVerdict.NOT_SEEN,
          "no session from this sender in the last " + describe(requirements.maxAge()),
          null);
    }
    List<SessionRecord> telling = recent.stream().filter(SenderEvaluator::telling).toList();
    if (telling.isEmpty()) {
      SessionRecord latest = recent.get(0);
      return verdict(
          sender,
          requirements,
          SenderVerdict.INCONCLUSIVE,
          recent.size()
              + " session(s) in the last "
              + describe(requirements.maxAge())
              + ", none showed what TLS the sender offers; the latest: "
              + latest.outcome()
              + " ("
              + latest.detail()
              + ")",
          latest);
    }
    SessionRecord latest = telling.get(0);
    if (history.mayMiss(latest.clientAddress(), latest.startedAt())) {
      // Sessions are remembered in the order they ended: a later one may have gone first.
      return verdict(
          sender,
          requirements,
          SenderVerdict.INCONCLUSIVE,
          "the receiver no longer remembers all of this client's sessions since its latest"
              + " telling one ("
              + latest.outcome()
              + ": "
              + latest.detail()
              + "), so it is not known to be the latest",
          latest);
    }
    if (!latest.outcome().observedPlaintextMail()) {
      return fromTls(sender, requirements, latest, mine, history, "");
    }
    // Plaintext right after a STARTTLS from the same client is the sender falling back (Postfix
    // and Exim retry opportunistic TLS as plaintext at once): that STARTTLS is the finding.
    Optional<SessionRecord> attempt = previousStartTls(latest, mine);
    if (attempt.isPresent()) {
      SessionRecord tried = attempt.get();
      if (history.mayMiss(tried.clientAddress(), tried.startedAt())) {
        return verdict(
            sender,
            requirements,
            SenderVerdict.INCONCLUSIVE,
            "sent MAIL FROM without STARTTLS ("
                + latest.detail()
                + "), but the receiver no longer remembers all of this client's sessions between"
                + " that and its STARTTLS before, so which attempt it fell back from is not known",
            latest);
      }
      return telling(tried)
          ? fromTls(
              sender, requirements, tried, mine, history, "; it then retried without STARTTLS")
          : verdict(
              sender,
              requirements,
              SenderVerdict.INCONCLUSIVE,
              "tried STARTTLS, which did not get through ("
                  + tried.outcome()
                  + ": "
                  + tried.detail()
                  + "), then sent without it",
              tried);
    }
    // Even where plaintext is allowed: a STARTTLS just before would be what decides.
    if (forgotJustBefore(latest, history)) {
      return verdict(
          sender,
          requirements,
          SenderVerdict.INCONCLUSIVE,
          "sent MAIL FROM without STARTTLS ("
              + latest.detail()
              + "), but the receiver no longer remembers all of this client's sessions just before"
              + " it, so whether it had tried STARTTLS first is not known",
          latest);
    }
    return requirements.startTlsRequired()
        ? verdict(
            sender,
            requirements,
            SenderVerdict.NO_STARTTLS,
            "sent MAIL FROM without STARTTLS ("
                + latest.detail()
                + "); a peer that requires TLS, such as Office 365, answers 451 5.7.3",
            latest)
        : verdict(
            sender,
            requirements,
            SenderVerdict.COMPLIANT,
            "sent without STARTTLS, which this policy allows",
            latest);
  }

  /**
   * Whether sessions of {@code session}'s client from the {@link #FALLBACK_WINDOW} before it may
   * have been forgotten (the receiver's memory is bounded): then what it did just before is not
   * known, and a verdict that rests on it would rest on half of a pair.
   */
  private static boolean forgotJustBefore(SessionRecord session, SessionHistory history) {
    return history.mayMiss(session.clientAddress(), session.startedAt().minus(FALLBACK_WINDOW));
  }

  /** The same client's last session with STARTTLS before {@code session}, if recent enough. */
  private static Optional<SessionRecord> previousStartTls(
      SessionRecord session, List<SessionRecord> newestFirst) {
    return sameClientJustBefore(session, newestFirst).filter(SessionRecord::startTls).findFirst();
  }

  /**
   * The same client's sessions (an address, or an IPv6 /64) within {@link #FALLBACK_WINDOW} before
   * {@code session}, newest first.
   */
  private static Stream<SessionRecord> sameClientJustBefore(
      SessionRecord session, List<SessionRecord> newestFirst) {
    String client = ClientKey.of(session.clientAddress());
    Instant from = session.startedAt().minus(FALLBACK_WINDOW);
    return newestFirst.stream()
        .filter(s -> s.startedAt().isBefore(session.startedAt()))
        .filter(s -> !s.startedAt().isBefore(from))
        .filter(s -> ClientKey.of(s.clientAddress()).equals(client));
  }

  /**
   * A session that shows the sender's TLS (a complete hello, not a downgraded retry that carries
   * the fallback signal) or its lack of it (MAIL FROM, no STARTTLS in the whole session).
   */
  private static boolean telling(SessionRecord session) {
    if (session.outcome().observedPlaintextMail()) {
      return !session.startTls();
    }
    return session.outcome().observedTls()
        && session.hello() != null
        && !session.hello().fallbackSignalled();
  }

  private static SenderAssessment fromTls(
      ExpectedSender sender,
      SenderRequirements requirements,
      SessionRecord session,
      List<SessionRecord> sessions,
      SessionHistory history,
      String more) {
    ClientHello hello = session.hello();
    String offered = "offered " + hello.describeOffer();
    String minimum = requirements.minimumVersion().label();
    if (!hello.offersAtLeast(requirements.minimumVersion())) {
      Optional<SessionRecord> better = betterOfferJustBefore(session, sessions, requirements);
      if (better.isPresent()) {
        // Schannel retries lower without the fallback signal: not the sender's best.
        return verdict(
            sender,
            requirements,
            SenderVerdict.INCONCLUSIVE,
            offered
                + ", a retry after its "
                + better.get().hello().describeOffer()
                + " attempt did not get through ("
                + better.get().outcome()
                + ")"
                + more,
            session);
      }
      if (forgotJustBefore(session, history)) {
        return verdict(
            sender,
            requirements,
            SenderVerdict.INCONCLUSIVE,
            offered
                + ", but the receiver no longer remembers all of this client's sessions just"
                + " before it, so whether this was a retry after a better attempt is not known"
                + more,
            session);
      }
      return verdict(
          sender,
          requirements,
          SenderVerdict.OUTDATED_TLS,
          offered
              + ": it cannot send to a peer that requires "
              + minimum
              + " or newer (Office 365 drops it: 421 4.4.2 Connection dropped due to"
              + " SocketError)"
              + more,
          session);
    }
    if (session.outcome().agreedOnTls()
        && session.negotiated() != null
        && session.negotiated().isAtLeast(requirements.minimumVersion())
        && hello.modernSuitesOffered()) {
      String after =
          session.outcome() == SessionOutcome.CERTIFICATE_REJECTED
              ? "; it then refused the receiver's certificate: " + session.detail()
              : "";
      return verdict(
          sender,
          requirements,
          SenderVerdict.COMPLIANT,
          offered + ", negotiated " + session.negotiated().label() + after + more,
          session);
    }
    // A handshake that broke off, found no suite in common, or agreed on a legacy suite only: the
    // versions are fine; whether a TLS 1.2-only peer such as Office 365 takes its suites is not
    // decided here.
    return verdict(
        sender,
        requirements,
        SenderVerdict.INCONCLUSIVE,
        offered
            + ", but no handshake with a modern suite was seen: "
            + session.outcome()
            + " ("
            + session.detail()
            + "; modern ECDHE/AEAD suites offered: "
            + (hello.modernSuitesOffered() ? "yes" : "no")
            + ")"
            + more,
        session);
  }

  /** A hello from the same client shortly before that offered the minimum version. */
  private static Optional<SessionRecord> betterOfferJustBefore(
      SessionRecord session, List<SessionRecord> sessions, SenderRequirements requirements) {
    return sameClientJustBefore(session, sessions)
        .filter(s -> s.hello() != null && s.hello().offersAtLeast(requirements.minimumVersion()))
        .findFirst();
  }

  private static SenderAssessment verdict(
      ExpectedSender sender,
      SenderRequirements requirements,
      SenderVerdict verdict,
      String message,
      SessionRecord evidence) {
    return new SenderAssessment(
        sender.name(),
        verdict,
        message,
        SenderRemediation.forVerdict(verdict, sender.software(), requirements.minimumVersion()),
        evidence);
  }

  private static String describe(Duration age) {
    return Durations.format(age);
  }
}
