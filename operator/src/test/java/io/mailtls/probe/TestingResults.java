package io.mailtls.probe;

import io.mailtls.tls.TlsVersion;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** Hand-made probe results, for tests of what comes after the engine. */
public final class TestingResults {
  public static final Failure REFUSED =
      new Failure(FailureKind.CONNECTION_REFUSED, "Connection refused");
  public static final Failure ALERT = new Failure(FailureKind.TLS_ALERT, "protocol_version");

  private TestingResults() {}

  /** {@code accepted} are accepted, {@code untested} refused a connection, the rest alerted. */
  public static EndpointResult result(
      String target, ServerSoftware software, Set<TlsVersion> accepted, Set<TlsVersion> untested) {
    List<VersionResult> versions =
        Arrays.stream(TlsVersion.values())
            .map(
                v ->
                    accepted.contains(v)
                        ? VersionResult.accepted(v, "TLS_RSA_WITH_AES_128_CBC_SHA", 1)
                        : VersionResult.failed(v, untested.contains(v) ? REFUSED : ALERT, 1))
            .toList();
    List<TlsVersion> acceptedList =
        versions.stream().filter(VersionResult::accepted).map(VersionResult::version).toList();
    boolean none = untested.size() == TlsVersion.values().length;
    return new EndpointResult(
        Endpoint.parse(target),
        null,
        "192.0.2.1",
        acceptedList,
        acceptedList.isEmpty() ? null : acceptedList.getLast(),
        null,
        true,
        "220 mx",
        software,
        null,
        none ? REFUSED : null,
        versions,
        Instant.EPOCH,
        10);
  }

  /** Every version failed the same way before any handshake. */
  public static EndpointResult failed(String target, Failure failure, ServerSoftware software) {
    List<VersionResult> versions =
        Arrays.stream(TlsVersion.values()).map(v -> VersionResult.failed(v, failure, 0)).toList();
    return new EndpointResult(
        Endpoint.parse(target),
        null,
        "192.0.2.1",
        List.of(),
        null,
        null,
        null,
        "220 mx",
        software,
        null,
        failure,
        versions,
        Instant.EPOCH,
        10);
  }
}
