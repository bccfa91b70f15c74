package io.mailtls.probe;

import io.mailtls.tls.TlsVersion;

/**
 * What one connection found out about one protocol version.
 *
 * @param cipherSuite the suite the server chose, when accepted
 * @param failure why the version was not accepted or could not be tested; null when accepted
 */
public record VersionResult(
    TlsVersion version,
    VersionStatus status,
    String cipherSuite,
    Failure failure,
    long durationMillis) {

  public enum VersionStatus {
    /** The server answered a ClientHello offering only this version with a ServerHello at it. */
    ACCEPTED,
    /** The server refused it: an alert, another version, a dropped connection. */
    REJECTED,
    /** The connection failed before the ClientHello; nothing is known about this version. */
    NOT_TESTED
  }

  public static VersionResult accepted(TlsVersion version, String cipherSuite, long millis) {
    return new VersionResult(version, VersionStatus.ACCEPTED, cipherSuite, null, millis);
  }

  public static VersionResult failed(TlsVersion version, Failure failure, long millis) {
    VersionStatus status =
        failure.kind().meansVersionRejected() ? VersionStatus.REJECTED : VersionStatus.NOT_TESTED;
    return new VersionResult(version, status, null, failure, millis);
  }

  public boolean accepted() {
    return status == VersionStatus.ACCEPTED;
  }
}
