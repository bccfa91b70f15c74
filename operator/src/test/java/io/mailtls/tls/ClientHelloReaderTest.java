package io.mailtls.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ClientHelloReaderTest {
  private final ClientHelloBuilder builder = new ClientHelloBuilder(new SecureRandom());

  private static ClientHelloReader.Capture read(byte[] bytes) throws IOException {
    return ClientHelloReader.read(new ByteArrayInputStream(bytes));
  }

  @ParameterizedTest
  @EnumSource(
      value = TlsVersion.class,
      names = {"TLS_1_0", "TLS_1_1", "TLS_1_2"})
  void aLegacyHelloOffersItsClientVersionOnly(TlsVersion version) throws IOException {
    byte[] record = builder.build(version, "mx.example.com");

    ClientHelloReader.Capture capture = read(record);

    assertThat(capture.hello().offeredVersions()).containsExactly(version);
    assertThat(capture.hello().fromSupportedVersions()).isFalse();
    assertThat(capture.hello().describeOffer()).isEqualTo("up to " + version.label());
    assertThat(capture.hello().serverName()).isEqualTo("mx.example.com");
    assertThat(capture.hello().suiteCount())
        .isEqualTo(
            CipherSuites.offeredFor(version).stream()
                .filter(c -> c != CipherSuites.EMPTY_RENEGOTIATION_INFO_SCSV)
                .count());
    assertThat(capture.hello().fallbackSignalled()).isFalse();
    assertThat(capture.raw()).isEqualTo(record);
  }

  @Test
  void supportedVersionsDecideTheOfferAndGreaseIsSkipped() throws IOException {
    // A browser-style hello: GREASE 0x8a8a, then TLS 1.3 and 1.2 in supported_versions.
    byte[] hello = helloWithExtension(0x002B, HexFormat.of().parseHex("068a8a03040303"));

    ClientHello parsed = read(hello).hello();

    assertThat(parsed.offeredVersions()).containsExactly(TlsVersion.TLS_1_2, TlsVersion.TLS_1_3);
    assertThat(parsed.describeOffer()).isEqualTo("TLSv1.2-TLSv1.3");
    assertThat(parsed.highestOffered()).contains(TlsVersion.TLS_1_3);
    assertThat(parsed.modernSuitesOffered()).isTrue();
    assertThat(parsed.serverName()).isNull();
  }

  @Test
  void aHelloWithOnlyLegacySuitesOffersNoModernSuite() throws IOException {
    byte[] hello = helloWithSuites(List.of(0x002F, 0x000A, 0x00FF));

    ClientHello parsed = read(hello).hello();

    assertThat(parsed.suiteCount()).isEqualTo(2);
    assertThat(parsed.modernSuitesOffered()).isFalse();
  }

  @Test
  void aFallbackRetryIsSignalledNotCounted() throws IOException {
    ClientHello parsed = read(helloWithSuites(List.of(0xC02F, 0x5600))).hello();

    assertThat(parsed.fallbackSignalled()).isTrue();
    assertThat(parsed.suiteCount()).isEqualTo(1);
  }

  @Test
  void aHelloSplitIntoOneByteRecordsIsReassembled() throws IOException {
    byte[] record = builder.build(TlsVersion.TLS_1_3, "mx.example.com");
    byte[] handshake = Arrays.copyOfRange(record, 5, record.length);
    ByteArrayOutputStream fragmented = new ByteArrayOutputStream();
    for (byte b : handshake) {
      fragmented.writeBytes(new byte[] {22, 3, 1, 0, 1, b});
    }

    ClientHelloReader.Capture capture = read(fragmented.toByteArray());

    assertThat(capture.hello().offeredVersions()).containsExactly(TlsVersion.TLS_1_3);
    assertThat(capture.raw()).isEqualTo(fragmented.toByteArray());
  }

  @Test
  void anSslv2FormatHelloGivesItsVersion() throws IOException {
    // msg type 1, version TLS 1.0, 2 cipher specs (6 bytes), no session id, 16-byte challenge.
    byte[] body =
        HexFormat.of().parseHex("01030100060000001000002f0100800000000000000000000000000000000000");
    byte[] hello = new byte[body.length + 2];
    hello[0] = (byte) (0x80 | (body.length >> 8));
    hello[1] = (byte) body.length;
    System.arraycopy(body, 0, hello, 2, body.length);

    ClientHello parsed = read(hello).hello();

    assertThat(parsed.sslv2Format()).isTrue();
    assertThat(parsed.offeredVersions()).containsExactly(TlsVersion.TLS_1_0);
    assertThat(parsed.suiteCount()).isEqualTo(1);
  }

  @Test
  void plaintextAfterStarttlsIsNotAHello() {
    assertThatThrownBy(() -> read("MAIL FROM:<a@b>\r\n".getBytes()))
        .isInstanceOf(ClientHelloReader.MalformedHello.class)
        .hasMessage("not a TLS handshake record (first byte 0x4d)");
  }

  @Test
  void anOversizedHelloIsRefusedBeforeItIsRead() {
    byte[] header = {22, 3, 1, 0, 4, 1, 0x01, 0x00, 0x00};

    assertThatThrownBy(() -> read(header))
        .isInstanceOf(ClientHelloReader.MalformedHello.class)
        .hasMessage("a ClientHello of 65536 bytes (limit 16384)");
  }

  @Test
  void endlessTinyRecordsStopAtTheByteLimit() {
    byte[] endless = new byte[ClientHelloReader.MAX_RAW_BYTES + 600];
    for (int i = 0; i + 6 <= endless.length; i += 6) {
      System.arraycopy(new byte[] {22, 3, 1, 0, 1, 0}, 0, endless, i, 6);
    }
    endless[5] = 1; // a ClientHello header whose length never completes
    endless[11] = 0;
    endless[17] = 0x3F;
    endless[23] = (byte) 0xFF;

    assertThatThrownBy(() -> read(endless))
        .isInstanceOf(ClientHelloReader.MalformedHello.class)
        .hasMessage("more than 65536 bytes without a complete ClientHello");
  }

  @Test
  void aTruncatedHelloIsAnEndOfStream() {
    byte[] record = builder.build(TlsVersion.TLS_1_2, null);

    assertThatThrownBy(() -> read(Arrays.copyOf(record, record.length - 10)))
        .isInstanceOf(EOFException.class);
  }

  @Test
  void fieldsOverrunningTheHelloAreMalformed() {
    byte[] record = builder.build(TlsVersion.TLS_1_2, null);
    record[5 + 4 + 2 + 32] = 100; // a session id longer than what follows it

    assertThatThrownBy(() -> read(record))
        .isInstanceOf(ClientHelloReader.MalformedHello.class)
        .hasMessage("a ClientHello whose fields overrun its length");
  }

  private static byte[] helloWithExtension(int type, byte[] data) {
    TlsWriter extensions = new TlsWriter().u16(type).vector16(data);
    return hello(List.of(0x1301, 0xC02F), extensions.toByteArray());
  }

  private static byte[] helloWithSuites(List<Integer> suites) {
    return hello(suites, null);
  }

  private static byte[] hello(List<Integer> suites, byte[] extensions) {
    TlsWriter body = new TlsWriter().u16(0x0303).raw(new byte[32]).vector8(new byte[0]);
    TlsWriter suiteList = new TlsWriter();
    suites.forEach(suiteList::u16);
    body.vector16(suiteList.toByteArray()).vector8(new byte[] {0});
    if (extensions != null) {
      body.vector16(extensions);
    }
    TlsWriter handshake = new TlsWriter().u8(1).vector24(body.toByteArray());
    return new TlsWriter().u8(22).u16(0x0301).vector16(handshake.toByteArray()).toByteArray();
  }
}
