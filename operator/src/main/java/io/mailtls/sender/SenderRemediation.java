package io.mailtls.sender;

import io.mailtls.tls.TlsVersion;
import java.util.List;

/**
 * What to change on a sending server. Its outbound TLS is configured apart from its listeners:
 * SCHANNEL's Client keys and .NET on Windows, {@code smtp_tls_*} (not {@code smtpd_tls_*}) in
 * Postfix, the smtp transport in Exim.
 */
final class SenderRemediation {
  private SenderRemediation() {}

  static String forVerdict(SenderVerdict verdict, SenderSoftware software, TlsVersion minimum) {
    return switch (verdict) {
      case OUTDATED_TLS -> outdated(software, minimum);
      case NO_STARTTLS -> noStartTls(software);
      case INCONCLUSIVE, NOT_SEEN ->
          "Send a test message from this server to the receiver (for example with the server's own"
              + " mail queue or a Send connector that routes to it).";
      case COMPLIANT -> null;
    };
  }

  private static String outdated(SenderSoftware software, TlsVersion minimum) {
    String version = minimum.label();
    String exchange =
        "Exchange/Windows: under HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders"
            + "\\SCHANNEL\\Protocols\\TLS 1.2\\Client set DisabledByDefault=0 and Enabled=1"
            + " (DWORD); for .NET set SystemDefaultTlsVersions=1 and SchUseStrongCrypto=1 under"
            + " HKLM\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319 and"
            + " HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\.NETFramework\\v4.0.30319; install current"
            + " Windows and Exchange updates, then restart the server.";
    String postfix =
        "Postfix: set smtp_tls_protocols = >="
            + version
            + " and smtp_tls_mandatory_protocols = >="
            + version
            + " in main.cf (the smtp_ client settings, not smtpd_; check master.cf for -o"
            + " overrides), on an OpenSSL that supports "
            + version
            + ", then run postfix reload.";
    String exim =
        "Exim: in the smtp transport, let tls_require_ciphers and openssl_options allow "
            + version
            + " (remove +no_tlsv1_2 or +no_tlsv1_3; with GnuTLS include VERS-TLS1.2 in the"
            + " priority string), on a TLS library that supports it, then restart Exim.";
    return pick(software, exchange, postfix, exim);
  }

  private static String noStartTls(SenderSoftware software) {
    String exchange =
        "Exchange: require TLS on the Send connector (Set-SendConnector \"NAME\" -RequireTLS"
            + " $true) and make sure TLS 1.2 is enabled for SCHANNEL's Client side.";
    String postfix =
        "Postfix: set smtp_tls_security_level = may (or encrypt, to require TLS) in main.cf,"
            + " then run postfix reload.";
    String exim =
        "Exim: in the smtp transport set hosts_try_tls = * (or hosts_require_tls = * to require"
            + " TLS), then restart Exim.";
    return pick(software, exchange, postfix, exim);
  }

  private static String pick(
      SenderSoftware software, String exchange, String postfix, String exim) {
    return switch (software) {
      case EXCHANGE -> exchange;
      case POSTFIX -> postfix;
      case EXIM -> exim;
      case OTHER -> String.join(" ", List.of(exchange, postfix, exim));
    };
  }
}
