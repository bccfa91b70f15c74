package io.mailtls.cli;

import io.mailtls.compliance.AddressAssessment;
import io.mailtls.compliance.Verdict;
import io.mailtls.compliance.VerdictCounts;
import io.mailtls.probe.EndpointResult;
import io.mailtls.probe.TlsVersion;
import io.mailtls.probe.VersionResult;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** The human-readable report: one row per endpoint, then what to do about each problem. */
final class TableRenderer {
  private TableRenderer() {}

  static void render(ScanReport report, PrintWriter out) {
    List<String> header = new ArrayList<>(List.of("ENDPOINT"));
    for (TlsVersion v : TlsVersion.values()) {
      header.add(v.label());
    }
    header.addAll(List.of("VERDICT", "SOFTWARE"));
    List<List<String>> rows = new ArrayList<>();
    rows.add(header);
    for (ScanReport.Entry e : report.endpoints()) {
      rows.add(row(e.outcome().name(), e.result(), e.verdict()));
      for (AddressAssessment a : e.outcome().addresses()) {
        rows.add(row("  at " + a.result().address(), a.result(), a.verdict()));
      }
    }
    int[] widths = new int[header.size()];
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        line.append(String.format("%-" + widths[i] + "s", row.get(i)));
        if (i < row.size() - 1) {
          line.append("  ");
        }
      }
      out.println(line.toString().stripTrailing());
    }
    out.println();
    for (ScanReport.Entry e : report.endpoints()) {
      out.println(e.outcome().name() + ": " + e.verdict() + " - " + e.assessment().explanation());
      if (e.assessment().remediation() != null) {
        out.println("  fix: " + e.assessment().remediation());
      }
    }
    VerdictCounts s = report.summary();
    out.printf(
        "%n%d endpoints: %d compliant, %d non-compliant, %d unreachable (minimum %s)%n",
        s.total(), s.compliant(), s.nonCompliant(), s.unreachable(), report.minimumVersion());
    out.flush();
  }

  private static List<String> row(String name, EndpointResult result, Verdict verdict) {
    List<String> row = new ArrayList<>(List.of(name));
    for (TlsVersion v : TlsVersion.values()) {
      row.add(cell(result.resultFor(v)));
    }
    row.add(verdict.name());
    row.add(result.serverSoftware().displayName());
    return row;
  }

  /** yes = accepted, no = refused, ? = could not be tested, blank = not probed. */
  private static String cell(VersionResult result) {
    if (result == null) {
      return "";
    }
    return switch (result.status()) {
      case ACCEPTED -> "yes";
      case REJECTED -> "no";
      case NOT_TESTED -> "?";
    };
  }
}
