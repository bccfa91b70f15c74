package io.mailtls.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.mailtls.compliance.CompliancePolicy;
import io.mailtls.dns.MailDomain;
import io.mailtls.policy.EndpointOutcome;
import io.mailtls.policy.PolicyRequest;
import io.mailtls.policy.PolicyTarget;
import io.mailtls.policy.ProbeRound;
import io.mailtls.probe.ConnectionGuard;
import io.mailtls.probe.EndpointProber;
import io.mailtls.probe.ProbeSettings;
import io.mailtls.tls.TlsVersion;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
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
              + " standard input, one per line")
  List<String> targets = List.of();

  @Option(
      names = "--targets-file",
      paramLabel = "FILE",
      description =
          "Reads targets from FILE (- for standard input), one per line; blank lines and # comments"
              + " are skipped.")
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
          "Deadline for the whole scan: endpoints not probed by then are reported Unreachable"
              + " (DeadlineExceeded) (default: none).")
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

  @Override
  public Integer call() throws IOException {
    if (timeout.compareTo(MAX_TIMEOUT) > 0 || !timeout.isPositive()) {
      throw usage("--timeout " + timeout + " is not between 1ms and 1h");
    }
    if (deadline != null && !deadline.isPositive()) {
      throw usage("--deadline " + deadline + " is not positive");
    }
    Instant start = Instant.now();
    List<String> given = targetList();
    // A person at a terminal chooses the targets: no guard unless asked for.
    ProbeSettings settings =
        probeOptions.settings(ProbeSettings.defaults().withTimeout(timeout), ConnectionGuard.NONE);
    PolicyRequest request =
        new PolicyRequest(
            given.stream()
                .map(t -> PolicyTarget.parse(t, MailDomain.isDomainTarget(t) ? null : serverName))
                .toList(),
            new CompliancePolicy(minimumVersion, requireStartTls),
            PolicyRequest.DEFAULT_INTERVAL,
            settings.timeout(),
            false);

    PrintWriter out = spec.commandLine().getOut();
    TableRenderer table = new TableRenderer(out, given);
    Progress progress = Progress.onTerminal(spec.commandLine().getErr(), given.size());
    if (output == Output.table) {
      table.header();
    }
    List<EndpointOutcome> outcomes =
        new ProbeRound(new EndpointProber(settings))
            .run(
                request,
                outcome -> {
                  progress.finished();
                  switch (output) {
                    case table -> table.row(outcome);
                    case ndjson -> line(out, ScanJson.endpoint(new ScanReport.Entry(outcome)));
                    default -> {}
                  }
                },
                deadline == null ? null : start.plus(deadline));
    progress.done();
    ScanReport report = ScanReport.of(outcomes, minimumVersion, Instant.now());
    switch (output) {
      case table -> table.footer(report);
      case json -> {
        out.println(jsonMapper().writeValueAsString(ScanJson.of(report)));
        out.flush();
      }
      case junit -> JunitReport.write(report, Duration.between(start, Instant.now()), out);
      case ndjson -> out.flush();
    }
    return report.allCompliant() ? 0 : 1;
  }

  /** The targets given as arguments, in the file and on standard input, checked. */
  private List<String> targetList() throws IOException {
    TargetList list = new TargetList();
    try {
      for (String target : targets) {
        if (target.equals("-")) {
          list.addLines(System.in, "standard input");
        } else {
          list.add(target, "'" + target + "'");
        }
      }
      if (targetsFile != null) {
        if (targetsFile.equals("-")) {
          list.addLines(System.in, "standard input");
        } else {
          list.addFile(Path.of(targetsFile));
        }
      }
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    if (list.targets().isEmpty()) {
      throw usage(
          "no target: give at least one TARGET, --targets-file FILE or - for standard input");
    }
    return list.targets();
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
