package io.mailtls.exporter;

import static io.mailtls.tls.TlsVersion.TLS_1_0;
import static io.mailtls.tls.TlsVersion.TLS_1_1;
import static io.mailtls.tls.TlsVersion.TLS_1_2;
import static io.mailtls.tls.TlsVersion.TLS_1_3;
import static org.assertj.core.api.Assertions.assertThat;

import io.mailtls.http.Answer;
import io.mailtls.http.Request;
import io.mailtls.metrics.MailTlsMetrics;
import io.mailtls.probe.ConnectionGuard;
import io.mailtls.probe.EndpointProber;
import io.mailtls.probe.ProbeSettings;
import io.mailtls.probe.TestingSmtp;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * /probe against scripted loopback servers, through the real engine: the exact series of one probe,
 * the module's policy, the minimum interval, the scrape deadline, the guard, the limits, bad
 * requests and reloads.
 */
class ProbeExporterTest {
  /** The guard of {@code mailtls run}, but any port: the scripted servers listen on free ones. */
  private static final ConnectionGuard ANY_PORT =
      new ConnectionGuard(java.util.Set.of(), ConnectionGuard.LINK_LOCAL);

  private final MailTlsMetrics metrics =
      new MailTlsMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  private final TestingClock clock = new TestingClock(Instant.parse("2026-12-01T10:00:00Z"));

  @TempDir Path dir;

  private ProbeExporter exporter(Path config, ConnectionGuard guard, int maxConcurrentProbes)
      throws Exception {
    return ProbeExporter.start(
        new EndpointProber(ProbeSettings.defaults().withGuard(guard)),
        config,
        Duration.ofMinutes(1),
        maxConcurrentProbes,
        metrics,
        clock);
  }

  private ProbeExporter exporter() throws Exception {
    return exporter(null, ANY_PORT, 20);
  }

  private static Request request(String... parametersThenHeaders) {
    Map<String, String> parameters = new HashMap<>();
    Map<String, String> headers = new HashMap<>();
    for (int i = 0; i < parametersThenHeaders.length; i += 2) {
      String name = parametersThenHeaders[i];
      (name.startsWith("X-") ? headers : parameters).put(name, parametersThenHeaders[i + 1]);
    }
    return new Request(parameters, headers::get);
  }

  /**
   * The samples of an answer, sorted, with the two values that depend on the time of day (the
   * probe's timestamp and duration) as {@code T}.
   */
  private static String samples(Answer answer) throws Exception {
    assertThat(answer).isInstanceOf(Answer.Series.class);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ExpositionFormats.init()
        .getPrometheusTextFormatWriter()
        .write(out, ((Answer.Series) answer).registry().scrape());
    return Arrays.stream(out.toString(StandardCharsets.UTF_8).split("\n"))
        .filter(line -> !line.startsWith("#"))
        .map(
            line ->
                line.startsWith("mailtls_endpoint_last_probe_timestamp_seconds")
                        || line.startsWith("probe_duration_seconds")
                    ? line.substring(0, line.lastIndexOf(' ')) + " T"
                    : line)
        .sorted()
        .collect(Collectors.joining("\n"));
  }

  private static double value(Answer answer, String series) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ExpositionFormats.init()
        .getPrometheusTextFormatWriter()
        .write(out, ((Answer.Series) answer).registry().scrape());
    return Arrays.stream(out.toString(StandardCharsets.UTF_8).split("\n"))
        .filter(line -> line.startsWith(series + " ") || line.startsWith(series + "{"))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElseThrow();
  }

  private static Answer.Text text(int status, String line) {
    return new Answer.Text(status, line);
  }

  @Test
  void aCompliantTargetAnswersWithExactlyItsSeries() throws Exception {
    try (TestingSmtp server = TestingSmtp.speaking(TLS_1_2, TLS_1_3)) {
      String labels = "endpoint=\"" + server.target() + "\",module=\"default\",protocol=\"smtp\"";

      Answer answer = exporter().answer(request("target", server.target()));

      assertThat(samples(answer))
          .isEqualTo(
              String.join(
                  "\n",
                  "mailtls_endpoint_compliant{" + labels + "} 1.0",
                  "mailtls_endpoint_info{best_version=\"TLSv1.3\",endpoint=\""
                      + server.target()
                      + "\",module=\"default\",protocol=\"smtp\",server_software=\"Postfix\","
                      + "verdict=\"Compliant\"} 1",
                  "mailtls_endpoint_last_probe_timestamp_seconds{" + labels + "} T",
                  "mailtls_endpoint_tls_version_accepted{" + labels + ",tls_version=\"SSLv3\"} 0.0",
                  "mailtls_endpoint_tls_version_accepted{"
                      + labels
                      + ",tls_version=\"TLSv1.0\"} 0.0",
                  "mailtls_endpoint_tls_version_accepted{"
                      + labels
                      + ",tls_version=\"TLSv1.1\"} 0.0",
                  "mailtls_endpoint_tls_version_accepted{"
                      + labels
                      + ",tls_version=\"TLSv1.2\"} 1.0",
                  "mailtls_endpoint_tls_version_accepted{"
                      + labels
                      + ",tls_version=\"TLSv1.3\"} 1.0",
                  "mailtls_endpoint_up{" + labels + "} 1.0",
                  "probe_duration_seconds T",
                  "probe_success 1.0"));
      // The probe counts in /metrics like a policy's: one endpoint of protocol smtp.
      assertThat(metrics.scrape())
          .contains("mailtls_probe_duration_seconds_count{protocol=\"smtp\"} 1");
    }
  }

  @Test
  void theModuleDecidesTheVerdict() throws Exception {
    Path config =
        Files.writeString(
            dir.resolve("probe.yml"), "modules:\n  strict:\n    minimumVersion: TLSv1.3\n");
    try (TestingSmtp server = TestingSmtp.speaking(TLS_1_2, TLS_1_3)) {
      ProbeExporter exporter = exporter(config, ANY_PORT, 20);

      Answer strict = exporter.answer(request("target", server.target(), "module", "strict"));
      Answer byDefault = exporter.answer(request("target", server.target()));

      assertThat(samples(strict))
          .contains(
              "mailtls_endpoint_info{best_version=\"TLSv1.3\",endpoint=\""
                  + server.target()
                  + "\",module=\"strict\",protocol=\"smtp\",server_software=\"Postfix\","
                  + "verdict=\"DeprecatedTLSAccepted\"} 1")
          .contains("probe_success 0.0");
      assertThat(samples(byDefault))
          .contains("verdict=\"Compliant\"")
          .contains("probe_success 1.0");
    }
  }

  @Test
  void aRepeatWithinTheMinimumIntervalGetsTheLastProbeOfThatTargetAndModule() throws Exception {
    try (TestingSmtp server = TestingSmtp.speaking(TLS_1_0, TLS_1_1, TLS_1_2, TLS_1_3)) {
      ProbeExporter exporter = exporter();
      Answer first = exporter.answer(request("target", server.target()));
      int oneProbe = server.connections();

      clock.advance(Duration.ofSeconds(59));
      Answer repeat = exporter.answer(request("target", server.target(), "module", ""));

      // No connection more, and the very same series: timestamp and duration included.
      assertThat(server.connections()).isEqualTo(oneProbe);
      assertThat(value(repeat, "mailtls_endpoint_last_probe_timestamp_seconds"))
          .isEqualTo(value(first, "mailtls_endpoint_last_probe_timestamp_seconds"));
      assertThat(value(repeat, "probe_duration_seconds"))
          .isEqualTo(value(first, "probe_duration_seconds"));
      assertThat(samples(repeat)).isEqualTo(samples(first)).contains("probe_success 0.0");

      clock.advance(Duration.ofSeconds(1)); // a minute after the first probe began
      exporter.answer(request("target", server.target()));
      assertThat(server.connections()).isEqualTo(2 * oneProbe);
      assertThat(metrics.scrape())
          .contains("mailtls_probe_duration_seconds_count{protocol=\"smtp\"} 2");
    }
  }

  @Test
  void aForbiddenTargetIsForbiddenAndNothingIsSentToIt() throws Exception {
    try (TestingSmtp server = TestingSmtp.speaking(TLS_1_2, TLS_1_3)) {
      // run's guard: the seven mail ports; the scripted server's port is none of them.
      ProbeExporter exporter =
          exporter(
              null,
              new ConnectionGuard(ConnectionGuard.MAIL_PORTS, ConnectionGuard.LINK_LOCAL),
              20);
      String labels = "endpoint=\"" + server.target() + "\",module=\"default\",protocol=\"smtp\"";

      Answer answer = exporter.answer(request("target", server.target()));

      assertThat(samples(answer))
          .isEqualTo(
              String.join(
                  "\n",
                  "mailtls_endpoint_compliant{" + labels + "} 0.0",
                  "mailtls_endpoint_info{best_version=\"\",endpoint=\""
                      + server.target()
                      + "\",module=\"default\",protocol=\"smtp\",server_software=\"\","
                      + "verdict=\"Forbidden\"} 1",
                  "mailtls_endpoint_last_probe_timestamp_seconds{" + labels + "} T",
                  "mailtls_endpoint_up{" + labels + "} 0.0",
                  "mailtls_probe_failure_info{endpoint=\""
                      + server.target()
                      + "\",failure=\"Forbidden\",module=\"default\",protocol=\"smtp\"} 1",
                  "probe_duration_seconds T",
                  "probe_success 0.0"));
      assertThat(server.connections()).isZero();
    }
  }

  @Test
  void aSlowTargetIsCutAtTheScrapesDeadlineAndSaysSo() throws Exception {
    try (Tarpit slow = new Tarpit()) {
      ProbeExporter exporter = exporter();
      long start = System.nanoTime();

      // Prometheus's scrape timeout of 2 s leaves the probe 1.5 s.
      Answer answer =
          exporter.answer(
              request("target", slow.target(), "X-Prometheus-Scrape-Timeout-Seconds", "2"));

      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(took).isBetween(Duration.ofMillis(1500), Duration.ofMillis(1999));
      String labels = "endpoint=\"" + slow.target() + "\",module=\"default\",protocol=\"smtp\"";
      assertThat(samples(answer))
          .isEqualTo(
              String.join(
                  "\n",
                  "mailtls_endpoint_compliant{" + labels + "} 0.0",
                  "mailtls_endpoint_info{best_version=\"\",endpoint=\""
                      + slow.target()
                      + "\",module=\"default\",protocol=\"smtp\",server_software=\"\","
                      + "verdict=\"Unreachable\"} 1",
                  "mailtls_endpoint_last_probe_timestamp_seconds{" + labels + "} T",
                  "mailtls_endpoint_up{" + labels + "} 0.0",
                  "mailtls_probe_failure_info{endpoint=\""
                      + slow.target()
                      + "\",failure=\"DeadlineExceeded\",module=\"default\",protocol=\"smtp\"} 1",
                  "probe_duration_seconds T",
                  "probe_success 0.0"));
      // From the probe's start, a moment after the request's: a hair under the budget at most.
      assertThat(value(answer, "probe_duration_seconds")).isBetween(1.45, took.toNanos() / 1e9);
      assertThat(metrics.scrape())
          .contains("mailtls_probe_failures_total{reason=\"DeadlineExceeded\"} 1.0");
    }
  }

  @Test
  void aRequestWhileTheSameProbeRunsWaitsForItInsteadOfProbingAgain() throws Exception {
    try (Tarpit slow = new Tarpit()) {
      ProbeExporter exporter = exporter();
      CompletableFuture<Answer> first =
          CompletableFuture.supplyAsync(
              () ->
                  exporter.answer(
                      request(
                          "target", slow.target(), "X-Prometheus-Scrape-Timeout-Seconds", "2")));
      // One connection per version, at once: the probe is under way.
      slow.awaitConnections(5);

      Answer second =
          exporter.answer(
              request("target", slow.target(), "X-Prometheus-Scrape-Timeout-Seconds", "10"));

      assertThat(samples(second)).isEqualTo(samples(first.get())).contains("DeadlineExceeded");
      assertThat(slow.connections()).isEqualTo(5);
    }
  }

  @Test
  void beyondTheProbesAllowedAtOnceARequestGets503() throws Exception {
    try (Tarpit slow = new Tarpit();
        TestingSmtp other = TestingSmtp.speaking(TLS_1_2, TLS_1_3)) {
      ProbeExporter exporter = exporter(null, ANY_PORT, 1);
      CompletableFuture<Answer> holding =
          CompletableFuture.supplyAsync(
              () ->
                  exporter.answer(
                      request(
                          "target", slow.target(), "X-Prometheus-Scrape-Timeout-Seconds", "3")));
      slow.awaitConnections(5);

      assertThat(exporter.answer(request("target", other.target())))
          .isEqualTo(
              text(
                  503,
                  "too many probes at once: 1 run already (--max-concurrent-probes); try again"
                      + " later"));
      assertThat(other.connections()).isZero();
      holding.get();
      // Once the probe in flight has ended, the next one runs.
      assertThat(samples(exporter.answer(request("target", other.target()))))
          .contains("probe_success 1.0");
    }
  }

  @Test
  void aBadRequestGets400WithOneLineThatNamesTheProblem() throws Exception {
    Path config =
        Files.writeString(
            dir.resolve("probe.yml"),
            "modules:\n  exchange:\n    serverName: mail.contoso.com\n  strict: {}\n");
    ProbeExporter exporter = exporter(config, ANY_PORT, 20);
    String longTarget = "smtp://" + "a".repeat(300) + ".example.com";

    Map<Request, Answer.Text> expected = new java.util.LinkedHashMap<>();
    expected.put(
        request(),
        text(
            400,
            "the parameter target is missing: /probe?target=smtp://host[:port][&module=NAME]"));
    expected.put(
        request("target", "smtp://127.0.0.1:25", "module", "nope"),
        text(400, "unknown module 'nope' (this exporter has: default, exchange, strict)"));
    expected.put(
        request("target", "smtp://127.0.0.1:25", "debug", "true"),
        text(400, "unknown parameter 'debug': /probe takes target and module"));
    expected.put(
        request("target", "http://127.0.0.1"),
        text(
            400,
            "target: unknown scheme 'http' in 'http://127.0.0.1': expected one of smtp,"
                + " submission, smtps, imap, imaps, pop3, pop3s"));
    expected.put(
        request("target", "127.0.0.1:25"),
        text(
            400,
            "target: '127.0.0.1:25' is not a mail endpoint: write scheme://host[:port] with a"
                + " scheme of smtp, submission, smtps, imap, imaps, pop3, pop3s"));
    expected.put(
        request("target", "smtp://mx_1.example.com"),
        text(
            400,
            "target 'smtp://mx_1.example.com' is not scheme://host[:port] or mx://domain[:port] as"
                + " a policy's target is"));
    expected.put(
        request("target", "smtp://mx\u0000.example.com"),
        text(
            400,
            "target: 'mx\\x00.example.com' in 'smtp://mx\\x00.example.com' is not a host name or"
                + " address (letters, digits, '-', '_' and '.' only)"));
    expected.put(
        request("target", longTarget),
        text(400, "target '" + longTarget.substring(0, 100) + "…' is longer than 300 characters"));
    expected.put(
        request("target", "mx://example.com", "module", "exchange"),
        text(
            400,
            "target 'mx://example.com': module exchange sets serverName, which does not apply to"
                + " an mx:// target (each MX host is checked by its own name)"));
    expected.put(
        request("target", "smtp://127.0.0.1:25", "X-Prometheus-Scrape-Timeout-Seconds", "soon"),
        text(
            400,
            "X-Prometheus-Scrape-Timeout-Seconds: 'soon' is not a positive number of seconds"));
    expected.put(
        request("target", "smtp://127.0.0.1:25", "X-Prometheus-Scrape-Timeout-Seconds", "0"),
        text(400, "X-Prometheus-Scrape-Timeout-Seconds: '0' is not a positive number of seconds"));

    Map<Request, Answer> answers = new java.util.LinkedHashMap<>();
    expected.keySet().forEach(r -> answers.put(r, exporter.answer(r)));
    assertThat(answers).isEqualTo(expected);
  }

  @Test
  void aReloadWithABrokenFileKeepsTheOldModulesAndSaysWhy() throws Exception {
    Path config =
        Files.writeString(
            dir.resolve("probe.yml"), "modules:\n  strict:\n    minimumVersion: TLSv1.3\n");
    try (TestingSmtp server = TestingSmtp.speaking(TLS_1_2, TLS_1_3)) {
      ProbeExporter exporter = exporter(config, ANY_PORT, 20);
      Files.writeString(
          config, "modules:\n  strict:\n    minimumVersion: TLSv1.1\n  lax:\n    timeout: 90s\n");

      assertThat(exporter.reload())
          .isEqualTo(
              text(
                  500,
                  config
                      + " not reloaded, the old config stays: modules.strict.minimumVersion:"
                      + " 'TLSv1.1' is not TLSv1.2 or TLSv1.3; modules.lax.timeout: 90s is not"
                      + " between 1s and 50s"));
      assertThat(metrics.scrape()).contains("mailtls_probe_config_last_reload_successful 0.0");
      // The old strict still judges, and lax does not exist.
      assertThat(samples(exporter.answer(request("target", server.target(), "module", "strict"))))
          .contains("verdict=\"DeprecatedTLSAccepted\"");
      assertThat(exporter.answer(request("target", server.target(), "module", "lax")))
          .isEqualTo(text(400, "unknown module 'lax' (this exporter has: default, strict)"));

      Files.writeString(config, "modules:\n  strict: {}\n  lax:\n    timeout: 20s\n");
      assertThat(exporter.reload())
          .isEqualTo(text(200, "reloaded " + config + ": 3 modules (default, lax, strict)"));
      assertThat(metrics.scrape()).contains("mailtls_probe_config_last_reload_successful 1.0");
      // strict changed: its cached result is not the new module's.
      assertThat(samples(exporter.answer(request("target", server.target(), "module", "strict"))))
          .contains("verdict=\"Compliant\"");
    }
  }

  @Test
  void aConfigFileThatCannotBeUsedStopsTheStart() throws Exception {
    Path config = Files.writeString(dir.resolve("probe.yml"), "modules:\n  strict: [TLSv1.3]\n");

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> exporter(config, ANY_PORT, 20))
        .isInstanceOf(InvalidProbeConfigException.class)
        .extracting(e -> ((InvalidProbeConfigException) e).problems())
        .isEqualTo(
            List.of(
                "modules.strict: expected a map of settings (minimumVersion, requireStartTls,"
                    + " timeout, serverName, caFile, ehloName)"));
  }
}
