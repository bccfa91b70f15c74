package io.mailtls.probe;

import io.mailtls.dns.MailDns;
import io.mailtls.tls.TlsVersion;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How the engine probes.
 *
 * @param timeout the deadline for one connection (one version), counted from when it may start; an
 *     endpoint takes at most this times the number of versions
 * @param maxConnectionsPerHost how many connections one host gets at once, across endpoints; the
 *     default lets all versions of one endpoint run together
 * @param versions the versions to test
 * @param ehloName the name the prober gives in SMTP EHLO
 * @param caFile a PEM bundle to validate chains against instead of the JVM trust store, or null
 * @param guard where connections may go
 * @param maxConnections how many connections the engine holds open at once, over all hosts
 * @param dnsServer the DNS server for MX records and addresses; null for the system resolver
 */
public record ProbeSettings(
    Duration timeout,
    int maxConnectionsPerHost,
    List<TlsVersion> versions,
    String ehloName,
    Path caFile,
    ConnectionGuard guard,
    int maxConnections,
    InetSocketAddress dnsServer) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  public static final String DEFAULT_EHLO_NAME = "mailtls.invalid";
  public static final int DEFAULT_MAX_CONNECTIONS = 100;

  private static final java.util.regex.Pattern EHLO_NAME =
      java.util.regex.Pattern.compile(
          "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
              + "|\\[[0-9A-Fa-f:.]+\\]");

  /**
   * Whether {@code name} may be given in SMTP EHLO: a host name or an [address] literal. A server
   * answers a bad one with 501, which would say nothing about STARTTLS.
   */
  public static boolean isEhloName(String name) {
    return name != null && EHLO_NAME.matcher(name).matches();
  }

  public ProbeSettings {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, not " + timeout);
    }
    if (maxConnectionsPerHost < 1) {
      throw new IllegalArgumentException(
          "max connections per host must be at least 1, not " + maxConnectionsPerHost);
    }
    if (maxConnections < 1) {
      throw new IllegalArgumentException(
          "max connections must be at least 1, not " + maxConnections);
    }
    if (versions.isEmpty()) {
      throw new IllegalArgumentException("at least one version must be probed");
    }
    versions = List.copyOf(versions);
  }

  public static ProbeSettings defaults() {
    return new ProbeSettings(
        DEFAULT_TIMEOUT,
        TlsVersion.values().length,
        List.of(TlsVersion.values()),
        DEFAULT_EHLO_NAME,
        null,
        ConnectionGuard.NONE,
        DEFAULT_MAX_CONNECTIONS,
        null);
  }

  public ProbeSettings withTimeout(Duration value) {
    return new ProbeSettings(
        value, maxConnectionsPerHost, versions, ehloName, caFile, guard, maxConnections, dnsServer);
  }

  public ProbeSettings withMaxConnectionsPerHost(int value) {
    return new ProbeSettings(
        timeout, value, versions, ehloName, caFile, guard, maxConnections, dnsServer);
  }

  /** Throws IllegalArgumentException naming the file when it holds no readable certificate. */
  public ProbeSettings withCaFile(Path value) {
    if (value != null) {
      CertificateInspector.trusting(value); // read now, so a bad file is reported before any probe
    }
    return new ProbeSettings(
        timeout,
        maxConnectionsPerHost,
        versions,
        ehloName,
        value,
        guard,
        maxConnections,
        dnsServer);
  }

  public ProbeSettings withEhloName(String value) {
    return new ProbeSettings(
        timeout, maxConnectionsPerHost, versions, value, caFile, guard, maxConnections, dnsServer);
  }

  public ProbeSettings withGuard(ConnectionGuard value) {
    return new ProbeSettings(
        timeout,
        maxConnectionsPerHost,
        versions,
        ehloName,
        caFile,
        value,
        maxConnections,
        dnsServer);
  }

  public ProbeSettings withMaxConnections(int value) {
    return new ProbeSettings(
        timeout, maxConnectionsPerHost, versions, ehloName, caFile, guard, value, dnsServer);
  }

  public ProbeSettings withDnsServer(InetSocketAddress value) {
    return new ProbeSettings(
        timeout, maxConnectionsPerHost, versions, ehloName, caFile, guard, maxConnections, value);
  }

  /** Where MX records and addresses come from. */
  public MailDns dns() {
    return MailDns.of(dnsServer);
  }
}
