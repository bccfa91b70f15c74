package io.mailtls.probe;

import io.mailtls.dns.AddressText;
import io.mailtls.tls.TlsVersion;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What one endpoint's connections add up to. A pure function of what was observed: it opens no
 * connection and reads no clock, so the same observations always give the same result.
 */
final class EndpointSummary {
  private EndpointSummary() {}

  /**
   * What one address showed, from its attempts: a STARTTLS endpoint's dialogue, or an implicit-TLS
   * endpoint's greeting after a completed handshake, is in the attempts' transcripts.
   */
  static EndpointResult of(
      VersionProber.Destination destination,
      List<VersionProber.Attempt> attempts,
      CertificateInfo certificate,
      Instant probedAt,
      long elapsedMillis) {
    List<VersionResult> versions =
        attempts.stream()
            .map(VersionProber.Attempt::result)
            .sorted(Comparator.comparing(VersionResult::version))
            .toList();
    List<TlsVersion> accepted =
        versions.stream().filter(VersionResult::accepted).map(VersionResult::version).toList();
    VersionResult best =
        versions.stream().filter(VersionResult::accepted).reduce((a, b) -> b).orElse(null);
    List<String> transcript =
        attempts.stream()
            .map(VersionProber.Attempt::transcript)
            .max(Comparator.comparingInt(List::size))
            .orElse(List.of());
    String banner =
        attempts.stream()
            .map(VersionProber.Attempt::greeting)
            .filter(Objects::nonNull)
            .findFirst()
            .orElse(null);
    boolean anyHandshake =
        versions.stream().anyMatch(v -> v.status() != VersionResult.VersionStatus.NOT_TESTED);
    Failure failure = anyHandshake ? null : mostCommonFailure(versions);

    return new EndpointResult(
        destination.endpoint(),
        destination.serverName(),
        AddressText.of(destination.address().getAddress()),
        accepted,
        best == null ? null : best.version(),
        best == null ? null : best.cipherSuite(),
        startTlsAdvertised(destination.endpoint(), anyHandshake, failure),
        banner,
        ServerSoftware.detect(transcript),
        certificate,
        failure,
        versions,
        probedAt,
        elapsedMillis);
  }

  /** An endpoint that was never connected to: every version failed the same way. */
  static EndpointResult notConnected(
      Target target,
      String address,
      List<TlsVersion> probed,
      Failure failure,
      Instant probedAt,
      long elapsedMillis) {
    return new EndpointResult(
        target.endpoint(),
        target.nameToPresent(),
        address,
        List.of(),
        null,
        null,
        null,
        null,
        ServerSoftware.UNKNOWN,
        null,
        failure,
        probed.stream().map(v -> VersionResult.failed(v, failure, 0)).toList(),
        probedAt,
        elapsedMillis);
  }

  private static Boolean startTlsAdvertised(
      Endpoint endpoint, boolean anyHandshake, Failure failure) {
    if (!endpoint.protocol().usesStartTls()) {
      return null;
    }
    if (anyHandshake || failure.kind() == FailureKind.STARTTLS_REFUSED) {
      return true;
    }
    return failure.kind() == FailureKind.STARTTLS_NOT_ADVERTISED ? false : null;
  }

  private static Failure mostCommonFailure(List<VersionResult> versions) {
    return versions.stream()
        .map(VersionResult::failure)
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()))
        .entrySet()
        .stream()
        .max(
            Comparator.<Map.Entry<Failure, Long>>comparingLong(Map.Entry::getValue)
                .thenComparing(e -> e.getKey().kind()))
        .map(Map.Entry::getKey)
        .orElseThrow();
  }
}
