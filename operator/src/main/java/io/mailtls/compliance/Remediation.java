package io.mailtls.compliance;

import io.mailtls.probe.ServerSoftware;
import io.mailtls.tls.TlsVersion;

/** What to change on the server, in the terms of the software that was detected. */
final class Remediation {
  private static final String SCHANNEL =
      "HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\";

  static final String FIREWALL_INSPECTION =
      "A firewall in front of the server rewrites SMTP and removes STARTTLS (the masked 220 ****"
          + " banner and XXXXXXXA keywords are Cisco ASA/PIX \"inspect esmtp\"). Let STARTTLS"
          + " through: on an ASA, remove \"inspect esmtp\" from the global policy (no inspect"
          + " esmtp), or use an ESMTP inspection policy map that allows TLS (parameters, allow-tls);"
          + " on other firewalls turn off SMTP/ESMTP protocol inspection or fixup for this server."
          + " The server itself may be fine.";

  /** For a mail domain whose MX records could not be looked up. */
  static final String DNS_LOOKUP =
      "Check the domain's DNS: that the name exists, that its name servers answer MX queries, and"
          + " that the operator's resolver (or --dns-server) can reach them. Senders that cannot"
          + " look up the MX records cannot deliver mail to the domain either.";

  /** For a mail domain with more MX hosts than are probed. */
  static final String MX_TARGET_NAME =
      "Point the MX record at a host name that has A/AAAA records (mx1.example.com), not at an"
          + " address: RFC 5321 (section 5.1) requires a name there, and sending servers such as"
          + " Postfix and Exchange Online do not deliver to an MX that names an address.";

  static final String MX_LIMIT =
      "List the MX hosts beyond the limit as endpoints of their own (smtp://host) to have them"
          + " probed.";

  static final String TEMPORARY_REFUSAL =
      "The server refuses the prober's connections for now (a connection or rate limit,"
          + " greylisting, postscreen). Nothing is known of its TLS until it answers: exempt the"
          + " prober's address (Postfix: smtpd_client_connection_count_limit and"
          + " smtpd_client_connection_rate_limit via smtpd_client_event_limit_exceptions,"
          + " postscreen_access_list; Exchange: the receive connector's connection limits), or"
          + " wait for the next probe.";

  private Remediation() {}

  static String hint(Verdict verdict, ServerSoftware software, TlsVersion minimum) {
    return switch (verdict) {
      case COMPLIANT, NULL_MX -> null;
      case UNREACHABLE ->
          "Check that the endpoint is up and reachable from the prober (DNS, firewall, port), then"
              + " wait for the next probe.";
      case FORBIDDEN ->
          "Ask the cluster admin to allow this port or address in the operator's connection guard"
              + " (--allow-ports, --deny-ranges), or remove the endpoint from the policy.";
      case STARTTLS_MISSING -> startTls(software);
      case DEPRECATED_TLS_ACCEPTED, NO_MODERN_TLS -> versions(verdict, software, minimum);
    };
  }

  private static String versions(Verdict verdict, ServerSoftware software, TlsVersion minimum) {
    boolean disableOld = verdict == Verdict.DEPRECATED_TLS_ACCEPTED;
    String min = minimum.label();
    return switch (software) {
      case MICROSOFT_EXCHANGE ->
          disableOld
              ? "Disable the old versions in SCHANNEL: under "
                  + SCHANNEL
                  + "TLS 1.0\\Server and TLS 1.1\\Server (and \\Client) set Enabled=0 and"
                  + " DisabledByDefault=1 (DWORD), keeping TLS 1.2\\Client and \\Server at"
                  + " DisabledByDefault=0, Enabled=1; restart the server."
              : "Install current Windows and Exchange updates, then enable TLS 1.2 in SCHANNEL: under "
                  + SCHANNEL
                  + "TLS 1.2\\Client and "
                  + SCHANNEL
                  + "TLS 1.2\\Server set DisabledByDefault=0 and Enabled=1 (DWORD); restart the"
                  + " server.";
      case POSTFIX ->
          "In main.cf set smtpd_tls_protocols = >="
              + min
              + " and smtpd_tls_mandatory_protocols = >="
              + min
              + " (Postfix 3.6+; older: exclude each older version, e.g. !SSLv2, !SSLv3, !TLSv1,"
              + " !TLSv1.1), make sure Postfix is linked with a current OpenSSL, then `postfix reload`.";
      case DOVECOT ->
          "Set ssl_min_protocol = "
              + min
              + " in dovecot.conf (conf.d/10-ssl.conf) and `doveadm reload`.";
      case EXIM ->
          "With OpenSSL set openssl_options = +no_sslv3 +no_tlsv1 +no_tlsv1_1"
              + (minimum == TlsVersion.TLS_1_3 ? " +no_tlsv1_2" : "")
              + "; with GnuTLS set tls_require_ciphers = NORMAL:-VERS-SSL3.0:-VERS-TLS1.0:-VERS-TLS1.1"
              + (minimum == TlsVersion.TLS_1_3 ? ":-VERS-TLS1.2" : "")
              + "; then restart Exim.";
      default ->
          "Configure the server to accept "
              + min
              + " and newer only"
              + (disableOld ? "" : ", updating it or its TLS library if it cannot negotiate " + min)
              + ".";
    };
  }

  private static String startTls(ServerSoftware software) {
    return switch (software) {
      case MICROSOFT_EXCHANGE ->
          "Enable TLS on the Receive connector (Set-ReceiveConnector -AuthMechanism Tls) and bind a"
              + " valid certificate to SMTP (Enable-ExchangeCertificate -Services SMTP).";
      case POSTFIX ->
          "In main.cf set smtpd_tls_security_level = may and a certificate in smtpd_tls_chain_files"
              + " (or smtpd_tls_cert_file / smtpd_tls_key_file), then `postfix reload`.";
      case DOVECOT -> "Set ssl = yes with ssl_cert and ssl_key in conf.d/10-ssl.conf, then reload.";
      case EXIM ->
          "Set tls_advertise_hosts = * with tls_certificate and tls_privatekey, then restart Exim.";
      default -> "Enable STARTTLS with a valid certificate on this listener.";
    };
  }
}
