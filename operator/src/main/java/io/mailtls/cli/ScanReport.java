package io.mailtls.cli;

import io.mailtls.compliance.Assessment;
import io.mailtls.compliance.Verdict;
import io.mailtls.compliance.VerdictCounts;
import io.mailtls.policy.EndpointOutcome;
import io.mailtls.probe.EndpointResult;
import io.mailtls.tls.TlsVersion;
import java.time.Instant;
import java.util.List;

/** The result of {@code mailtls scan}: what the table and the JSON document are drawn from. */
record ScanReport(
    Instant generatedAt, TlsVersion minimumVersion, VerdictCounts summary, List<Entry> endpoints) {

  /** One endpoint: everything the probe found, and the verdict on it. */
  record Entry(EndpointOutcome outcome) {
    EndpointResult result() {
      return outcome.result();
    }

    Assessment assessment() {
      return outcome.assessment();
    }

    Verdict verdict() {
      return outcome.assessment().verdict();
    }
  }

  static ScanReport of(
      List<EndpointOutcome> outcomes, TlsVersion minimumVersion, Instant generatedAt) {
    List<Entry> entries = outcomes.stream().map(Entry::new).toList();
    return new ScanReport(
        generatedAt,
        minimumVersion,
        VerdictCounts.of(entries.stream().map(Entry::verdict).toList()),
        entries);
  }

  boolean allCompliant() {
    return summary.compliant() == summary.total();
  }
}
