package io.mailtls.metrics;

import io.mailtls.api.EndpointStatus;
import io.mailtls.compliance.Verdict;
import io.mailtls.dns.MailDomain;
import io.mailtls.probe.Endpoint;
import io.mailtls.probe.MailProtocol;
import io.mailtls.tls.TlsVersion;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One endpoint of a policy's status in the terms the metrics need, read once when the status
 * changes, so a scrape only renders and never parses.
 *
 * @param certificateExpiry epoch seconds, or null when no certificate was seen
 * @param failure the failure class that decided the verdict (ConnectionRefused, …), or null
 */
record EndpointView(
    String target,
    String serverName,
    String protocol,
    Verdict verdict,
    Set<TlsVersion> accepted,
    Set<TlsVersion> untested,
    Long certificateExpiry,
    long lastProbe,
    String serverSoftware,
    String bestVersion,
    String domain,
    List<AddressView> addresses,
    String failure) {

  /** One address of an endpoint with several, and its verdict. */
  record AddressView(String address, Verdict verdict) {}

  /**
   * The view of a stored endpoint entry, or empty when the entry cannot be read (edited by hand,
   * written by another version): a status that makes no sense shows no series, and never stops the
   * status from being recorded.
   */
  static Optional<EndpointView> read(EndpointStatus status) {
    try {
      return Optional.of(of(status));
    } catch (RuntimeException unreadable) {
      return Optional.empty();
    }
  }

  static EndpointView of(EndpointStatus status) {
    return new EndpointView(
        status.target(),
        status.serverName(),
        MailDomain.isDomainTarget(status.target())
            ? MailProtocol.SMTP.scheme()
            : Endpoint.parse(status.target()).protocol().scheme(),
        // A verdict this version does not know (written by a newer one) proves nothing.
        Verdict.fromReason(status.verdict()).orElse(Verdict.UNREACHABLE),
        versions(status.acceptedVersions()),
        versions(status.untestedVersions()),
        status.certificateNotAfter() == null
            ? null
            : Instant.parse(status.certificateNotAfter()).getEpochSecond(),
        Instant.parse(status.lastProbeTime()).getEpochSecond(),
        status.serverSoftware() == null ? "" : status.serverSoftware(),
        status.bestVersion() == null ? "" : status.bestVersion(),
        status.domain(),
        status.addresses() == null
            ? List.of()
            : status.addresses().stream()
                .map(
                    a ->
                        new AddressView(
                            a.address(),
                            Verdict.fromReason(a.verdict()).orElse(Verdict.UNREACHABLE)))
                .toList(),
        status.failure());
  }

  /**
   * What tells this entry apart from another of the same policy with the same target: the name it
   * was probed by, or the mail domain it is an MX host of; null when neither does.
   */
  String qualifier() {
    if (serverName != null) {
      return serverName;
    }
    return domain == null ? null : "MX of " + domain;
  }

  boolean up() {
    return verdict.wasProbed();
  }

  private static Set<TlsVersion> versions(List<String> labels) {
    Set<TlsVersion> versions = EnumSet.noneOf(TlsVersion.class);
    if (labels != null) {
      labels.forEach(label -> versions.add(TlsVersion.fromLabel(label)));
    }
    return versions;
  }
}
