package io.mailtls.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.mailtls.compliance.CompliancePolicy;
import io.mailtls.dns.MailDomain;
import io.mailtls.policy.PolicyRequest;
import io.mailtls.policy.PolicyTarget;
import io.mailtls.policy.ProbeRound;
import io.mailtls.probe.ConnectionGuard;
import io.mailtls.probe.EndpointProber;
import io.mailtls.probe.ProbeSettings;
import io.mailtls.probe.TlsVersion;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
      "2:usage error",
      "3:internal error"
    })
public final class ScanCommand implements Callable<Integer> {
  enum Output {
    table,
    json
  }

  /** Longer would be no deadline at all; a policy allows at most 60 s. */
  static final Duration MAX_TIMEOUT = Duration.ofHours(1);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(
      arity = "1..*",
      paramLabel = "TARGET",
      converter = Converters.TargetConverter.class,
      description =
          "smtp|submission|smtps|imap|imaps|pop3|pop3s://host[:port], e.g. smtp://mx.example.com,"
              + " or mx://domain[:port] for every MX host of a mail domain")
  List<String> targets;

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
      description = "table or json (default: ${DEFAULT-VALUE}).")
  Output output;

  @Override
  public Integer call() throws IOException {
    if (timeout.compareTo(MAX_TIMEOUT) > 0 || !timeout.isPositive()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--timeout " + timeout + " is not between 1ms and 1h");
    }
    // A person at a terminal chooses the targets: no guard unless asked for.
    ProbeSettings settings =
        probeOptions.settings(ProbeSettings.defaults().withTimeout(timeout), ConnectionGuard.NONE);
    List<PolicyTarget> parsed = new ArrayList<>();
    for (String target : targets) {
      try {
        parsed.add(
            PolicyTarget.parse(target, MailDomain.isDomainTarget(target) ? null : serverName));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
    }
    PolicyRequest request =
        new PolicyRequest(
            parsed,
            new CompliancePolicy(minimumVersion, requireStartTls),
            PolicyRequest.DEFAULT_INTERVAL,
            settings.timeout(),
            false);
    ScanReport report =
        ScanReport.of(
            new ProbeRound(new EndpointProber(settings)).run(request),
            minimumVersion,
            Instant.now());
    PrintWriter out = spec.commandLine().getOut();
    if (output == Output.json) {
      out.println(jsonMapper().writeValueAsString(ScanJson.of(report)));
      out.flush();
    } else {
      TableRenderer.render(report, out);
    }
    return report.allCompliant() ? 0 : 1;
  }

  static ObjectMapper jsonMapper() {
    return new ObjectMapper()
        .registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .enable(SerializationFeature.INDENT_OUTPUT);
  }
}
