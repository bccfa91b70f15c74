package io.mailtls.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mailtls.tls.TlsVersion;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TestReceiverTest {
  private static ReceiverCertificate certificate;

  private SessionLog log;
  private TestReceiver receiver;

  @BeforeAll
  static void makeCertificate() {
    certificate = ReceiverCertificate.selfSigned("receiver.test");
  }

  private void start(ReceiverMode mode, ReceiverLimits limits) throws Exception {
    log = new SessionLog(limits);
    receiver =
        TestReceiver.start(
            new ReceiverSettings(
                new InetSocketAddress("127.0.0.1", 0), "receiver.test", mode, limits, certificate),
            log);
  }

  private void start(ReceiverMode mode) throws Exception {
    start(mode, ReceiverLimits.defaults());
  }

  @AfterEach
  void stop() {
    if (receiver != null) {
      receiver.close();
    }
  }

  private SessionRecord onlyRecord() {
    await().atMost(Duration.ofSeconds(10)).until(() -> log.size() == 1);
    return log.sessions().get(0);
  }

  @Test
  void aTls13SenderIsRecordedAndItsMessageRefusedAtDataWithTheFinding() throws Exception {
    start(ReceiverMode.EXCHANGE_ONLINE);
    try (TestingSender sender = new TestingSender(receiver.port())) {
      assertThat(sender.reply()).isEqualTo("220 receiver.test ESMTP mailtls test receiver");
      assertThat(sender.send("EHLO modern.sender.test"))
          .isEqualTo(
              "250-receiver.test Hello [127.0.0.1]\n250-SIZE 37748736\n250-8BITMIME\n"
                  + "250-STARTTLS\n250 ENHANCEDSTATUSCODES");
      assertThat(sender.send("STARTTLS")).isEqualTo("220 2.0.0 Ready to start TLS");
      sender.startTls("receiver.test", "TLSv1.3", "TLSv1.2");
      assertThat(sender.negotiatedProtocol()).isEqualTo("TLSv1.3");
      assertThat(sender.send("EHLO modern.sender.test")).doesNotContain("STARTTLS");
      assertThat(sender.send("MAIL FROM:<admin@sender.test>")).isEqualTo("250 2.1.0 Sender OK");
      assertThat(sender.send("RCPT TO:<probe@receiver.test>")).isEqualTo("250 2.1.5 Recipient OK");
      assertThat(sender.send("DATA"))
          .isEqualTo(
              "554 5.7.0 mailtls test receiver: you offered TLSv1.2-TLSv1.3, negotiated TLSv1.3;"
                  + " a TLS 1.2-only peer such as Office 365 accepts this; not delivered");
    }

    SessionRecord record = onlyRecord();
    assertThat(record.outcome()).isEqualTo(SessionOutcome.TESTED_WITH_TLS);
    assertThat(record.clientAddress()).isEqualTo("127.0.0.1");
    assertThat(record.ehloName()).isEqualTo("modern.sender.test");
    assertThat(record.startTls()).isTrue();
    assertThat(record.hello().offeredVersions())
        .containsExactly(TlsVersion.TLS_1_2, TlsVersion.TLS_1_3);
    assertThat(record.hello().fromSupportedVersions()).isTrue();
    assertThat(record.hello().modernSuitesOffered()).isTrue();
    assertThat(record.hello().serverName()).isEqualTo("receiver.test");
    assertThat(record.negotiated()).isEqualTo(TlsVersion.TLS_1_3);
  }

  @Test
  void aTls12OnlySenderNegotiatesTls12() throws Exception {
    start(ReceiverMode.EXCHANGE_ONLINE);
    try (TestingSender sender = new TestingSender(receiver.port())) {
      sender.reply();
      sender.send("EHLO tls12.sender.test");
      sender.send("STARTTLS");
      sender.startTls("receiver.test", "TLSv1.2");
      assertThat(sender.negotiatedProtocol()).isEqualTo("TLSv1.2");
      assertThat(sender.send("QUIT")).isEqualTo("221 2.0.0 Service closing transmission channel");
    }

    SessionRecord record = onlyRecord();
    assertThat(record.outcome()).isEqualTo(SessionOutcome.TLS_NEGOTIATED);
    assertThat(record.negotiated()).isEqualTo(TlsVersion.TLS_1_2);
    assertThat(record.hello().offeredVersions()).containsExactly(TlsVersion.TLS_1_2);
  }

  /**
   * A sender that verifies the certificate refuses a self-signed one with an alert after the
   * version was agreed; the alert often reaches the receiver while it is still writing its flight,
   * and the sender has closed by then. Every such session is a certificate rejection, never a
   * "broken handshake".
   */
  @Test
  void sendersThatRefuseTheCertificateAreAlwaysRecordedSo() throws Exception {
    start(ReceiverMode.EXCHANGE_ONLINE);
    int sessions = 30;
    for (int i = 0; i < sessions; i++) {
      try (TestingSender sender = new TestingSender(receiver.port())) {
        sender.reply();
        sender.send("EHLO verifying.sender.test");
        sender.send("STARTTLS");
        String version = i % 2 == 0 ? "TLSv1.3" : "TLSv1.2";
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> sender.startTlsVerifying("receiver.test", version))
            .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
      }
    }

    await().atMost(Duration.ofSeconds(20)).until(() -> log.size() == sessions);
    assertThat(log.sessions())
        .extracting(SessionRecord::outcome, SessionRecord::negotiated)
        .containsOnly(
            org.assertj.core.groups.Tuple.tuple(
                SessionOutcome.CERTIFICATE_REJECTED, TlsVersion.TLS_1_3),
            org.assertj.core.groups.Tuple.tuple(
                SessionOutcome.CERTIFICATE_REJECTED, TlsVersion.TLS_1_2));
  }

  /** A NUL or a control byte in the EHLO name is shown, never dropped to glue a known name. */
  @Test
  void controlBytesInTheEhloNameAreKeptVisible() throws Exception {
    start(ReceiverMode.EXCHANGE_ONLINE);
    try (TestingSender sender = new TestingSender(receiver.port())) {
      sender.reply();
      sender.raw("EHLO mx.victim\u0000.te\u001bst\r\n".getBytes(StandardCharsets.ISO_8859_1));
      sender.reply();
      sender.send("QUIT");
    }

    SessionRecord record = onlyRecord();
    assertThat(record.ehloName()).isEqualTo("mx.victim\\x00.te\\x1Bst");
  }

  /**
   * A sender that hangs up after the handshake closed the connection; it did not run out of time.
   */
  @Test
  void aSenderThatHangsUpAfterTheHandshakeIsNotSaidToHaveRunOutOfTime() throws Exception {
    start(ReceiverMode.EXCHANGE_ONLINE);
    try (TestingSender sender = new TestingSender(receiver.port())) {
      sender.reply();
      sender.send("EHLO abrupt.sender.test");
      sender.send("STARTTLS");
      sender.startTls("receiver.test", "TLSv1.3");
      sender.send("EHLO abrupt.sender.test");
      sender.hangUp();
    }

    SessionRecord record = onlyRecord();
    assertThat(record.outcome()).isEqualTo(SessionOutcome.TLS_NEGOTIATED);
    assertThat(record.detail()).isEqualTo("the sender closed the connection after the handshake");
  }

  /** A connection reset after the handshake broke the connection; time did not run out. */
  @Test
  void aResetAfterTheHandshakeIsABrokenConnection() throws Exception {
    start(ReceiverMode.EXCHANGE_ONLINE);
    try (TestingSender sender = new TestingSender(receiver.port())) {
      sender.reply();
      sender.send("EHLO abrupt.sender.test");
      sender.send("STARTTLS");
      sender.startTls("receiver.test", "TLSv1.3");
      sender.send("EHLO abrupt.sender.test");
      sender.reset();
    }

    SessionRecord record = onlyRecord();
    assertThat(record.outcome()).isEqualTo(SessionOutcome.TLS_NEGOTIATED);
    assertThat(record.detail()).isEqualTo("the connection broke after the handshake");
  }

  @Test
  void mailWithoutStarttlsIsRefusedAsExchangeOnlineDoes() throws Exception {
    start(ReceiverMode.EXCHANGE_ONLINE);
    try (TestingSender sender = new TestingSender(receiver.port())) {
      sender.reply();
      sender.send("EHLO plain.sender.test");
      assertThat(sender.send("MAIL FROM:<admin@sender.test>"))
          .isEqualTo("451 5.7.3 Must issue a STARTTLS command first");
      assertThat(sender.send("RCPT TO:<probe@receiver.test>")).startsWith("503 ");
      sender.send("QUIT");
    }

    SessionRecord record = onlyRecord();
    assertThat(record.outcome()).isEqualTo(SessionOutcome.PLAINTEXT_REFUSED);
    assertThat(record.startTls()).isFalse();
    assertThat(record.hello()).isNull();
  }

  @Test
  void aTls10HelloIsRecordedThenAnsweredWithProtocolVersionAndClosed() throws Exception {
    start(ReceiverMode.EXCHANGE_ONLINE);
    try (TestingSender sender = new TestingSender(receiver.port())) {
      sender.reply();
      sender.send("EHLO legacy.sender.test");
      sender.send("STARTTLS");
      sender.raw(TestingSender.legacyHello(0x0301));
      assertThat(sender.readToEnd(100)).isEqualTo(HexFormat.of().parseHex("15030100020246"));
    }

    SessionRecord record = onlyRecord();
    assertThat(record.outcome()).isEqualTo(SessionOutcome.VERSION_REFUSED);
    assertThat(record.hello().offeredVersions()).containsExactly(TlsVersion.TLS_1_0);
    assertThat(record.hello().modernSuitesOffered()).isFalse();
    assertThat(record.negotiated()).isNull();
    assertThat(record.detail())
        .isEqualTo(
            "offered up to TLSv1.0; the receiver (exchange-online) accepts TLSv1.2 and newer, so it"
                + " sent protocol_version and closed");
  }

  @Test
  void inAnyVersionModePlaintextReachesDataAndReadsItsFinding() throws Exception {
    start(ReceiverMode.ANY_VERSION);
    try (TestingSender sender = new TestingSender(receiver.port())) {
      sender.reply();
      sender.send("HELO plain.sender.test");
      assertThat(sender.send("MAIL FROM:<admin@sender.test>")).isEqualTo("250 2.1.0 Sender OK");
      sender.send("RCPT TO:<probe@receiver.test>");
      assertThat(sender.send("DATA"))
          .isEqualTo(
              "554 5.7.0 mailtls test receiver: you sent HELO, not EHLO, so STARTTLS could not even"
                  + " be offered; Office 365 refuses that with 451 5.7.3; not delivered");
    }

    SessionRecord record = onlyRecord();
    assertThat(record.outcome()).isEqualTo(SessionOutcome.TESTED_WITHOUT_TLS);
    assertThat(record.ehloName()).isEqualTo("plain.sender.test");
  }

  @Test
  void aStarttlsThatBreaksOffAfterAPlaintextTestIsRecordedAsTheBrokenAttempt() throws Exception {
    start(ReceiverMode.ANY_VERSION);
    try (TestingSender sender = new TestingSender(receiver.port())) {
      sender.reply();
      sender.send("EHLO odd.sender.test");
      sender.send("MAIL FROM:<admin@sender.test>");
      sender.send("RCPT TO:<probe@receiver.test>");
      assertThat(sender.send("DATA")).startsWith("554 5.7.0 ");
      assertThat(sender.send("STARTTLS")).isEqualTo("220 2.0.0 Ready to start TLS");
    }

    SessionRecord record = onlyRecord();
    assertThat(record.outcome()).isEqualTo(SessionOutcome.MALFORMED_HELLO);
    assertThat(record.hello()).isNull();
  }

  @Test
  void sessionsRefusedByTheOverallLimitLeaveNoCountBehind() throws Exception {
    start(ReceiverMode.EXCHANGE_ONLINE, ReceiverLimits.defaults().withSessions(1, 8));
    for (int round = 0; round < 3; round++) {
      try (TestingSender first = new TestingSender(receiver.port());
          TestingSender second = new TestingSender(receiver.port())) {
        assertThat(first.reply()).startsWith("220 ");
        assertThat(second.reply()).startsWith("421 4.7.0 ");
        first.send("QUIT");
      }
      int sessions = round + 1;
      await().atMost(Duration.ofSeconds(10)).until(() -> log.size() == sessions);
    }
    assertThat(log.count(SessionOutcome.BUSY)).isEqualTo(3);
  }

  @Test
  void anEndlessLineIsCutAndClassified() throws Exception {
    start(ReceiverMode.EXCHANGE_ONLINE);
    try (TestingSender sender = new TestingSender(receiver.port())) {
      sender.reply();
      sender.raw("X".repeat(5000).getBytes(StandardCharsets.US_ASCII));
      assertThat(sender.reply())
          .isEqualTo("500 5.5.6 a command line longer than 2048 bytes; closing");
    }

    SessionRecord record = onlyRecord();
    assertThat(record.outcome()).isEqualTo(SessionOutcome.PROTOCOL_VIOLATION);
  }

  @Test
  void garbageAfterStarttlsIsAMalformedHello() throws Exception {
    start(ReceiverMode.EXCHANGE_ONLINE);
    try (TestingSender sender = new TestingSender(receiver.port())) {
      sender.reply();
      sender.send("EHLO odd.sender.test");
      sender.send("STARTTLS");
      sender.raw("MAIL FROM:<admin@sender.test>\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(sender.readToEnd(100)).isEmpty();
    }

    SessionRecord record = onlyRecord();
    assertThat(record.outcome()).isEqualTo(SessionOutcome.MALFORMED_HELLO);
    assertThat(record.detail()).isEqualTo("not a TLS handshake record (first byte 0x4d)");
    assertThat(record.startTls()).isTrue();
  }

  @Test
  void aHelloSentOneByteAtATimeIsReadAndAnswered() throws Exception {
    start(ReceiverMode.EXCHANGE_ONLINE);
    try (TestingSender sender = new TestingSender(receiver.port())) {
      sender.reply();
      sender.send("EHLO slow.sender.test");
      sender.send("STARTTLS");
      for (byte b : TestingSender.legacyHello(0x0302)) {
        sender.raw(new byte[] {b});
      }
      assertThat(sender.readToEnd(100)).isEqualTo(HexFormat.of().parseHex("15030100020246"));
    }

    assertThat(onlyRecord().hello().offeredVersions()).containsExactly(TlsVersion.TLS_1_1);
  }

  @Test
  void aQuietSenderTimesOut() throws Exception {
    start(
        ReceiverMode.EXCHANGE_ONLINE,
        ReceiverLimits.defaults().withTimeouts(Duration.ofMillis(300), Duration.ofSeconds(30)));
    try (TestingSender sender = new TestingSender(receiver.port())) {
      sender.reply();
      assertThat(sender.reply()).isEqualTo("421 4.4.2 receiver.test idle timeout; closing");
    }

    assertThat(onlyRecord().outcome()).isEqualTo(SessionOutcome.TIMEOUT);
  }

  @Test
  void aSessionThatRunsOutOfTimeIsCut() throws Exception {
    start(
        ReceiverMode.EXCHANGE_ONLINE,
        ReceiverLimits.defaults().withTimeouts(Duration.ofSeconds(30), Duration.ofMillis(500)));
    try (TestingSender sender = new TestingSender(receiver.port())) {
      sender.reply();
      for (int i = 0; i < 50 && sender.send("NOOP") != null; i++) {
        Thread.sleep(50);
      }
    }

    SessionRecord record = onlyRecord();
    assertThat(record.outcome()).isEqualTo(SessionOutcome.NO_MAIL_ATTEMPT);
    assertThat(record.detail())
        .isEqualTo("the session ran out of time before STARTTLS or MAIL FROM");
  }

  @Test
  void aThousandConnectionsAtOnceAreBoundedAndTheReceiverStillServes() throws Exception {
    start(ReceiverMode.EXCHANGE_ONLINE, ReceiverLimits.defaults().withSessions(64, 64));
    List<java.net.Socket> sockets = new ArrayList<>();
    int greeted = 0;
    int refused = 0;
    try {
      for (int i = 0; i < 1000; i++) {
        java.net.Socket socket = new java.net.Socket("127.0.0.1", receiver.port());
        socket.setSoTimeout(10_000);
        sockets.add(socket);
        String first =
            new java.io.BufferedReader(
                    new java.io.InputStreamReader(
                        socket.getInputStream(), StandardCharsets.US_ASCII))
                .readLine();
        if (first.startsWith("220 ")) {
          greeted++;
        } else if (first.startsWith("421 4.7.0 ")) {
          refused++;
        }
      }
    } finally {
      for (java.net.Socket socket : sockets) {
        socket.close();
      }
    }

    assertThat(greeted).isEqualTo(64);
    assertThat(refused).isEqualTo(936);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> log.count(SessionOutcome.NO_MAIL_ATTEMPT) == 64);
    assertThat(log.count(SessionOutcome.BUSY)).isEqualTo(936);
    assertThat(log.size()).isEqualTo(32); // remembered: the newest 32 of one client address
    try (TestingSender sender = new TestingSender(receiver.port())) {
      assertThat(sender.reply()).startsWith("220 ");
      sender.send("EHLO after.sender.test");
      sender.send("STARTTLS");
      sender.startTls("receiver.test", "TLSv1.3");
      sender.send("EHLO after.sender.test");
      sender.send("MAIL FROM:<a@sender.test>");
      sender.send("RCPT TO:<b@receiver.test>");
      assertThat(sender.send("DATA")).startsWith("554 5.7.0 ");
      // The body a sender might push anyway is read as commands, never as a message.
      assertThat(sender.send("Subject: hello")).startsWith("500 5.5.2 ");
    }
  }

  /** The first line the receiver sends to a client connecting from {@code from}. */
  private static String greetingFrom(String from, int port, List<java.net.Socket> open)
      throws Exception {
    java.net.Socket socket = new java.net.Socket();
    open.add(socket);
    socket.bind(new InetSocketAddress(from, 0));
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    socket.setSoTimeout(10_000);
    return new java.io.BufferedReader(
            new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
        .readLine();
  }

  /**
   * The lock-out: 32 addresses hold 8 idle sessions each (the limit per address), 256 in
   * all. Strangers get three quarters of the sessions; the rest stays for expected senders.
   */
  @Test
  void strangersHoldingIdleSessionsCannotLockAnExpectedSenderOut() throws Exception {
    start(ReceiverMode.EXCHANGE_ONLINE);
    log.reserveFor(ExpectedAddresses.of("127.0.0.50"::equals));
    List<java.net.Socket> open = new ArrayList<>();
    try {
      int greeted = 0;
      int refused = 0;
      for (int address = 0; address < 32; address++) {
        for (int i = 0; i < 8; i++) {
          String first = greetingFrom("127.0.1." + (address + 1), receiver.port(), open);
          greeted += first.startsWith("220 ") ? 1 : 0;
          refused += first.startsWith("421 4.7.0 ") ? 1 : 0;
        }
      }

      assertThat(greeted).isEqualTo(192);
      assertThat(refused).isEqualTo(64);
      assertThat(greetingFrom("127.0.0.50", receiver.port(), open))
          .isEqualTo("220 receiver.test ESMTP mailtls test receiver");
      assertThat(greetingFrom("127.0.1.99", receiver.port(), open)).startsWith("421 4.7.0 ");
    } finally {
      for (java.net.Socket socket : open) {
        socket.close();
      }
    }
  }

  @Test
  void sessionsBeyondTheLimitPerAddressAreRefusedAndOnlyCounted() throws Exception {
    start(ReceiverMode.EXCHANGE_ONLINE, ReceiverLimits.defaults().withSessions(100, 2));
    List<TestingSender> senders = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        TestingSender sender = new TestingSender(receiver.port());
        senders.add(sender);
        assertThat(sender.reply()).startsWith("220 ");
      }
      try (TestingSender third = new TestingSender(receiver.port())) {
        assertThat(third.reply())
            .isEqualTo("421 4.7.0 receiver.test too many connections, try again later");
      }
    } finally {
      for (TestingSender sender : senders) {
        sender.close();
      }
    }

    await().atMost(Duration.ofSeconds(10)).until(() -> log.size() == 2);
    assertThat(log.count(SessionOutcome.BUSY)).isEqualTo(1);
    assertThat(log.sessions())
        .extracting(SessionRecord::outcome)
        .doesNotContain(SessionOutcome.BUSY);
  }
}
