package io.mailtls.compliance;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
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
  FORBIDDEN("Forbidden"),
  /**
   * The mail domain publishes a null MX (RFC 7505, {@code MX 0 .}): it accepts no mail, so there is
   * no mail TLS to judge and nothing to fix.
   */
  NULL_MX("NullMX");

  /**
   * Worst first: what is observed to break mail, then what is observed to allow deprecated TLS,
   * then what is not known; an endpoint with several addresses, and a policy, take the first of
   * their verdicts in this order.
   */
  private static final List<Verdict> WORST_FIRST =
      List.of(
          NO_MODERN_TLS,
          STARTTLS_MISSING,
          DEPRECATED_TLS_ACCEPTED,
          FORBIDDEN,
          UNREACHABLE,
          COMPLIANT,
          NULL_MX);

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

  /** True when nothing needs fixing: compliant, or a domain that accepts no mail at all. */
  public boolean meetsPolicy() {
    return this == COMPLIANT || this == NULL_MX;
  }

  /** Orders verdicts worst first (see {@link #WORST_FIRST}). */
  public static final Comparator<Verdict> WORST_FIRST_ORDER =
      Comparator.comparingInt(WORST_FIRST::indexOf);

  /** The verdict whose {@link #reason()} this is, as written into a status. */
  public static Optional<Verdict> fromReason(String reason) {
    return Arrays.stream(values()).filter(v -> v.reason.equals(reason)).findFirst();
  }
}
