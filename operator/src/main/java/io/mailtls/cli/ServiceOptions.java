package io.mailtls.cli;

import io.mailtls.dns.AddressText;
import java.net.InetSocketAddress;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The options of the long-running commands (operator, run, receive): admin address and ports, and
 * logging.
 */
final class ServiceOptions {
  @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
  CommandLine.Model.CommandSpec spec;

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
      names = "--admin-address",
      defaultValue = "${env:MAILTLS_ADMIN_ADDRESS:-*}",
      description =
          "Address that /metrics and the health port listen on: * for all (in a pod), or one"
              + " address such as 127.0.0.1 (default: ${DEFAULT-VALUE}).")
  String adminAddress;

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

  /** Where an admin server listens: the admin address at {@code port}. */
  InetSocketAddress admin(int port) {
    if (adminAddress.equals("*")) {
      return new InetSocketAddress(port);
    }
    if (!AddressText.isLiteral(adminAddress)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--admin-address: '" + adminAddress + "' is not * or an IP address");
    }
    return new InetSocketAddress(adminAddress, port); // a literal: no look-up
  }

  /** Sets up logging as the options say: format first, then the level. */
  void applyLogging() {
    logFormat.apply(logLevel.name());
  }
}
