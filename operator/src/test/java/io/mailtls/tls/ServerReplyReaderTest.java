package io.mailtls.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ServerReplyReaderTest {
  private static final byte[] LEAF = "leaf-der".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] INTERMEDIATE = "intermediate-der".getBytes(StandardCharsets.US_ASCII);

  private static ServerReply read(byte[] wire) throws IOException {
    return new ServerReplyReader(new ByteArrayInputStream(wire), 64 * 1024).read();
  }

  @Test
  void tls12HelloWithCertificateChainInOneRecord() throws IOException {
    ServerReply reply =
        read(
            TestingTls.handshakeRecord(
                TestingTls.serverHello(0x0303, 0xC02F),
                TestingTls.certificate(LEAF, INTERMEDIATE),
                TestingTls.serverHelloDone()));

    assertThat(reply).isInstanceOf(ServerReply.Hello.class);
    ServerReply.Hello hello = (ServerReply.Hello) reply;
    assertThat(hello.version()).isEqualTo(0x0303);
    assertThat(hello.cipherSuite()).isEqualTo(0xC02F);
    assertThat(hello.helloRetryRequest()).isFalse();
    assertThat(hello.certificates()).containsExactly(LEAF, INTERMEDIATE);
  }

  @Test
  void handshakeFragmentedByteByByteIsReassembled() throws IOException {
    ServerReply reply =
        read(
            TestingTls.fragmented(
                1,
                TestingTls.serverHello(0x0301, 0x000A),
                TestingTls.certificate(LEAF),
                TestingTls.serverHelloDone()));

    ServerReply.Hello hello = (ServerReply.Hello) reply;
    assertThat(hello.version()).isEqualTo(0x0301);
    assertThat(hello.cipherSuite()).isEqualTo(0x000A);
    assertThat(hello.certificates()).containsExactly(LEAF);
  }

  @Test
  void tls13VersionComesFromSupportedVersions() throws IOException {
    ServerReply reply = read(TestingTls.handshakeRecord(TestingTls.serverHello(0x0304, 0x1302)));

    assertThat(reply).isEqualTo(new ServerReply.Hello(0x0304, 0x1302, false, java.util.List.of()));
  }

  @Test
  void helloRetryRequestIsRecognised() throws IOException {
    ServerReply.Hello hello =
        (ServerReply.Hello)
            read(TestingTls.handshakeRecord(TestingTls.serverHello(0x0304, 0x1301, true)));

    assertThat(hello.helloRetryRequest()).isTrue();
    assertThat(hello.version()).isEqualTo(0x0304);
  }

  @Test
  void alertIsNamed() throws IOException {
    ServerReply reply = read(TestingTls.alert(70));

    assertThat(reply).isEqualTo(new ServerReply.Alert(2, 70));
    assertThat(((ServerReply.Alert) reply).name()).isEqualTo("protocol_version");
  }

  @Test
  void aWarningAlertBeforeTheHelloIsNotARefusal() throws IOException {
    byte[] unrecognizedNameWarning = TestingTls.record(21, new byte[] {1, 112});
    ServerReply reply =
        read(
            TestingTls.concat(
                unrecognizedNameWarning,
                TestingTls.handshakeRecord(
                    TestingTls.serverHello(0x0301, 0x002F),
                    TestingTls.certificate(LEAF),
                    TestingTls.serverHelloDone())));

    assertThat(reply).isInstanceOf(ServerReply.Hello.class);
    assertThat(((ServerReply.Hello) reply).version()).isEqualTo(0x0301);
    assertThat(((ServerReply.Hello) reply).certificates()).containsExactly(LEAF);
  }

  @Test
  void closingWarningsAndFatalAlertsRefuse() throws IOException {
    assertThat(read(TestingTls.record(21, new byte[] {1, 0})))
        .isEqualTo(new ServerReply.Alert(1, 0)); // close_notify
    assertThat(read(TestingTls.record(21, new byte[] {1, 90})))
        .isEqualTo(new ServerReply.Alert(1, 90)); // user_canceled
    assertThat(
            read(
                TestingTls.concat(
                    TestingTls.record(21, new byte[] {1, 112}), TestingTls.alert(40))))
        .isEqualTo(new ServerReply.Alert(2, 40)); // a warning, then handshake_failure
  }

  @Test
  void aStormOfWarningsLeavesTheVersionUntested() throws IOException {
    byte[][] warnings = new byte[ServerReplyReader.MAX_WARNINGS + 1][];
    java.util.Arrays.fill(warnings, TestingTls.record(21, new byte[] {1, 112}));

    assertThat(read(TestingTls.concat(warnings)))
        .isEqualTo(new ServerReply.Inconclusive("more than 8 warning alerts and no answer"));
  }

  @Test
  void immediateCloseIsClosed() throws IOException {
    assertThat(read(new byte[0])).isEqualTo(new ServerReply.Closed());
  }

  @Test
  void closeInsideARecordBeforeTheHelloIsAnError() {
    byte[] wire = TestingTls.handshakeRecord(TestingTls.serverHello(0x0303, 0x002F));

    assertThatThrownBy(() -> read(java.util.Arrays.copyOf(wire, 20)))
        .isInstanceOf(EOFException.class);
  }

  @Test
  void closeWhileReadingTheChainStillCountsTheHello() throws IOException {
    byte[] wire =
        TestingTls.concat(
            TestingTls.handshakeRecord(TestingTls.serverHello(0x0302, 0x0035)),
            java.util.Arrays.copyOf(TestingTls.handshakeRecord(TestingTls.certificate(LEAF)), 7));

    ServerReply.Hello hello = (ServerReply.Hello) read(wire);

    assertThat(hello.version()).isEqualTo(0x0302);
    assertThat(hello.certificates()).isEmpty();
  }

  @Test
  void plainTextAnswerIsNotTls() throws IOException {
    ServerReply reply =
        read("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

    assertThat(reply).isEqualTo(new ServerReply.NotTls("HTTP/1.1 400 Bad Request"));
  }

  @Test
  void chainBeyondTheReadLimitIsNotRead() throws IOException {
    byte[] hugeCertificate = new byte[16_000];
    byte[] wire =
        TestingTls.concat(
            TestingTls.handshakeRecord(TestingTls.serverHello(0x0303, 0x009C)),
            TestingTls.fragmented(
                16_000, TestingTls.certificate(hugeCertificate, hugeCertificate, hugeCertificate)));

    ServerReply.Hello hello =
        (ServerReply.Hello) new ServerReplyReader(new ByteArrayInputStream(wire), 20_000).read();

    assertThat(hello.version()).isEqualTo(0x0303);
    assertThat(hello.certificates()).isEmpty();
  }
}
