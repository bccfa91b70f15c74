package io.mailtls.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.mailtls.compliance.AddressAssessment;
import io.mailtls.compliance.VerdictCounts;
import io.mailtls.policy.MxOrigin;
import io.mailtls.probe.CertificateInfo;
import io.mailtls.probe.EndpointResult;
import io.mailtls.probe.Failure;
import io.mailtls.probe.VersionResult;
import io.mailtls.tls.TlsVersion;
import java.time.Instant;
import java.util.List;

/**
 * The published document of {@code mailtls scan -o json}, schema version 1 (described in the
 * README). Its own records, mapped field by field from the engine's results, so that renaming
 * something in the engine cannot change what scripts read. Fields are only ever added.
 */
record ScanJson(
    int schemaVersion,
    Instant generatedAt,
    String minimumVersion,
    Summary summary,
    List<EndpointJson> endpoints) {

  static final int SCHEMA_VERSION = 1;

  record Summary(int endpoints, int compliant, int nonCompliant, int unreachable) {}

  /** One endpoint: its verdict, then everything the probe found. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record EndpointJson(
      String verdict,
      String reason,
      String explanation,
      String remediation,
      String endpoint,
      String serverName,
      String domain,
      Integer mxPreference,
      String address,
      List<String> acceptedVersions,
      String bestVersion,
      String bestCipherSuite,
      Boolean startTlsAdvertised,
      String banner,
      String serverSoftware,
      CertificateJson certificate,
      FailureJson failure,
      List<VersionJson> versions,
      List<AddressJson> addresses,
      Instant probedAt,
      long durationMillis) {}

  /** One address of a host name with several: the endpoint's verdict is the worst of these. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record AddressJson(
      String address,
      String verdict,
      String reason,
      String explanation,
      List<String> acceptedVersions,
      FailureJson failure) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record CertificateJson(
      String subject,
      List<String> subjectAltNames,
      String issuer,
      Instant notBefore,
      Instant notAfter,
      boolean chainValid,
      String chainError,
      String nameChecked,
      boolean nameMatches) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record VersionJson(
      String version,
      String status,
      String cipherSuite,
      FailureJson failure,
      long durationMillis) {}

  /** {@code kind} is the engine's failure class in upper case, e.g. CONNECTION_REFUSED. */
  record FailureJson(String kind, String detail) {}

  static ScanJson of(ScanReport report) {
    VerdictCounts s = report.summary();
    return new ScanJson(
        SCHEMA_VERSION,
        report.generatedAt(),
        report.minimumVersion().label(),
        new Summary(s.total(), s.compliant(), s.nonCompliant(), s.unreachable()),
        report.endpoints().stream().map(ScanJson::endpoint).toList());
  }

  static EndpointJson endpoint(ScanReport.Entry entry) {
    EndpointResult r = entry.result();
    MxOrigin origin = entry.outcome().origin();
    return new EndpointJson(
        entry.assessment().verdict().name(),
        entry.assessment().verdict().reason(),
        entry.assessment().explanation(),
        entry.assessment().remediation(),
        entry.outcome().name(),
        r.serverName(),
        origin == null ? null : origin.domain(),
        origin == null ? null : origin.preference(),
        r.address(),
        labels(r.acceptedVersions()),
        r.bestVersion() == null ? null : r.bestVersion().label(),
        r.bestCipherSuite(),
        r.startTlsAdvertised(),
        r.banner(),
        r.serverSoftware().displayName(),
        certificate(r.certificate()),
        failure(r.failure()),
        r.versions().stream().map(ScanJson::version).toList(),
        entry.outcome().addresses().isEmpty()
            ? null
            : entry.outcome().addresses().stream().map(ScanJson::address).toList(),
        r.probedAt(),
        r.durationMillis());
  }

  private static AddressJson address(AddressAssessment a) {
    return new AddressJson(
        a.result().address(),
        a.verdict().name(),
        a.verdict().reason(),
        a.assessment().explanation(),
        labels(a.result().acceptedVersions()),
        failure(a.result().decidingFailure()));
  }

  private static CertificateJson certificate(CertificateInfo c) {
    return c == null
        ? null
        : new CertificateJson(
            c.subject(),
            c.subjectAltNames(),
            c.issuer(),
            c.notBefore(),
            c.notAfter(),
            c.chainValid(),
            c.chainError(),
            c.nameChecked(),
            c.nameMatches());
  }

  private static VersionJson version(VersionResult v) {
    return new VersionJson(
        v.version().label(),
        v.status().name(),
        v.cipherSuite(),
        failure(v.failure()),
        v.durationMillis());
  }

  private static FailureJson failure(Failure f) {
    return f == null ? null : new FailureJson(f.kind().name(), f.detail());
  }

  private static List<String> labels(List<TlsVersion> versions) {
    return versions.stream().map(TlsVersion::label).toList();
  }
}
