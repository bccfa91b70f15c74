package io.mailtls.tls;

import java.util.Map;

/** Names of TLS alert descriptions (RFC 8446 section 6, plus SSLv3's). */
public final class TlsAlerts {
  private static final Map<Integer, String> NAMES =
      Map.ofEntries(
          Map.entry(0, "close_notify"),
          Map.entry(10, "unexpected_message"),
          Map.entry(20, "bad_record_mac"),
          Map.entry(21, "decryption_failed"),
          Map.entry(22, "record_overflow"),
          Map.entry(30, "decompression_failure"),
          Map.entry(40, "handshake_failure"),
          Map.entry(41, "no_certificate"),
          Map.entry(42, "bad_certificate"),
          Map.entry(43, "unsupported_certificate"),
          Map.entry(44, "certificate_revoked"),
          Map.entry(45, "certificate_expired"),
          Map.entry(46, "certificate_unknown"),
          Map.entry(47, "illegal_parameter"),
          Map.entry(48, "unknown_ca"),
          Map.entry(49, "access_denied"),
          Map.entry(50, "decode_error"),
          Map.entry(51, "decrypt_error"),
          Map.entry(60, "export_restriction"),
          Map.entry(70, "protocol_version"),
          Map.entry(71, "insufficient_security"),
          Map.entry(80, "internal_error"),
          Map.entry(86, "inappropriate_fallback"),
          Map.entry(90, "user_canceled"),
          Map.entry(100, "no_renegotiation"),
          Map.entry(109, "missing_extension"),
          Map.entry(110, "unsupported_extension"),
          Map.entry(112, "unrecognized_name"),
          Map.entry(116, "certificate_required"),
          Map.entry(120, "no_application_protocol"));

  private TlsAlerts() {}

  public static String name(int description) {
    return NAMES.getOrDefault(description, "alert_" + description);
  }
}
