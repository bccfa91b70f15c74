package io.mailtls.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailtls.compliance.AddressAssessment;
import io.mailtls.compliance.VerdictCounts;
import io.mailtls.policy.MxOrigin;
import io.mailtls.probe.CertificateInfo;
import io.mailtls.probe.EndpointResult;
import io.mailtls.probe.Failure;
import io.mailtls.probe.VersionResult;
import io.mailtls.tls.TlsVersion;
import java.io.IOException;
import java.io.PrintWriter;
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

  static ScanJson of(ScanReport report, List<EndpointJson> endpoints) {
    VerdictCounts s = report.summary();
    return new ScanJson(
        SCHEMA_VERSION,
        report.generatedAt(),
        report.minimumVersion().label(),
        new Summary(s.total(), s.compliant(), s.nonCompliant(), s.unreachable()),
        endpoints);
  }

  /**
   * The document written as the endpoints finish, without holding them: each endpoint's text goes
   * to a spool as it comes, and the document (whose summary comes first) is written at the end,
   * byte for byte as Jackson writes the whole {@link ScanJson} (its pretty printer writes an array
   * as {@code [ e1, e2 ]} and the empty one as {@code [ ]}).
   */
  static final class Document {
    private static final String ENDPOINTS = "\"endpoints\" : [";

    private final ObjectMapper mapper;
    private final Spool endpoints;

    Document(ObjectMapper mapper, Spool endpoints) {
      this.mapper = mapper;
      this.endpoints = endpoints;
    }

    /** Spools the endpoint; {@code key} is its place in the document. */
    void add(long key, ScanReport.Entry entry) {
      endpoints.add(key, text(entry));
    }

    /** The endpoint as the document's array holds it: the text Jackson writes for it there. */
    String text(ScanReport.Entry entry) {
      String alone =
          write(
              new ScanJson(
                  SCHEMA_VERSION,
                  Instant.EPOCH,
                  "",
                  new Summary(0, 0, 0, 0),
                  List.of(endpoint(entry))));
      int start = alone.indexOf(ENDPOINTS + " ") + ENDPOINTS.length() + 1;
      String end = end(alone);
      return alone.substring(start, alone.length() - (" ]" + end).length());
    }

    /** The whole document, and a line end. */
    void write(ScanReport report, PrintWriter out) throws IOException {
      String empty = write(of(report, List.of()));
      int open = empty.indexOf(ENDPOINTS + " ]") + ENDPOINTS.length();
      out.write(empty, 0, open);
      out.write(' ');
      if (endpoints.size() > 0) {
        endpoints.writeTo(out, ", ");
        out.write(' ');
      }
      out.write(']');
      out.write(end(empty));
      out.println();
      out.flush();
    }

    /** What follows the endpoints' array: the document's end. */
    private static String end(String document) {
      return document.substring(document.lastIndexOf(']') + 1);
    }

    private String write(ScanJson document) {
      try {
        return mapper.writeValueAsString(document);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("the scan's JSON cannot be written", e);
      }
    }
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
