package io.mailtls.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ClientHelloBuilderTest {
  private final ClientHelloBuilder builder = new ClientHelloBuilder(new SecureRandom());

  private TestingTls.ClientHello parse(byte[] record) {
    int recordVersion = ((record[1] & 0xFF) << 8) | (record[2] & 0xFF);
    int length = ((record[3] & 0xFF) << 8) | (record[4] & 0xFF);
    assertThat(record[0]).isEqualTo((byte) 22);
    assertThat(record).hasSize(5 + length);
    return TestingTls.parseClientHello(
        recordVersion, java.util.Arrays.copyOfRange(record, 5, record.length));
  }

  @ParameterizedTest
  @EnumSource(
      value = TlsVersion.class,
      names = {"TLS_1_0", "TLS_1_1", "TLS_1_2"})
  void legacyVersionsAreOfferedInClientVersionOnly(TlsVersion version) {
    TestingTls.ClientHello hello = parse(builder.build(version, "mx.example.com"));

    assertThat(hello.recordVersion()).isEqualTo(0x0301);
    assertThat(hello.clientVersion()).isEqualTo(version.code());
    assertThat(hello.extensions()).doesNotContainKey(ClientHelloBuilder.EXT_SUPPORTED_VERSIONS);
    assertThat(hello.cipherSuites())
        .contains(0x000A, 0x002F, 0x0005, 0xC013, CipherSuites.EMPTY_RENEGOTIATION_INFO_SCSV)
        .doesNotContain(0x1301, 0x5600); // no TLS 1.3 suites, no TLS_FALLBACK_SCSV
    assertThat(hello.serverName()).isEqualTo("mx.example.com");
  }

  @Test
  void tls13IsOfferedThroughSupportedVersionsWithAKeyShare() {
    TestingTls.ClientHello hello = parse(builder.build(TlsVersion.TLS_1_3, "mx.example.com"));

    assertThat(hello.clientVersion()).isEqualTo(0x0303);
    assertThat(hello.extensions().get(ClientHelloBuilder.EXT_SUPPORTED_VERSIONS))
        .containsExactly(2, 0x03, 0x04);
    byte[] keyShare = hello.extensions().get(ClientHelloBuilder.EXT_KEY_SHARE);
    // client_shares length 36 = group x25519 (2) + key length (2) + 32-byte key
    assertThat(keyShare).hasSize(38);
    assertThat(keyShare[2]).isEqualTo((byte) 0x00);
    assertThat(keyShare[3]).isEqualTo((byte) 0x1D);
    assertThat(hello.extensions()).containsKey(ClientHelloBuilder.EXT_SIGNATURE_ALGORITHMS);
    assertThat(hello.cipherSuites()).startsWith(0x1301, 0x1302, 0x1303);
    assertThat(hello.offeredVersion()).isEqualTo(0x0304);
  }

  @Test
  void sslv3HelloHasNoExtensions() {
    TestingTls.ClientHello hello = parse(builder.build(TlsVersion.SSL_3_0, "mx.example.com"));

    assertThat(hello.recordVersion()).isEqualTo(0x0300);
    assertThat(hello.clientVersion()).isEqualTo(0x0300);
    assertThat(hello.extensions()).isEmpty();
  }

  @Test
  void noServerNameIsSentWhenThereIsNone() {
    TestingTls.ClientHello hello = parse(builder.build(TlsVersion.TLS_1_2, null));

    assertThat(hello.extensions()).doesNotContainKey(ClientHelloBuilder.EXT_SERVER_NAME);
    assertThat(hello.extensions()).doesNotContainKey(ClientHelloBuilder.EXT_KEY_SHARE);
  }
}
