package io.mailtls.receiver;

import io.mailtls.tls.ClientHello;
import io.mailtls.tls.TlsVersion;

/**
 * The finding the receiver puts in its reply to DATA, so that the admin who sent a test message
 * reads it in the non-delivery report too.
 */
final class Finding {
  /** The peer that matters: Office 365 accepts TLS 1.2 and newer. */
  private static final TlsVersion MODERN_PEER_MINIMUM = TlsVersion.TLS_1_2;

  private Finding() {}

  static String withTls(ClientHello hello, TlsVersion negotiated) {
    String verdict =
        hello.offersAtLeast(MODERN_PEER_MINIMUM)
            ? "a TLS 1.2-only peer such as Office 365 accepts this"
            : "a TLS 1.2-only peer such as Office 365 refuses this";
    return "554 5.7.0 mailtls test receiver: you offered "
        + hello.describeOffer()
        + ", negotiated "
        + (negotiated == null ? "none" : negotiated.label())
        + "; "
        + verdict
        + "; not delivered";
  }

  /**
   * @param offered whether STARTTLS was offered (after EHLO); after HELO it cannot be
   */
  static String withoutTls(boolean offered) {
    return "554 5.7.0 mailtls test receiver: "
        + (offered
            ? "you did not use STARTTLS although it was offered"
            : "you sent HELO, not EHLO, so STARTTLS could not even be offered")
        + "; Office 365 refuses that with 451 5.7.3; not delivered";
  }
}
