package io.mailtls.status;

import io.mailtls.metrics.MailTlsMetrics;
import io.mailtls.receiver.SessionLog;
import io.mailtls.receiver.SessionOutcome;
import io.mailtls.receiver.SessionRecord;
import io.mailtls.sender.KnownSenders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every session the test receiver records is counted in the metrics and logged, in one place; and
 * the sessions of expected senders' addresses are kept apart from strangers'.
 */
public final class ReceivedSessions {
  private static final Logger log = LoggerFactory.getLogger(ReceivedSessions.class);

  private ReceivedSessions() {}

  public static void wire(SessionLog sessions, KnownSenders known, MailTlsMetrics metrics) {
    sessions.reserveFor(known);
    sessions.onRecord(
        session -> {
          // A refused session has no EHLO name: whether it was an expected sender's is told by
          // its address, so that an expected sender locked out is seen.
          boolean busy = session.outcome() == SessionOutcome.BUSY;
          boolean expected =
              busy ? known.contains(session.clientAddress()) : known.isExpected(session);
          metrics.countSession(session.outcome(), expected);
          if (!busy || expected) {
            logSession(session, expected);
          }
        });
  }

  private static void logSession(SessionRecord session, boolean expected) {
    log.atInfo()
        .addKeyValue("client", session.clientAddress())
        .addKeyValue("ehlo", session.ehloName())
        .addKeyValue("expected", expected)
        .addKeyValue("startTls", session.startTls())
        .addKeyValue("offered", session.hello() == null ? null : session.hello().describeOffer())
        .addKeyValue(
            "negotiated", session.negotiated() == null ? null : session.negotiated().label())
        .addKeyValue("outcome", session.outcome().label())
        .log(
            "test session from {} ({}): {}: {}",
            session.clientAddress(),
            session.ehloName() == null ? "no EHLO" : session.ehloName(),
            session.outcome(),
            session.detail());
  }
}
