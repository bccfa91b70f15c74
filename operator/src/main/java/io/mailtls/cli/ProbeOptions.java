package io.mailtls.cli;

import io.mailtls.dns.AddressText;
import io.mailtls.probe.ConnectionGuard;
import io.mailtls.probe.ProbeSettings;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * How the engine probes, the same options in {@code scan}, {@code run} and {@code operator}, each
 * also from a MAILTLS_… environment variable (how the Helm chart sets them). A bad value is a usage
 * error (exit 2) that names the option.
 */
final class ProbeOptions {
  /** The guard's defaults in the long-running modes, where policy authors choose the targets. */
  static final ConnectionGuard SERVICE_GUARD =
      new ConnectionGuard(ConnectionGuard.MAIL_PORTS, ConnectionGuard.LINK_LOCAL);

  @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--max-connections-per-host",
      defaultValue = "${env:MAILTLS_MAX_CONNECTIONS_PER_HOST:-5}",
      description =
          "Connections open to one mail host at once (default: ${DEFAULT-VALUE}, all versions of"
              + " one endpoint).")
  int maxConnectionsPerHost;

  @Option(
      names = "--max-connections",
      defaultValue =
          "${env:MAILTLS_MAX_CONNECTIONS:-" + ProbeSettings.DEFAULT_MAX_CONNECTIONS + "}",
      description = "Connections open at once over all mail hosts (default: ${DEFAULT-VALUE}).")
  int maxConnections;

  @Option(
      names = "--ehlo-name",
      defaultValue = "${env:MAILTLS_EHLO_NAME:-" + ProbeSettings.DEFAULT_EHLO_NAME + "}",
      description = "Name to give in SMTP EHLO (default: ${DEFAULT-VALUE}).")
  String ehloName;

  @Option(
      names = "--ca-file",
      defaultValue = "${env:MAILTLS_CA_FILE:-}",
      description =
          "PEM bundle to validate certificates against instead of the JVM trust store (env"
              + " MAILTLS_CA_FILE).")
  String caFile;

  @Option(
      names = "--allow-ports",
      defaultValue = "${env:MAILTLS_ALLOW_PORTS:-}",
      description =
          "Comma-separated ports that may be connected to, or 'any'; other endpoints become"
              + " Forbidden (env MAILTLS_ALLOW_PORTS; default: the seven mail ports for run and"
              + " operator, any for scan).")
  String allowPorts;

  @Option(
      names = "--deny-ranges",
      defaultValue = "${env:MAILTLS_DENY_RANGES:-}",
      description =
          "Comma-separated address ranges never connected to, checked after DNS, or 'none' (env"
              + " MAILTLS_DENY_RANGES; default: link-local 169.254.0.0/16,fe80::/10, where cloud"
              + " metadata services live, for run and operator; none for scan).")
  String denyRanges;

  @Option(
      names = "--dns-server",
      defaultValue = "${env:MAILTLS_DNS_SERVER:-}",
      description =
          "DNS server (ADDRESS[:PORT], IPv6 as [ADDRESS]:PORT) for MX records and host addresses"
              + " (env MAILTLS_DNS_SERVER; default: the system resolver).")
  String dnsServer;

  /**
   * The engine settings these options give, starting from {@code base} (which carries what the
   * command sets itself, such as the timeout) and with {@code defaultGuard} where the guard options
   * are not given.
   */
  ProbeSettings settings(ProbeSettings base, ConnectionGuard defaultGuard) {
    try {
      atLeastOne("--max-connections-per-host", maxConnectionsPerHost);
      atLeastOne("--max-connections", maxConnections);
      if (!ProbeSettings.isEhloName(ehloName)) {
        // A server answers a bad EHLO name with 501, which would say nothing about STARTTLS.
        throw new IllegalArgumentException(
            "--ehlo-name '" + ehloName + "' is not a host name (or an [address] literal)");
      }
      Set<Integer> ports =
          allowPorts.isBlank() ? defaultGuard.allowedPorts() : ports(allowPorts.strip());
      List<ConnectionGuard.Cidr> ranges =
          denyRanges.isBlank() ? defaultGuard.deniedRanges() : ranges(denyRanges.strip());
      return base.withMaxConnectionsPerHost(maxConnectionsPerHost)
          .withMaxConnections(maxConnections)
          .withEhloName(ehloName)
          .withCaFile(caFile())
          .withGuard(new ConnectionGuard(ports, ranges))
          .withDnsServer(dnsServer.isBlank() ? null : dnsServer(dnsServer.strip()));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /** An address, not a name: finding the DNS server must not need DNS. */
  private static InetSocketAddress dnsServer(String text) {
    String host = text;
    int port = 53;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      host = close < 0 ? "" : text.substring(1, close);
      String rest = close < 0 ? "" : text.substring(close + 1);
      if (rest.startsWith(":")) {
        port = port("--dns-server", rest.substring(1));
      } else if (!rest.isEmpty()) {
        host = "";
      }
    } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
      host = text.substring(0, text.indexOf(':'));
      port = port("--dns-server", text.substring(text.indexOf(':') + 1));
    }
    if (!AddressText.isLiteral(host)) {
      throw new IllegalArgumentException(
          "--dns-server '"
              + text
              + "' is not an IP address with an optional port, e.g. 10.0.0.53"
              + " or [2001:db8::53]:53");
    }
    try {
      return new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("--dns-server '" + text + "' is not an IP address");
    }
  }

  private static int port(String option, String text) {
    if (!text.matches("[0-9]{1,5}")
        || Integer.parseInt(text) < 1
        || Integer.parseInt(text) > 65535) {
      throw new IllegalArgumentException(option + " port '" + text + "' is not in 1..65535");
    }
    return Integer.parseInt(text);
  }

  private static void atLeastOne(String option, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(option + " must be at least 1, not " + value);
    }
  }

  private Path caFile() {
    if (caFile.isBlank()) {
      return null;
    }
    Path path = Path.of(caFile);
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      throw new IllegalArgumentException("--ca-file " + caFile + " is not a readable file");
    }
    return path;
  }

  private static Set<Integer> ports(String text) {
    if (text.equalsIgnoreCase("any")) {
      return Set.of();
    }
    return words(text).stream()
        .map(
            word -> {
              try {
                int port = Integer.parseInt(word);
                if (port >= 1 && port <= 65535) {
                  return port;
                }
              } catch (NumberFormatException e) {
                // reported below
              }
              throw new IllegalArgumentException(
                  "--allow-ports: '" + word + "' is not a port (1..65535) or 'any'");
            })
        .collect(Collectors.toUnmodifiableSet());
  }

  private static List<ConnectionGuard.Cidr> ranges(String text) {
    if (text.equalsIgnoreCase("none")) {
      return List.of();
    }
    try {
      return words(text).stream().map(ConnectionGuard.Cidr::parse).toList();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--deny-ranges: " + e.getMessage());
    }
  }

  private static List<String> words(String commaSeparated) {
    return Arrays.stream(commaSeparated.split(","))
        .map(String::strip)
        .filter(w -> !w.isEmpty())
        .toList();
  }
}
