package io.mailtls.compliance;

import java.util.Collection;

/**
 * How many endpoints got which kind of verdict: the one rule behind the scan summary and the policy
 * status summary. An endpoint that was not probed (Unreachable, Forbidden) is unreachable, never
 * non-compliant.
 */
public record VerdictCounts(int total, int compliant, int nonCompliant, int unreachable) {

  public static VerdictCounts of(Collection<Verdict> verdicts) {
    int compliant = 0;
    int unreachable = 0;
    for (Verdict verdict : verdicts) {
      if (verdict.meetsPolicy()) {
        compliant++;
      } else if (!verdict.wasProbed()) {
        unreachable++;
      }
    }
    return new VerdictCounts(
        verdicts.size(), compliant, verdicts.size() - compliant - unreachable, unreachable);
  }
}
