package io.mailtls.cli;

import io.mailtls.compliance.VerdictCounts;
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
      List<String> row = new ArrayList<>(List.of(e.result().endpoint().toString()));
      for (TlsVersion v : TlsVersion.values()) {
        row.add(cell(e.result().resultFor(v)));
      }
      row.add(e.verdict().name());
      row.add(e.result().serverSoftware().displayName());
      rows.add(row);
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
      out.println(
          e.result().endpoint() + ": " + e.verdict() + " - " + e.assessment().explanation());
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
