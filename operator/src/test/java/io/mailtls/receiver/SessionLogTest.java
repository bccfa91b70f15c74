package io.mailtls.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SessionLogTest {
  private static SessionRecord session(String address, int second) {
    return new SessionRecord(
        Instant.ofEpochSecond(second),
        address,
        null,
        false,
        null,
        null,
        SessionOutcome.TIMEOUT,
        "");
  }

  @Test
  void aNoisyAddressKeepsOnlyItsNewestSessions() {
    SessionLog log = new SessionLog(ReceiverLimits.defaults().withRecords(100, 3));
    for (int i = 0; i < 10; i++) {
      log.add(session("192.0.2.1", i));
    }

    assertThat(log.sessions())
        .extracting(s -> s.startedAt().getEpochSecond())
        .containsExactly(9L, 8L, 7L);
    assertThat(log.count(SessionOutcome.TIMEOUT)).isEqualTo(10);
  }

  @Test
  void theLeastRecentlyActiveAddressGivesWayWhenTheLogIsFull() {
    SessionLog log = new SessionLog(ReceiverLimits.defaults().withRecords(4, 3));
    log.add(session("192.0.2.1", 1));
    log.add(session("192.0.2.2", 2));
    log.add(session("192.0.2.2", 3));
    log.add(session("192.0.2.1", 4));
    log.add(session("192.0.2.3", 5)); // full: 192.0.2.2 is the least recently active

    assertThat(log.size()).isEqualTo(4);
    assertThat(log.sessions())
        .extracting(s -> s.clientAddress() + "@" + s.startedAt().getEpochSecond())
        .containsExactly("192.0.2.3@5", "192.0.2.1@4", "192.0.2.2@3", "192.0.2.1@1");
  }
}
