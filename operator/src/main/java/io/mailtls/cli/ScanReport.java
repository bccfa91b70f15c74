package io.mailtls.cli;

import io.mailtls.compliance.Assessment;
import io.mailtls.compliance.ComplianceEvaluator;
import io.mailtls.compliance.CompliancePolicy;
import io.mailtls.compliance.Verdict;
import io.mailtls.compliance.VerdictCounts;
import io.mailtls.probe.EndpointResult;
import io.mailtls.probe.TlsVersion;
import java.time.Instant;
import java.util.List;

/** The result of {@code mailtls scan}: what the table and the JSON document are drawn from. */
record ScanReport(
    Instant generatedAt, TlsVersion minimumVersion, VerdictCounts summary, List<Entry> endpoints) {

  /** One endpoint: everything the probe found, and the verdict on it. */
  record Entry(EndpointResult result, Assessment assessment) {
    Verdict verdict() {
      return assessment.verdict();
    }
  }

  static ScanReport of(List<EndpointResult> results, CompliancePolicy policy, Instant generatedAt) {
    List<Entry> entries =
        results.stream().map(r -> new Entry(r, ComplianceEvaluator.assess(r, policy))).toList();
    return new ScanReport(
        generatedAt,
        policy.minimumVersion(),
        VerdictCounts.of(entries.stream().map(Entry::verdict).toList()),
        entries);
  }

  boolean allCompliant() {
    return summary.compliant() == summary.total();
  }
}
