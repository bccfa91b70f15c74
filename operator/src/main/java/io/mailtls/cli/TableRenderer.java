package io.mailtls.cli;

import io.mailtls.compliance.AddressAssessment;
import io.mailtls.compliance.Assessment;
import io.mailtls.compliance.Verdict;
import io.mailtls.compliance.VerdictCounts;
import io.mailtls.policy.EndpointOutcome;
import io.mailtls.policy.PolicyTarget;
import io.mailtls.probe.EndpointResult;
import io.mailtls.probe.VersionResult;
import io.mailtls.text.ServerText;
import io.mailtls.tls.TlsVersion;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The human-readable report: a header, one row per endpoint as it finishes, then what to do about
 * each problem and the summary. Rows come before all are known, so the columns have fixed widths:
 * the endpoint column fits the targets known when the scan starts (an MX host with a longer name,
 * or a longer target from standard input, shifts its row). Widths are counted on what is printed:
 * each name is cleaned of control and invisible characters first, and a target is measured as the
 * report names it ({@code smtp://host} as {@code smtp://host:25}).
 */
final class TableRenderer {
  private static final int MIN_ENDPOINT_WIDTH = "ENDPOINT".length();
  private static final int VERDICT_WIDTH = "DEPRECATED_TLS_ACCEPTED".length();

  /** A cell is at most this long: the longest name of an endpoint, and some. */
  private static final int MAX_CELL = 300;

  private final PrintWriter out;
  private final int endpointWidth;
  private boolean headerPrinted;

  /** A table whose endpoint column fits names of {@code endpointWidth} characters. */
  TableRenderer(PrintWriter out, int endpointWidth) {
    this.out = out;
    this.endpointWidth = Math.max(MIN_ENDPOINT_WIDTH, endpointWidth);
  }

  /** A table whose endpoint column fits these targets as the report names them. */
  TableRenderer(PrintWriter out, List<String> targets) {
    this(out, targets.stream().mapToInt(TableRenderer::printedWidth).max().orElse(0));
  }

  /** How wide the target's row name is: as the report names it, when it is a target. */
  static int printedWidth(String target) {
    try {
      return shown(TargetList.name(PolicyTarget.parse(target, null))).length();
    } catch (IllegalArgumentException notATarget) {
      return shown(target).length();
    }
  }

  void header() {
    headerPrinted = true;
    List<String> header = new ArrayList<>(List.of("ENDPOINT"));
    for (TlsVersion v : TlsVersion.values()) {
      header.add(v.label());
    }
    header.addAll(List.of("VERDICT", "SOFTWARE"));
    print(header);
  }

  /** The endpoint's row, and one indented row per address when its name has several. */
  void row(EndpointOutcome outcome) {
    if (!headerPrinted) {
      header();
    }
    print(cells(shown(outcome.name()), outcome.result(), outcome.assessment().verdict()));
    for (AddressAssessment a : outcome.addresses()) {
      print(cells("  at " + shown(a.result().address()), a.result(), a.verdict()));
    }
  }

  /** What the footer says of the endpoint: its verdict, explanation and fix, lines ended. */
  static String footerEntry(EndpointOutcome outcome) {
    String end = System.lineSeparator();
    Assessment assessment = outcome.assessment();
    return shown(outcome.name())
        + ": "
        + assessment.verdict()
        + " - "
        + assessment.explanation()
        + end
        + (assessment.remediation() == null ? "" : "  fix: " + assessment.remediation() + end);
  }

  /** The fixes of every endpoint in the order of the targets, then the summary. */
  void footer(ScanReport report, Spool entries) throws IOException {
    if (!headerPrinted) {
      header();
    }
    out.println();
    entries.writeTo(out, "");
    VerdictCounts s = report.summary();
    out.printf(
        "%n%d endpoints: %d compliant, %d non-compliant, %d unreachable (minimum %s)%n",
        s.total(), s.compliant(), s.nonCompliant(), s.unreachable(), report.minimumVersion());
    out.flush();
  }

  private static List<String> cells(String name, EndpointResult result, Verdict verdict) {
    List<String> row = new ArrayList<>(List.of(name));
    for (TlsVersion v : TlsVersion.values()) {
      row.add(cell(result.resultFor(v)));
    }
    row.add(verdict.name());
    row.add(result.serverSoftware().displayName());
    return row;
  }

  /**
   * A name as printed: no control or invisible characters, at most {@link #MAX_CELL} long (the
   * other cells come from fixed vocabularies).
   */
  private static String shown(String name) {
    return ServerText.clean(name, MAX_CELL);
  }

  private void print(List<String> row) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < row.size(); i++) {
      int width =
          i == 0
              ? endpointWidth
              : i <= TlsVersion.values().length
                  ? TlsVersion.values()[i - 1].label().length()
                  : i == row.size() - 2 ? VERDICT_WIDTH : 0;
      line.append(String.format("%-" + Math.max(width, 1) + "s", row.get(i)));
      if (i < row.size() - 1) {
        line.append("  ");
      }
    }
    out.println(line.toString().stripTrailing());
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
