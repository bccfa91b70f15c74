package io.mailtls.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtls.metrics.MailTlsMetrics;
import io.mailtls.receiver.ReceiverLimits;
import io.mailtls.receiver.SessionLog;
import io.mailtls.receiver.SessionOutcome;
import io.mailtls.receiver.SessionRecord;
import io.mailtls.sender.AddressRange;
import io.mailtls.sender.ExpectedSender;
import io.mailtls.sender.KnownSenders;
import io.mailtls.sender.SenderSoftware;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReceivedSessionsTest {
  private static SessionRecord busy(String address) {
    return new SessionRecord(
        Instant.now(), address, null, false, null, null, SessionOutcome.BUSY, "too many");
  }

  /** A refusal has no EHLO name; an expected sender's refusal is told by its address. */
  @Test
  void anExpectedSenderRefusedForBusyIsCountedAsExpected() {
    SessionLog sessions = new SessionLog(ReceiverLimits.defaults());
    KnownSenders known = new KnownSenders();
    known.put(
        "mail/onprem",
        List.of(
            new ExpectedSender(
                "exchange01",
                List.of(AddressRange.parse("192.0.2.0/24")),
                List.of("mail.example.test"),
                SenderSoftware.EXCHANGE)));
    MailTlsMetrics metrics =
        new MailTlsMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    ReceivedSessions.wire(sessions, known, metrics);

    sessions.add(busy("192.0.2.7"));
    sessions.add(busy("198.51.100.1"));
    sessions.add(busy("198.51.100.2"));

    assertThat(metrics.scrape())
        .contains(
            "mailtls_sender_sessions_total{expected=\"true\",outcome=\"Busy\"} 1.0",
            "mailtls_sender_sessions_total{expected=\"false\",outcome=\"Busy\"} 2.0");
    assertThat(sessions.expected().contains("192.0.2.7")).isTrue();
  }
}
