package io.mailtls.cli;

import io.mailtls.exporter.InvalidProbeConfigException;
import io.mailtls.exporter.ProbeExporter;
import io.mailtls.metrics.MailTlsMetrics;
import io.mailtls.probe.EndpointProber;
import io.mailtls.text.Durations;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The options of {@code run}'s multi-target exporter, {@code GET /probe?target=…&module=…} on the
 * metrics port. Off unless asked for: whoever reaches /probe chooses where the exporter connects
 * (within the connection guard), which a {@code run} of policies alone never let anyone do.
 */
final class ExporterOptions {
  @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
  CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--exporter",
      defaultValue = "${env:MAILTLS_EXPORTER:-false}",
      description =
          "Serve /probe?target=…&module=… on the metrics port, as blackbox_exporter does (env"
              + " MAILTLS_EXPORTER); --probe-config implies it.")
  boolean exporter;

  @Option(
      names = "--probe-config",
      paramLabel = "FILE",
      defaultValue = "${env:MAILTLS_PROBE_CONFIG:-}",
      description =
          "YAML file of /probe's modules, reloaded on SIGHUP and POST /-/reload (env"
              + " MAILTLS_PROBE_CONFIG).")
  String probeConfig;

  @Option(
      names = "--probe-min-interval",
      converter = Converters.DurationConverter.class,
      defaultValue = "${env:MAILTLS_PROBE_MIN_INTERVAL:-1m}",
      description =
          "A target is probed with a module at most once in this long; a request within it gets"
              + " the last probe's result (10s to 24h; default: ${DEFAULT-VALUE}).")
  Duration minInterval;

  @Option(
      names = "--max-concurrent-probes",
      defaultValue = "${env:MAILTLS_MAX_CONCURRENT_PROBES:-20}",
      description = "/probe requests that probe at once; more get 503 (default: ${DEFAULT-VALUE}).")
  int maxConcurrentProbes;

  boolean enabled() {
    return exporter || configFile() != null;
  }

  Path configFile() {
    return probeConfig == null || probeConfig.isBlank() ? null : Path.of(probeConfig.strip());
  }

  /**
   * The exporter, probing through {@code prober}.
   *
   * @throws InvalidProbeConfigException when the config file cannot be used
   */
  ProbeExporter start(EndpointProber prober, MailTlsMetrics metrics)
      throws InvalidProbeConfigException {
    if (maxConcurrentProbes < 1) {
      throw usage("--max-concurrent-probes must be at least 1, not " + maxConcurrentProbes);
    }
    if (minInterval.compareTo(ProbeExporter.MIN_MIN_INTERVAL) < 0
        || minInterval.compareTo(ProbeExporter.MAX_MIN_INTERVAL) > 0) {
      throw usage(
          "--probe-min-interval "
              + Durations.format(minInterval)
              + " is not between "
              + Durations.format(ProbeExporter.MIN_MIN_INTERVAL)
              + " and "
              + Durations.format(ProbeExporter.MAX_MIN_INTERVAL));
    }
    return ProbeExporter.start(
        prober, configFile(), minInterval, maxConcurrentProbes, metrics, Clock.systemUTC());
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
