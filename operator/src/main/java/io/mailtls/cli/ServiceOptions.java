package io.mailtls.cli;

import picocli.CommandLine.Option;

/** The options of the long-running commands (operator, run, receive): ports and logging. */
final class ServiceOptions {
  @Option(
      names = "--metrics-port",
      converter = Converters.PortConverter.class,
      defaultValue = "${env:MAILTLS_METRICS_PORT:-8080}",
      description = "Port of /metrics (default: ${DEFAULT-VALUE}).")
  int metricsPort;

  @Option(
      names = "--health-port",
      converter = Converters.PortConverter.class,
      defaultValue = "${env:MAILTLS_HEALTH_PORT:-8081}",
      description =
          "Port of /healthz (and /readyz for the operator), apart from /metrics so that no flood"
              + " of scrapes can fail a liveness probe (default: ${DEFAULT-VALUE}).")
  int healthPort;

  @Option(
      names = "--log-format",
      defaultValue = "${env:MAILTLS_LOG_FORMAT:-text}",
      description = "text or json (default: ${DEFAULT-VALUE}).")
  LogFormat logFormat;

  @Option(
      names = "--log-level",
      defaultValue = "${env:MAILTLS_LOG_LEVEL:-info}",
      description =
          "error, warn, info, debug or trace: the level of mailtls's own log and of everything"
              + " else (the Kubernetes client stays at warn unless debug or trace) (default:"
              + " ${DEFAULT-VALUE}).")
  LogLevel logLevel;

  enum LogLevel {
    error,
    warn,
    info,
    debug,
    trace
  }

  /** Sets up logging as the options say: format first, then the level. */
  void applyLogging() {
    logFormat.apply(logLevel.name());
  }
}
