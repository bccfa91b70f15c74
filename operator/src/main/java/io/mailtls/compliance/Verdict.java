package io.mailtls.compliance;

import java.util.Arrays;
import java.util.Optional;

/** The answer for one endpoint, against a minimum protocol version. */
public enum Verdict {
  /** Accepts the minimum or newer, and nothing older. */
  COMPLIANT("Compliant"),
  /** Accepts something older than the minimum besides something at or above it. */
  DEPRECATED_TLS_ACCEPTED("DeprecatedTLSAccepted"),
  /** Accepts nothing at or above the minimum: mail with Exchange Online fails. */
  NO_MODERN_TLS("NoModernTLS"),
  /** Plain text only: STARTTLS not offered, or refused. */
  STARTTLS_MISSING("StartTLSMissing"),
  /** The versions that decide the verdict could not be tested. */
  UNREACHABLE("Unreachable"),
  /** The operator's connection guard does not allow this address or port: nothing was sent. */
  FORBIDDEN("Forbidden");

  private final String reason;

  Verdict(String reason) {
    this.reason = reason;
  }

  /** The CamelCase form used as a Kubernetes condition reason. */
  public String reason() {
    return reason;
  }

  /**
   * False when nothing that decides the verdict was observed: Unreachable, and Forbidden (the guard
   * sent nothing). Summaries count these as unreachable, never as non-compliant.
   */
  public boolean wasProbed() {
    return this != UNREACHABLE && this != FORBIDDEN;
  }

  /** The verdict whose {@link #reason()} this is, as written into a status. */
  public static Optional<Verdict> fromReason(String reason) {
    return Arrays.stream(values()).filter(v -> v.reason.equals(reason)).findFirst();
  }
}
