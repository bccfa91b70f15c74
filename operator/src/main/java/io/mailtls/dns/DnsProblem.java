package io.mailtls.dns;

/**
 * Why a DNS look-up gave no usable answer. Every way a look-up can fail ends in one of these, never
 * in an exception.
 */
public record DnsProblem(Kind kind, String detail) {

  public enum Kind {
    /** NXDOMAIN: the name does not exist. */
    NAME_NOT_FOUND,
    /** The name exists but has no A or AAAA record. */
    NO_ADDRESS,
    /** SERVFAIL, REFUSED or another error code from the DNS server. */
    SERVER_FAILURE,
    /** No answer before the deadline. */
    TIMEOUT,
    /** The system resolver failed without saying how (the JDK does not tell NXDOMAIN apart). */
    UNSPECIFIED
  }

  @Override
  public String toString() {
    return detail;
  }
}
