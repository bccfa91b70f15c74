package io.mailtls.cli;

import io.mailtls.compliance.Verdict;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * JUnit XML for CI systems that render it: one test case per endpoint; a non-compliant endpoint is
 * a failure and one that could not be probed an error, each with the explanation and the fix.
 */
final class JunitReport {
  private JunitReport() {}

  /** The whole report: the suite with its counts, the spooled test cases in order, its end. */
  static void write(ScanReport report, Duration took, Spool testCases, PrintWriter out)
      throws IOException {
    out.println("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    out.printf(
        Locale.ROOT,
        "<testsuite name=\"mailtls scan\" tests=\"%d\" failures=\"%d\" errors=\"%d\""
            + " time=\"%.3f\" timestamp=\"%s\">%n",
        report.summary().total(),
        report.summary().nonCompliant(),
        report.summary().unreachable(),
        took.toMillis() / 1000.0,
        report.generatedAt());
    testCases.writeTo(out, "");
    out.println("</testsuite>");
    out.flush();
  }

  /** One endpoint's test case, its lines ended. */
  static String testCase(ScanReport.Entry entry) {
    StringWriter text = new StringWriter();
    PrintWriter out = new PrintWriter(text);
    out.printf(
        Locale.ROOT,
        "  <testcase classname=\"mailtls.%s\" name=\"%s\" time=\"%.3f\"",
        entry.result().endpoint().protocol().scheme(),
        xml(entry.outcome().name()),
        entry.result().durationMillis() / 1000.0);
    Verdict verdict = entry.verdict();
    if (verdict.meetsPolicy()) {
      out.println("/>");
      out.flush();
      return text.toString();
    }
    String element = verdict.wasProbed() ? "failure" : "error";
    out.println(">");
    out.printf(
        "    <%s type=\"%s\" message=\"%s\">%s</%s>%n",
        element,
        verdict.reason(),
        xml(entry.assessment().explanation()),
        xml(
            entry.assessment().remediation() == null
                ? entry.assessment().explanation()
                : "fix: " + entry.assessment().remediation()),
        element);
    out.println("  </testcase>");
    out.flush();
    return text.toString();
  }

  /** Text and attribute values; control characters other than tab and newline are dropped. */
  static String xml(String text) {
    StringBuilder escaped = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '&' -> escaped.append("&amp;");
        case '<' -> escaped.append("&lt;");
        case '>' -> escaped.append("&gt;");
        case '"' -> escaped.append("&quot;");
        case '\'' -> escaped.append("&apos;");
        default -> {
          if (c >= 0x20 || c == '\t' || c == '\n') {
            escaped.append(c);
          }
        }
      }
    }
    return escaped.toString();
  }
}
