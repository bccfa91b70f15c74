package io.mailtls.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.mailtls.compliance.CompliancePolicy;
import io.mailtls.policy.EndpointOutcome;
import io.mailtls.policy.PolicyTarget;
import io.mailtls.policy.ProbeRound;
import io.mailtls.policy.ProbeStream;
import io.mailtls.probe.ConnectionGuard;
import io.mailtls.probe.EndpointProber;
import io.mailtls.probe.ProbeSettings;
import io.mailtls.text.Durations;
import io.mailtls.tls.TlsVersion;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mailtls scan TARGET...}: probe once, report, exit 0 only if all are compliant. */
@Command(
    name = "scan",
    mixinStandardHelpOptions = true,
    description = "Probes mail endpoints once and reports which protocol versions each accepts.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:every endpoint is compliant",
      "1:at least one endpoint is not compliant or unreachable",
      "2:usage error (a bad option, target or file)",
      "3:internal error"
    })
public final class ScanCommand implements Callable<Integer> {
  enum Output {
    table,
    json,
    ndjson,
    junit
  }

  /** Longer would be no deadline at all; a policy allows at most 60 s. */
  static final Duration MAX_TIMEOUT = Duration.ofHours(1);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(
      arity = "0..*",
      paramLabel = "TARGET",
      description =
          "smtp|submission|smtps|imap|imaps|pop3|pop3s://host[:port], e.g. smtp://mx.example.com,"
              + " or mx://domain[:port] for every MX host of a mail domain; - reads targets from"
              + " standard input, one per line, probing each as it comes")
  List<String> targets = List.of();

  @Option(
      names = "--targets-file",
      paramLabel = "FILE",
      description =
          "Reads targets from FILE (- for standard input), one per line of at most "
              + TargetList.MAX_LINE_BYTES
              + " bytes; blank lines and # comments are skipped; at most "
              + TargetList.MAX_TARGETS
              + " targets in all.")
  String targetsFile;

  @Option(
      names = "--min-version",
      defaultValue = "TLSv1.2",
      converter = Converters.VersionConverter.class,
      description = "Oldest version an endpoint may accept (default: ${DEFAULT-VALUE}).")
  TlsVersion minimumVersion;

  @Option(
      names = "--timeout",
      defaultValue = "10s",
      converter = Converters.DurationConverter.class,
      description = "Deadline per connection (one per version) (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(
      names = "--deadline",
      converter = Converters.DurationConverter.class,
      description =
          "Deadline for the whole scan, whatever standard input does: endpoints not probed by"
              + " then are reported Unreachable (DeadlineExceeded), lines of standard input not"
              + " read by then are not read (default: none).")
  Duration deadline;

  @Option(
      names = "--servername",
      description = "Name for SNI and the certificate check (default: the target's host).")
  String serverName;

  @CommandLine.Mixin ProbeOptions probeOptions;

  @Option(
      names = "--require-starttls",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description = "Fail STARTTLS endpoints that offer no STARTTLS (default: ${DEFAULT-VALUE}).")
  boolean requireStartTls;

  @Option(
      names = {"-o", "--output"},
      defaultValue = "table",
      description =
          "table (rows as endpoints finish), json (one document at the end), ndjson (one object"
              + " per endpoint as it finishes) or junit (JUnit XML at the end) (default:"
              + " ${DEFAULT-VALUE}).")
  Output output;

  /**
   * Targets under way at once: enough to keep every connection busy (an endpoint holds up to one
   * per version), few enough that a scan's memory does not grow with its list.
   */
  static int targetsInFlight(ProbeSettings settings) {
    return Math.clamp(2L * settings.maxConnections(), 16, 10_000);
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (timeout.compareTo(MAX_TIMEOUT) > 0 || !timeout.isPositive()) {
      throw usage("--timeout " + timeout + " is not between 1ms and 1h");
    }
    if (deadline != null && !deadline.isPositive()) {
      throw usage("--deadline " + deadline + " is not positive");
    }
    Instant start = Instant.now();
    Instant end = deadline == null ? null : start.plus(deadline);
    TargetList list = new TargetList(targets, targetsFile, serverName, System.in);
    try {
      list.check();
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    if (list.known() == 0 && !list.readsStandardInput()) {
      throw noTarget();
    }
    // A person at a terminal chooses the targets: no guard unless asked for.
    ProbeSettings settings =
        probeOptions.settings(ProbeSettings.defaults().withTimeout(timeout), ConnectionGuard.NONE);

    PrintWriter out = spec.commandLine().getOut();
    Progress progress =
        Progress.onTerminal(
            spec.commandLine().getErr(), list.readsStandardInput() ? 0 : list.known());
    ScanReport.Tally tally = new ScanReport.Tally();
    long targetNumber = 0;
    String badTarget = null;
    try (Spool spool = new Spool()) {
      Report report = report(out, spool, list);
      ProbeStream stream =
          new ProbeStream(
              new ProbeRound(new EndpointProber(settings)),
              new CompliancePolicy(minimumVersion, requireStartTls),
              settings.timeout(),
              end,
              targetsInFlight(settings),
              (target, entry, outcome) -> {
                progress.finished();
                tally.add(outcome.assessment().verdict());
                report.finished(target * 256 + Math.min(entry, 255), outcome);
              });
      try {
        while (true) {
          PolicyTarget target;
          try {
            target = list.next(end);
          } catch (IllegalArgumentException e) {
            badTarget = e.getMessage(); // what came before it is probed and reported
            break;
          }
          if (target == null) {
            break;
          }
          if (stream.pastDeadline()) {
            stream.notStarted(targetNumber++, target);
          } else {
            stream.probe(targetNumber++, target);
          }
        }
      } finally {
        list.close();
        stream.finish();
        progress.done();
      }
      if (targetNumber > 0 || list.standardInputLeftAt() > 0) {
        report.end(
            new ScanReport(Instant.now(), minimumVersion, tally.counts()),
            Duration.between(start, Instant.now()));
      }
    }
    if (list.standardInputLeftAt() > 0) {
      spec.commandLine()
          .getErr()
          .println(
              "mailtls scan: the deadline (--deadline "
                  + Durations.format(deadline)
                  + ") ended the scan while standard input was open: its lines from "
                  + list.standardInputLeftAt()
                  + " on were not read");
      spec.commandLine().getErr().flush();
    }
    if (badTarget != null) {
      throw usage(badTarget);
    }
    if (targetNumber == 0 && list.standardInputLeftAt() == 0) {
      throw noTarget();
    }
    // Unread lines of standard input are endpoints nobody looked at: never "all compliant".
    return tally.counts().compliant() == tally.counts().total() && list.standardInputLeftAt() == 0
        ? 0
        : 1;
  }

  /** What one output format does with each endpoint as it finishes, and at the end. */
  private interface Report {
    /** {@code key} orders the endpoint among all: the order of the targets. */
    void finished(long key, EndpointOutcome outcome);

    void end(ScanReport report, Duration took) throws IOException;
  }

  private Report report(PrintWriter out, Spool spool, TargetList list) {
    return switch (output) {
      case table -> {
        // Standard input's targets are not known when the header is printed: room for common names.
        TableRenderer table =
            new TableRenderer(
                out,
                list.readsStandardInput()
                    ? Math.max(list.width(), STANDARD_INPUT_ENDPOINT_WIDTH)
                    : list.width());
        yield new Report() {
          @Override
          public void finished(long key, EndpointOutcome outcome) {
            table.row(outcome);
            spool.add(key, TableRenderer.footerEntry(outcome));
          }

          @Override
          public void end(ScanReport report, Duration took) throws IOException {
            table.footer(report, spool);
          }
        };
      }
      case json -> {
        ScanJson.Document document = new ScanJson.Document(jsonMapper(), spool);
        yield new Report() {
          @Override
          public void finished(long key, EndpointOutcome outcome) {
            document.add(key, new ScanReport.Entry(outcome));
          }

          @Override
          public void end(ScanReport report, Duration took) throws IOException {
            document.write(report, out);
          }
        };
      }
      case ndjson ->
          new Report() {
            @Override
            public void finished(long key, EndpointOutcome outcome) {
              line(out, ScanJson.endpoint(new ScanReport.Entry(outcome)));
            }

            @Override
            public void end(ScanReport report, Duration took) {
              out.flush();
            }
          };
      case junit ->
          new Report() {
            @Override
            public void finished(long key, EndpointOutcome outcome) {
              spool.add(key, JunitReport.testCase(new ScanReport.Entry(outcome)));
            }

            @Override
            public void end(ScanReport report, Duration took) throws IOException {
              JunitReport.write(report, took, spool, out);
            }
          };
    };
  }

  /** The endpoint column's width when targets come from standard input. */
  static final int STANDARD_INPUT_ENDPOINT_WIDTH = 32;

  private CommandLine.ParameterException noTarget() {
    return usage(
        "no target: give at least one TARGET, --targets-file FILE or - for standard input");
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }

  /** One object per line, as ndjson wants it. */
  private static final ObjectMapper NDJSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private static void line(PrintWriter out, Object value) {
    try {
      out.println(NDJSON.writeValueAsString(value));
      out.flush();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static ObjectMapper jsonMapper() {
    return new ObjectMapper()
        .registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .enable(SerializationFeature.INDENT_OUTPUT);
  }
}
