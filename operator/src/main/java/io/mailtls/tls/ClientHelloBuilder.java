package io.mailtls.tls;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;

/**
 * Builds a ClientHello record that offers exactly one protocol version. The JDK's own TLS stack
 * refuses SSLv3, TLS 1.0/1.1 and many legacy suites, so acceptance is decided from a hello we build
 * ourselves, as sslscan and testssl.sh do, and the JVM's security properties stay untouched.
 */
public final class ClientHelloBuilder {
  static final int RECORD_HANDSHAKE = 22;
  static final int HANDSHAKE_CLIENT_HELLO = 1;

  static final int EXT_SERVER_NAME = 0x0000;
  static final int EXT_SUPPORTED_GROUPS = 0x000A;
  static final int EXT_EC_POINT_FORMATS = 0x000B;
  static final int EXT_SIGNATURE_ALGORITHMS = 0x000D;
  static final int EXT_SUPPORTED_VERSIONS = 0x002B;
  static final int EXT_KEY_SHARE = 0x0033;

  private static final int GROUP_X25519 = 0x001D;
  private static final List<Integer> GROUPS =
      List.of(GROUP_X25519, 0x0017, 0x0018, 0x0019, 0x001E, 0x0100, 0x0101);
  private static final List<Integer> SIGNATURE_ALGORITHMS =
      List.of(
          0x0804, 0x0805, 0x0806, 0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0809, 0x080A, 0x080B,
          0x0401, 0x0501, 0x0601, 0x0201, 0x0203, 0x0402, 0x0202);

  private final SecureRandom random;

  public ClientHelloBuilder(SecureRandom random) {
    this.random = random;
  }

  /**
   * @param serverName the SNI host name, or null to send none (IP literals never go in SNI)
   */
  public byte[] build(TlsVersion version, String serverName) {
    TlsWriter body = new TlsWriter();
    // TLS 1.3 is negotiated through supported_versions; its legacy_version stays at TLS 1.2.
    body.u16(version == TlsVersion.TLS_1_3 ? TlsVersion.TLS_1_2.code() : version.code());
    body.raw(randomBytes(32));
    // A 32-byte session id in the 1.3 hello keeps middleboxes that expect "compatibility mode"
    // calm.
    body.vector8(version == TlsVersion.TLS_1_3 ? randomBytes(32) : new byte[0]);
    TlsWriter suites = new TlsWriter();
    CipherSuites.offeredFor(version).forEach(suites::u16);
    body.vector16(suites.toByteArray());
    body.vector8(new byte[] {0}); // null compression only
    if (version != TlsVersion.SSL_3_0) {
      body.vector16(extensions(version, serverName));
    }

    TlsWriter handshake = new TlsWriter();
    handshake.u8(HANDSHAKE_CLIENT_HELLO);
    handshake.vector24(body.toByteArray());

    TlsWriter record = new TlsWriter();
    record.u8(RECORD_HANDSHAKE);
    // Record-layer version 0x0301 for every TLS hello: what OpenSSL sends, and what old servers
    // that choke on a higher record version expect.
    record.u16(version == TlsVersion.SSL_3_0 ? 0x0300 : 0x0301);
    record.vector16(handshake.toByteArray());
    return record.toByteArray();
  }

  private byte[] extensions(TlsVersion version, String serverName) {
    TlsWriter ext = new TlsWriter();
    if (serverName != null && !serverName.isEmpty()) {
      TlsWriter name = new TlsWriter();
      name.u8(0); // host_name
      name.vector16(serverName.getBytes(StandardCharsets.US_ASCII));
      TlsWriter list = new TlsWriter();
      list.vector16(name.toByteArray());
      extension(ext, EXT_SERVER_NAME, list.toByteArray());
    }
    TlsWriter groups = new TlsWriter();
    GROUPS.forEach(groups::u16);
    extension(ext, EXT_SUPPORTED_GROUPS, vector16(groups));
    extension(ext, EXT_EC_POINT_FORMATS, new byte[] {1, 0}); // uncompressed
    if (version.isAtLeast(TlsVersion.TLS_1_2)) {
      TlsWriter algorithms = new TlsWriter();
      SIGNATURE_ALGORITHMS.forEach(algorithms::u16);
      extension(ext, EXT_SIGNATURE_ALGORITHMS, vector16(algorithms));
    }
    if (version == TlsVersion.TLS_1_3) {
      TlsWriter versions = new TlsWriter();
      versions.vector8(new byte[] {0x03, 0x04});
      extension(ext, EXT_SUPPORTED_VERSIONS, versions.toByteArray());
      // Any 32 bytes are a valid X25519 public key; the handshake never gets far enough to need
      // the private half. A server that prefers another group answers with a HelloRetryRequest,
      // which also means "TLS 1.3 accepted".
      TlsWriter share = new TlsWriter();
      share.u16(GROUP_X25519);
      share.vector16(randomBytes(32));
      TlsWriter shares = new TlsWriter();
      shares.vector16(share.toByteArray());
      extension(ext, EXT_KEY_SHARE, shares.toByteArray());
    }
    return ext.toByteArray();
  }

  private static byte[] vector16(TlsWriter content) {
    TlsWriter b = new TlsWriter();
    b.vector16(content.toByteArray());
    return b.toByteArray();
  }

  private static void extension(TlsWriter out, int type, byte[] data) {
    out.u16(type);
    out.vector16(data);
  }

  private byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}
