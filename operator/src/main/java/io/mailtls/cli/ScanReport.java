package io.mailtls.cli;

import io.mailtls.compliance.Assessment;
import io.mailtls.compliance.Verdict;
import io.mailtls.compliance.VerdictCounts;
import io.mailtls.policy.EndpointOutcome;
import io.mailtls.probe.EndpointResult;
import io.mailtls.tls.TlsVersion;
import java.time.Instant;
import java.util.List;

/**
 * What {@code mailtls scan} knows at its end: the summary that the table, the JSON document and the
 * JUnit report close or open with. The endpoints themselves were written (or spooled) as they
 * finished: only their counts are kept.
 */
record ScanReport(Instant generatedAt, TlsVersion minimumVersion, VerdictCounts summary) {

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

  /** The counts of the verdicts so far, by {@link VerdictCounts}'s one rule. */
  static final class Tally {
    private int total;
    private int compliant;
    private int nonCompliant;
    private int unreachable;

    synchronized void add(Verdict verdict) {
      VerdictCounts one = VerdictCounts.of(List.of(verdict));
      total += one.total();
      compliant += one.compliant();
      nonCompliant += one.nonCompliant();
      unreachable += one.unreachable();
    }

    synchronized VerdictCounts counts() {
      return new VerdictCounts(total, compliant, nonCompliant, unreachable);
    }
  }

  static ScanReport of(List<EndpointOutcome> outcomes, TlsVersion minimumVersion, Instant at) {
    Tally tally = new Tally();
    outcomes.forEach(o -> tally.add(o.assessment().verdict()));
    return new ScanReport(at, minimumVersion, tally.counts());
  }

  boolean allCompliant() {
    return summary.compliant() == summary.total();
  }
}
