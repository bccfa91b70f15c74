package io.mailtls.probe;

import io.mailtls.tls.TlsVersion;
import java.time.Instant;
import java.util.List;

/**
 * Everything one probe round found out about one endpoint.
 *
 * @param serverName the name sent in SNI and checked against the certificate (null for an IP target
 *     without a server name)
 * @param address the address that was connected to
 * @param acceptedVersions the versions the server accepted, oldest first
 * @param bestVersion the newest accepted version, and {@code bestCipherSuite} the suite chosen at
 *     it
 * @param startTlsAdvertised whether the server offers STARTTLS; null for implicit TLS or when the
 *     dialogue never got that far
 * @param banner the server's plain-text greeting, sanitized (null for implicit TLS)
 * @param certificate the certificate, when a handshake got far enough to see it
 * @param failure why no version could be tested at all; null when at least one handshake ran
 * @param versions one result per probed version, oldest first
 */
public record EndpointResult(
    Endpoint endpoint,
    String serverName,
    String address,
    List<TlsVersion> acceptedVersions,
    TlsVersion bestVersion,
    String bestCipherSuite,
    Boolean startTlsAdvertised,
    String banner,
    ServerSoftware serverSoftware,
    CertificateInfo certificate,
    Failure failure,
    List<VersionResult> versions,
    Instant probedAt,
    long durationMillis) {

  /**
   * A result for which nothing was sent: every version in {@code versions} failed with {@code
   * failure} (for an entry that is not a host at all, no version and no failure).
   */
  public static EndpointResult notProbed(
      Target target, List<TlsVersion> versions, Failure failure, Instant at) {
    return EndpointSummary.notConnected(target, null, versions, failure, at, 0);
  }

  public boolean accepts(TlsVersion version) {
    return acceptedVersions.contains(version);
  }

  /** The versions that could not be tested (a timeout, a lost connection), oldest first. */
  public List<VersionResult> untested() {
    return versions.stream()
        .filter(v -> v.status() == VersionResult.VersionStatus.NOT_TESTED)
        .toList();
  }

  /**
   * What kept versions from being tested: the endpoint's failure, else the first untested
   * version's; null when every version was tested.
   */
  public Failure decidingFailure() {
    return failure != null
        ? failure
        : untested().stream().map(VersionResult::failure).findFirst().orElse(null);
  }

  public VersionResult resultFor(TlsVersion version) {
    return versions.stream().filter(v -> v.version() == version).findFirst().orElse(null);
  }
}
