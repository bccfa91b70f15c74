package io.mailtls.sender;

/** The verdict on one sending server, worst first where it matters for alerts. */
public enum SenderVerdict {
  /** It offers nothing at or above the minimum version: it cannot send to a TLS 1.2-only peer. */
  OUTDATED_TLS("OutdatedTLS"),
  /** It sent mail without STARTTLS although the receiver offered it. */
  NO_STARTTLS("StartTLSNotUsed"),
  /** Seen recently, but no session went far enough to tell (a cut handshake, a timeout). */
  INCONCLUSIVE("Inconclusive"),
  /** No session from it within the policy's maximum record age. */
  NOT_SEEN("NotSeen"),
  COMPLIANT("Compliant");

  private final String reason;

  SenderVerdict(String reason) {
    this.reason = reason;
  }

  /** The condition reason and metric label value. */
  public String reason() {
    return reason;
  }

  public static SenderVerdict fromReason(String reason) {
    for (SenderVerdict verdict : values()) {
      if (verdict.reason.equals(reason)) {
        return verdict;
      }
    }
    throw new IllegalArgumentException("unknown sender verdict " + reason);
  }
}
