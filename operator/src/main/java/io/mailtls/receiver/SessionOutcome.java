package io.mailtls.receiver;

/**
 * How a test session ended. Only some outcomes are observations of the sender's TLS: see {@link
 * #observedTls()} and {@link #observedPlaintextMail()}.
 */
public enum SessionOutcome {
  /** TLS was negotiated and the message was refused at DATA with the finding. */
  TESTED_WITH_TLS("TestedWithTLS"),
  /** TLS was negotiated; the sender left before DATA. */
  TLS_NEGOTIATED("TLSNegotiated"),
  /** The sender offered no version the receiver's mode accepts; the connection was dropped. */
  VERSION_REFUSED("VersionRefused"),
  /**
   * The sender offers an accepted version but no cipher suite (or group) the receiver accepts: a
   * TLS 1.2-only peer such as Office 365 refuses it too.
   */
  NO_COMMON_CIPHER("NoCommonCipher"),
  /**
   * A version and suite were agreed, then the sender refused the receiver's certificate (a
   * certificate alert): it can use that version; trusting this receiver is another matter.
   */
  CERTIFICATE_REJECTED("CertificateRejected"),
  /** A complete ClientHello was read, then the handshake failed (an alert, a close). */
  HANDSHAKE_FAILED("HandshakeFailed"),
  /** MAIL FROM without STARTTLS, refused with 451 5.7.3 (STARTTLS required). */
  PLAINTEXT_REFUSED("PlaintextRefused"),
  /** MAIL FROM without STARTTLS where plaintext is allowed; refused at DATA with the finding. */
  TESTED_WITHOUT_TLS("TestedWithoutTLS"),
  /** The sender left before STARTTLS or MAIL FROM: nothing learned. */
  NO_MAIL_ATTEMPT("NoMailAttempt"),
  /** Bytes after STARTTLS that are not a ClientHello, or one beyond the size limit. */
  MALFORMED_HELLO("MalformedHello"),
  /** A line too long, too many bytes, too many bad commands: the session was cut. */
  PROTOCOL_VIOLATION("ProtocolViolation"),
  /** The sender went quiet, or the session ran out of time. */
  TIMEOUT("Timeout"),
  /** Refused at connect: too many sessions from the address, or in all. */
  BUSY("Busy");

  private final String label;

  SessionOutcome(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** Sessions in which a complete ClientHello was read: they show what the sender offers. */
  public boolean observedTls() {
    return this == TESTED_WITH_TLS
        || this == TLS_NEGOTIATED
        || this == VERSION_REFUSED
        || this == NO_COMMON_CIPHER
        || this == CERTIFICATE_REJECTED
        || this == HANDSHAKE_FAILED;
  }

  /** Sessions in which a handshake completed, or got as far as the sender's certificate check. */
  public boolean agreedOnTls() {
    return this == TESTED_WITH_TLS || this == TLS_NEGOTIATED || this == CERTIFICATE_REJECTED;
  }

  /** Sessions in which the sender sent MAIL FROM although STARTTLS was offered and not used. */
  public boolean observedPlaintextMail() {
    return this == PLAINTEXT_REFUSED || this == TESTED_WITHOUT_TLS;
  }

  @Override
  public String toString() {
    return label;
  }
}
