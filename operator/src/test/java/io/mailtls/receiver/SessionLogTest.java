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

  @Test
  void strangersCannotPushAnExpectedSendersRecordsOut() {
    SessionLog log = new SessionLog(ReceiverLimits.defaults().withRecords(100, 32));
    log.reserveFor(ExpectedAddresses.of("192.0.2.10"::equals));
    log.add(session("192.0.2.10", 1));
    log.add(session("192.0.2.10", 2));
    for (int i = 0; i < 10_000; i++) {
      log.add(session("198.51.100." + (i % 250) + "", 3 + i));
    }

    assertThat(log.size()).isEqualTo(102);
    assertThat(log.sessions())
        .filteredOn(s -> s.clientAddress().equals("192.0.2.10"))
        .extracting(s -> s.startedAt().getEpochSecond())
        .containsExactly(2L, 1L);
    assertThat(log.history().mayMiss("192.0.2.10", Instant.EPOCH)).isFalse();
  }

  @Test
  void whatWasForgottenIsMarkedForTheClient() {
    SessionLog log = new SessionLog(ReceiverLimits.defaults().withRecords(3, 2));
    log.add(session("192.0.2.1", 1));
    log.add(session("192.0.2.1", 2));
    log.add(session("192.0.2.1", 3)); // its own limit: 1 is forgotten
    log.add(session("2001:db8::1", 4));
    log.add(session("2001:db8::2", 5)); // the log's limit: 192.0.2.1 gives up 2

    SessionHistory history = log.history();
    assertThat(history.newestFirst())
        .extracting(s -> s.clientAddress() + "@" + s.startedAt().getEpochSecond())
        .containsExactly("2001:db8::2@5", "2001:db8::1@4", "192.0.2.1@3");
    assertThat(history.mayMiss("192.0.2.1", Instant.ofEpochSecond(2))).isTrue();
    assertThat(history.mayMiss("192.0.2.1", Instant.ofEpochSecond(3))).isFalse();
    assertThat(history.mayMiss("2001:db8::99", Instant.EPOCH)).isFalse();
    assertThat(history.mayMiss("192.0.2.2", Instant.EPOCH)).isFalse();
  }
}
