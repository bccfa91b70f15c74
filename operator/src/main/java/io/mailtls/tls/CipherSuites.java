package io.mailtls.tls;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The cipher suites the prober offers, with their IANA names. The list is deliberately broad and
 * includes legacy suites (static RSA, 3DES, CBC, RC4): a server that only speaks TLS 1.0 often
 * accepts nothing else, and the question is whether it accepts the version at all.
 */
public final class CipherSuites {
  /** TLS 1.3 suites: offered only in the TLS 1.3 probe. */
  static final List<Integer> TLS13 = List.of(0x1301, 0x1302, 0x1303);

  /** Signals secure renegotiation support without an extension (RFC 5746); offered up to 1.2. */
  static final int EMPTY_RENEGOTIATION_INFO_SCSV = 0x00FF;

  private static final Map<Integer, String> NAMES = new LinkedHashMap<>();

  static {
    name(0x1301, "TLS_AES_128_GCM_SHA256");
    name(0x1302, "TLS_AES_256_GCM_SHA384");
    name(0x1303, "TLS_CHACHA20_POLY1305_SHA256");
    name(0xC02B, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
    name(0xC02C, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
    name(0xCCA9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");
    name(0xC02F, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
    name(0xC030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
    name(0xCCA8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
    name(0x009E, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256");
    name(0x009F, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384");
    name(0xCCAA, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
    name(0xC023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256");
    name(0xC024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384");
    name(0xC027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256");
    name(0xC028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384");
    name(0xC009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA");
    name(0xC00A, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA");
    name(0xC013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA");
    name(0xC014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA");
    name(0x0067, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256");
    name(0x006B, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256");
    name(0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA");
    name(0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA");
    name(0x0045, "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA");
    name(0x0088, "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA");
    name(0x00A2, "TLS_DHE_DSS_WITH_AES_128_GCM_SHA256");
    name(0x00A3, "TLS_DHE_DSS_WITH_AES_256_GCM_SHA384");
    name(0x0040, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA256");
    name(0x006A, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA256");
    name(0x0032, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA");
    name(0x0038, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA");
    name(0x009C, "TLS_RSA_WITH_AES_128_GCM_SHA256");
    name(0x009D, "TLS_RSA_WITH_AES_256_GCM_SHA384");
    name(0x003C, "TLS_RSA_WITH_AES_128_CBC_SHA256");
    name(0x003D, "TLS_RSA_WITH_AES_256_CBC_SHA256");
    name(0x002F, "TLS_RSA_WITH_AES_128_CBC_SHA");
    name(0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA");
    name(0x0041, "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA");
    name(0x0084, "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA");
    name(0x0096, "TLS_RSA_WITH_SEED_CBC_SHA");
    name(0xC004, "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA");
    name(0xC005, "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA");
    name(0xC00E, "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA");
    name(0xC00F, "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA");
    name(0xC008, "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA");
    name(0xC012, "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA");
    name(0x0016, "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA");
    name(0x0013, "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA");
    name(0x000A, "TLS_RSA_WITH_3DES_EDE_CBC_SHA");
    name(0x0007, "TLS_RSA_WITH_IDEA_CBC_SHA");
    name(0x0009, "TLS_RSA_WITH_DES_CBC_SHA");
    name(0xC007, "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA");
    name(0xC011, "TLS_ECDHE_RSA_WITH_RC4_128_SHA");
    name(0x0005, "TLS_RSA_WITH_RC4_128_SHA");
    name(0x0004, "TLS_RSA_WITH_RC4_128_MD5");
  }

  private CipherSuites() {}

  private static void name(int code, String name) {
    NAMES.put(code, name);
  }

  /** Suites for a probe of {@code version}, strongest first. */
  /**
   * ECDHE key exchange with an AEAD cipher, or any TLS 1.3 suite: what a TLS 1.2-only peer such as
   * Exchange Online expects a sender to offer.
   */
  static final Set<Integer> MODERN =
      Set.of(0x1301, 0x1302, 0x1303, 0x1304, 0xC02B, 0xC02C, 0xCCA9, 0xC02F, 0xC030, 0xCCA8);

  public static boolean isModern(int code) {
    return MODERN.contains(code);
  }

  public static List<Integer> offeredFor(TlsVersion version) {
    List<Integer> legacy = NAMES.keySet().stream().filter(c -> !TLS13.contains(c)).toList();
    if (version == TlsVersion.TLS_1_3) {
      // The TLS 1.2 suites ride along: harmless, and what real clients send.
      return Stream.concat(TLS13.stream(), legacy.stream()).toList();
    }
    if (version == TlsVersion.SSL_3_0) {
      return legacy;
    }
    return Stream.concat(legacy.stream(), Stream.of(EMPTY_RENEGOTIATION_INFO_SCSV)).toList();
  }

  public static String name(int code) {
    String name = NAMES.get(code);
    return name != null ? name : String.format("0x%04X", code);
  }
}
