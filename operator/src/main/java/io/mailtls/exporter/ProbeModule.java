package io.mailtls.exporter;

import io.mailtls.compliance.CompliancePolicy;
import io.mailtls.probe.ProbeSettings;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How /probe probes and judges a target, named by the request's {@code module} (as a
 * blackbox_exporter module is). Fields left out of the config file fall back to the command line's
 * probe options (EHLO name, CA file) or to the defaults below. The connection guard, the connection
 * limits and the DNS server are the command line's alone: a module cannot widen where the exporter
 * connects.
 *
 * @param name the module's name, the {@code module} label of its series
 * @param compliance the minimum version and whether STARTTLS is required
 * @param timeout the longest a probe of this module may take, whatever the scrape allows (unlike a
 *     policy's per-connection timeout, it bounds the whole probe, as blackbox's does)
 * @param serverName the name for SNI and the certificate check, or null for the target's host
 * @param caFile the PEM bundle to check certificates against, or null for the command line's
 * @param ehloName the name given in SMTP EHLO, or null for the command line's
 */
public record ProbeModule(
    String name,
    CompliancePolicy compliance,
    Duration timeout,
    String serverName,
    Path caFile,
    String ehloName) {

  /** The module of a request without {@code module}, unless the config file defines it. */
  public static final String DEFAULT_NAME = "default";

  /**
   * The longest a probe may take: the JDK's HTTP server drops a response not sent within 60 s of
   * the request ({@code AdminServer.MAX_RESPONSE_SECONDS}), and the answer must still be rendered.
   */
  public static final Duration MAX_TIMEOUT = Duration.ofSeconds(50);

  public static final Duration MIN_TIMEOUT = Duration.ofSeconds(1);

  /** The module {@code default} when the config file does not define it: the command line's. */
  public static ProbeModule defaults() {
    return new ProbeModule(
        DEFAULT_NAME, CompliancePolicy.DEFAULT, ProbeSettings.DEFAULT_TIMEOUT, null, null, null);
  }

  /**
   * The engine settings of this module: the command line's, with this module's EHLO name and CA
   * file where it sets them.
   *
   * @throws IllegalArgumentException naming the CA file when it holds no readable certificate
   */
  ProbeSettings settings(ProbeSettings commandLine) {
    return commandLine
        .withEhloName(ehloName != null ? ehloName : commandLine.ehloName())
        .withCaFile(caFile != null ? caFile : commandLine.caFile())
        .withTimeout(timeout);
  }
}
