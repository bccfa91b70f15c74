package io.mailtls.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.mailtls.compliance.Assessment;
import io.mailtls.compliance.ComplianceEvaluator;
import io.mailtls.compliance.CompliancePolicy;
import io.mailtls.compliance.Verdict;
import io.mailtls.probe.EndpointResult;
import io.mailtls.probe.TlsVersion;
import java.time.Instant;
import java.util.List;

/**
 * The result of {@code mailtls scan}: the JSON document of {@code --output json} (schema in the
 * README; fields are only ever added) and the input of the table.
 */
record ScanReport(
    int schemaVersion,
    Instant generatedAt,
    TlsVersion minimumVersion,
    Summary summary,
    List<Entry> endpoints) {

  static final int SCHEMA_VERSION = 1;

  record Summary(int endpoints, int compliant, int nonCompliant, int unreachable) {}

  /** One endpoint: its verdict, then everything the probe found (flattened into one object). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Entry(
      Verdict verdict,
      String reason,
      String explanation,
      String remediation,
      @JsonUnwrapped EndpointResult result) {}

  static ScanReport of(List<EndpointResult> results, CompliancePolicy policy) {
    List<Entry> entries =
        results.stream()
            .map(
                r -> {
                  Assessment a = ComplianceEvaluator.assess(r, policy);
                  return new Entry(
                      a.verdict(), a.verdict().reason(), a.explanation(), a.remediation(), r);
                })
            .toList();
    int compliant = count(entries, Verdict.COMPLIANT);
    int unreachable = count(entries, Verdict.UNREACHABLE);
    return new ScanReport(
        SCHEMA_VERSION,
        Instant.now(),
        policy.minimumVersion(),
        new Summary(
            entries.size(), compliant, entries.size() - compliant - unreachable, unreachable),
        entries);
  }

  boolean allCompliant() {
    return summary.compliant() == summary.endpoints();
  }

  private static int count(List<Entry> entries, Verdict verdict) {
    return (int) entries.stream().filter(e -> e.verdict() == verdict).count();
  }
}
