package io.mailtls.compliance;

/** The verdicts on a mail domain that its MX look-up alone decides, with no probe. */
public final class DomainAssessments {
  private DomainAssessments() {}

  public static Assessment nullMx(String domain) {
    return new Assessment(
        Verdict.NULL_MX,
        "publishes a null MX (RFC 7505): "
            + domain
            + " accepts no mail, so there is no mail TLS"
            + " to judge",
        null);
  }

  public static Assessment lookupFailed(String domain, String problem) {
    return new Assessment(
        Verdict.UNREACHABLE,
        "could not look up the MX records of " + domain + ": " + problem,
        Remediation.DNS_LOOKUP);
  }

  public static Assessment tooManyMxHosts(int found, int probed) {
    return new Assessment(
        Verdict.UNREACHABLE,
        "has "
            + found
            + " MX hosts; only the "
            + probed
            + " most preferred were probed (the limit), so the others are not observed",
        Remediation.MX_LIMIT);
  }

  public static Assessment mxTargetIsAddress(String host) {
    return new Assessment(
        Verdict.UNREACHABLE,
        "the MX record names "
            + host
            + ", an address, where RFC 5321 requires a host name: sending servers do not deliver"
            + " to it, so it was not probed",
        Remediation.MX_TARGET_NAME);
  }
}
