package io.mailtls.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.mailtls.TestingProject;
import io.mailtls.probe.Testbed;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The multi-target exporter with real parts: the packaged {@code mailtls run --probe-config} in a
 * JVM of its own, Debian's Prometheus scraping its /probe through blackbox-style relabeling of
 * targets from a file_sd file, the testbed's real Postfix and Dovecot listeners behind them, and
 * the project's alert rules and dashboard evaluated on what Prometheus stored. Also: a slow target
 * under a short scrape timeout, a target the guard forbids, an unknown module, and reloads (SIGHUP
 * and POST /-/reload) of a broken file, which keep the old modules.
 */
@ExtendWith(Testbed.class)
class ProbeExporterIT {
  private static final Path PROJECT = TestingProject.ROOT;
  private static final Path RULES = PROJECT.resolve("config/prometheus/mailtls-rules.yaml");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** The testbed's listeners the default job probes, with the verdict each must get. */
  private static final Map<String, String> VERDICTS =
      Map.of(
          "smtp://127.0.0.1:24025", "Compliant",
          "smtp://127.0.0.1:24026", "DeprecatedTLSAccepted",
          "smtp://127.0.0.1:24027", "StartTLSMissing",
          "smtp://127.0.0.1:24028", "NoModernTLS",
          "imaps://127.0.0.1:24993", "Compliant",
          "imap://127.0.0.1:24143", "DeprecatedTLSAccepted",
          // Postfix listens there, but the guard below does not allow the port: nothing is sent.
          "smtp://127.0.0.1:24029", "Forbidden");

  @TempDir static Path work;
  private static Tarpit slow;
  private static Process mailtls;
  private static Process prometheus;
  private static Path probeConfig;
  private static String exporterUrl;
  private static String prometheusUrl;

  @BeforeAll
  static void startTheExporterAndPrometheus() throws Exception {
    slow = new Tarpit();
    probeConfig =
        Files.writeString(
            work.resolve("probe.yml"), "modules:\n  strict:\n    minimumVersion: TLSv1.3\n");
    int metricsPort = freePort();
    exporterUrl = "http://127.0.0.1:" + metricsPort;
    String tarpitPort = slow.target().substring(slow.target().lastIndexOf(':') + 1);
    mailtls =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                PROJECT.resolve("operator/target/mailtls.jar").toString(),
                "run",
                "--probe-config",
                probeConfig.toString(),
                "--probe-min-interval",
                "10m",
                "--admin-address",
                "127.0.0.1",
                "--metrics-port",
                Integer.toString(metricsPort),
                "--health-port",
                Integer.toString(freePort()),
                "--ca-file",
                Testbed.caFile().toString(),
                "--allow-ports",
                "24025,24026,24027,24028,24143,24993," + tarpitPort)
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("mailtls.log").toFile())
            .start();
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptionsInstanceOf(IOException.class)
        .until(() -> get(exporterUrl + "/metrics").statusCode() == 200);

    Files.writeString(
        work.resolve("targets.yml"),
        "- targets: ["
            + String.join(
                ", ", new TreeSet<>(VERDICTS.keySet()).stream().map(t -> "\"" + t + "\"").toList())
            + "]\n  labels: {team: mail}\n");
    Files.writeString(
        work.resolve("strict.yml"),
        "- targets: [\"smtp://127.0.0.1:24025\", \"imaps://127.0.0.1:24993\"]\n");
    Files.writeString(work.resolve("slow.yml"), "- targets: [\"" + slow.target() + "\"]\n");
    int port = freePort();
    prometheusUrl = "http://127.0.0.1:" + port;
    Path config = work.resolve("prometheus.yml");
    Files.writeString(
        config,
        """
        global: {scrape_interval: 5s, scrape_timeout: 5s, evaluation_interval: 1s}
        rule_files: ["%1$s"]
        scrape_configs:
          # The exporter's own series: mailtls_build_info, the probe histogram.
          - job_name: mailtls-exporter
            static_configs: [{targets: ["127.0.0.1:%2$d"]}]
        %3$s
        %4$s
        %5$s
          # A module the exporter does not have: every scrape is a 400.
          - job_name: mailtls-bad-module
            metrics_path: /probe
            params: {module: [nope]}
            static_configs: [{targets: ["smtp://127.0.0.1:24025"]}]
            relabel_configs:
              - source_labels: [__address__]
                target_label: __param_target
              - source_labels: [__param_target]
                target_label: instance
              - target_label: __address__
                replacement: 127.0.0.1:%2$d
        """
            .formatted(
                RULES,
                metricsPort,
                probeJob("mailtls-smtp", "default", "targets.yml", "", metricsPort),
                probeJob("mailtls-strict", "strict", "strict.yml", "", metricsPort),
                // A target that never answers, scraped with a timeout of 1 s.
                probeJob(
                    "mailtls-slow",
                    "default",
                    "slow.yml",
                    "scrape_interval: 2s\n    scrape_timeout: 1s\n    ",
                    metricsPort)));
    prometheus =
        new ProcessBuilder(
                "prometheus",
                "--config.file=" + config,
                "--storage.tsdb.path=" + work.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + port)
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("prometheus.log").toFile())
            .start();
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptionsInstanceOf(IOException.class)
        .until(() -> get(prometheusUrl + "/-/ready").statusCode() == 200);
    // Three scrapes of every probe job at least.
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () -> query("min(count_over_time(probe_success[2m]))"),
            r -> r.path("data").path("result").size() == 1 && value(r) >= 3);
  }

  /**
   * A scrape job as blackbox_exporter's README writes one: each target of the file becomes {@code
   * /probe?target=…&module=…} on the exporter, and the target is the instance.
   */
  private static String probeJob(
      String name, String module, String file, String extra, int exporterPort) {
    return """
          - job_name: %1$s
            %4$smetrics_path: /probe
            params: {module: [%2$s]}
            file_sd_configs: [{files: ["%3$s"]}]
            relabel_configs:
              - source_labels: [__address__]
                target_label: __param_target
              - source_labels: [__param_target]
                target_label: instance
              - target_label: __address__
                replacement: 127.0.0.1:%5$d
        """
        .formatted(name, module, work.resolve(file), extra, exporterPort);
  }

  @AfterAll
  static void stop() throws Exception {
    for (Process process : new Process[] {prometheus, mailtls}) {
      if (process != null) {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      }
    }
    if (slow != null) {
      slow.close();
    }
  }

  @Test
  void everyDiscoveredTargetGetsItsVerdictSeries() throws Exception {
    assertThat(byInstance(query("mailtls_endpoint_info{job=\"mailtls-smtp\"}"), "verdict"))
        .isEqualTo(new TreeMap<>(VERDICTS));
    assertThat(values(query("probe_success{job=\"mailtls-smtp\"}")))
        .isEqualTo(
            new TreeMap<>(
                Map.of(
                    "smtp://127.0.0.1:24025", 1.0,
                    "smtp://127.0.0.1:24026", 0.0,
                    "smtp://127.0.0.1:24027", 0.0,
                    "smtp://127.0.0.1:24028", 0.0,
                    "imaps://127.0.0.1:24993", 1.0,
                    "imap://127.0.0.1:24143", 0.0,
                    "smtp://127.0.0.1:24029", 0.0)));
    // Probed: everything but the forbidden one; STARTTLS missing is a finding, not a failure.
    assertThat(values(query("mailtls_endpoint_up{job=\"mailtls-smtp\"} == 0")).keySet())
        .containsExactly("smtp://127.0.0.1:24029");
    assertThat(byInstance(query("mailtls_probe_failure_info{job=\"mailtls-smtp\"}"), "failure"))
        .isEqualTo(
            new TreeMap<>(
                Map.of(
                    "smtp://127.0.0.1:24027", "StartTLSNotAdvertised",
                    "smtp://127.0.0.1:24029", "Forbidden")));
    // The series keep the exporter's labels besides the file's and Prometheus's own.
    JsonNode legacy =
        query("mailtls_endpoint_info{job=\"mailtls-smtp\",instance=\"smtp://127.0.0.1:24026\"}")
            .path("data")
            .path("result")
            .get(0)
            .path("metric");
    assertThat(legacy.path("endpoint").asText()).isEqualTo("smtp://127.0.0.1:24026");
    assertThat(legacy.path("module").asText()).isEqualTo("default");
    assertThat(legacy.path("team").asText()).isEqualTo("mail");
    assertThat(legacy.path("server_software").asText()).isEqualTo("Postfix");
    assertThat(legacy.path("best_version").asText()).isEqualTo("TLSv1.3");

    assertThat(versions("smtp://127.0.0.1:24025"))
        .isEqualTo("SSLv3=0 TLSv1.0=0 TLSv1.1=0 TLSv1.2=1 TLSv1.3=1");
    assertThat(versions("smtp://127.0.0.1:24026"))
        .isEqualTo("SSLv3=0 TLSv1.0=1 TLSv1.1=1 TLSv1.2=1 TLSv1.3=1");
    assertThat(versions("smtp://127.0.0.1:24028"))
        .isEqualTo("SSLv3=0 TLSv1.0=1 TLSv1.1=1 TLSv1.2=0 TLSv1.3=0");
    assertThat(versions("imap://127.0.0.1:24143"))
        .isEqualTo("SSLv3=0 TLSv1.0=1 TLSv1.1=1 TLSv1.2=1 TLSv1.3=1");
    assertThat(versions("imaps://127.0.0.1:24993"))
        .isEqualTo("SSLv3=0 TLSv1.0=0 TLSv1.1=0 TLSv1.2=1 TLSv1.3=1");
    // The testbed's certificate: 825 days, so it expires after 21 days from now at least.
    assertThat(
            value(
                query(
                    "mailtls_endpoint_certificate_expiry_timestamp_seconds{job=\"mailtls-smtp\","
                        + "instance=\"smtp://127.0.0.1:24025\"} - time() > 21 * 86400")))
        .isPositive();
  }

  @Test
  void theModuleOfTheJobJudges() throws Exception {
    // minimumVersion TLSv1.3: a server that also accepts TLS 1.2 is not compliant.
    assertThat(byInstance(query("mailtls_endpoint_info{job=\"mailtls-strict\"}"), "verdict"))
        .isEqualTo(
            new TreeMap<>(
                Map.of(
                    "smtp://127.0.0.1:24025", "DeprecatedTLSAccepted",
                    "imaps://127.0.0.1:24993", "DeprecatedTLSAccepted")));
    assertThat(values(query("probe_success{job=\"mailtls-strict\"}")).values())
        .containsExactly(0.0, 0.0);
    assertThat(
            byInstance(query("mailtls_endpoint_info{job=\"mailtls-strict\"}"), "module").values())
        .containsExactly("strict", "strict");
  }

  @Test
  void aSlowTargetIsCutAtTheScrapesTimeoutAndTheScrapeStillSucceeds() throws Exception {
    String instance = "{job=\"mailtls-slow\",instance=\"" + slow.target() + "\"}";
    assertThat(value(query("up" + instance))).isEqualTo(1.0);
    assertThat(value(query("max_over_time(scrape_duration_seconds" + instance + "[2m])")))
        .isLessThan(1.0);
    assertThat(byInstance(query("mailtls_endpoint_info" + instance), "verdict").values())
        .containsExactly("Unreachable");
    assertThat(byInstance(query("mailtls_probe_failure_info" + instance), "failure").values())
        .containsExactly("DeadlineExceeded");
    assertThat(value(query("probe_success" + instance))).isZero();
    assertThat(value(query("mailtls_endpoint_up" + instance))).isZero();
    // A scrape timeout of 1 s leaves the probe 0.75 s.
    assertThat(value(query("probe_duration_seconds" + instance))).isBetween(0.7, 0.76);
  }

  @Test
  void anUnknownModuleFailsTheScrapeWithAOneLineReason() throws Exception {
    assertThat(value(query("up{job=\"mailtls-bad-module\"}"))).isZero();
    JsonNode target = null;
    for (JsonNode active :
        getJson(prometheusUrl + "/api/v1/targets").path("data").path("activeTargets")) {
      if (active.path("labels").path("job").asText().equals("mailtls-bad-module")) {
        target = active;
      }
    }
    assertThat(target).isNotNull();
    assertThat(target.path("lastError").asText())
        .isEqualTo("server returned HTTP status 400 Bad Request");

    HttpResponse<String> direct =
        get(exporterUrl + "/probe?target=smtp://127.0.0.1:24025&module=nope");
    assertThat(List.of(direct.statusCode(), direct.body()))
        .containsExactly(400, "unknown module 'nope' (this exporter has: default, strict)\n");
  }

  @Test
  void aRepeatWithinTheMinimumIntervalIsAnsweredFromTheLastProbe() throws Exception {
    double before = probesCounted();
    double scrapesBefore = value(query("sum(count_over_time(probe_success[10m]))"));

    // Two more scrapes of every probe job.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> value(query("sum(count_over_time(probe_success[10m]))")),
            n -> n >= scrapesBefore + 2 * 10);

    assertThat(probesCounted()).isEqualTo(before);
    assertThat(values(query("changes(mailtls_endpoint_last_probe_timestamp_seconds[10m]) > 0")))
        .isEmpty();
  }

  /** The probes the exporter ran, from its own /metrics: its histogram's count. */
  private static double probesCounted() throws Exception {
    return get(exporterUrl + "/metrics")
        .body()
        .lines()
        .filter(l -> l.startsWith("mailtls_probe_duration_seconds_count"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  @Test
  void everyAlertFindsExactlyTheTargetsItShould() throws Exception {
    Map<String, Set<String>> expected = new TreeMap<>();
    expected.put(
        "MailTLSDeprecatedTLSAccepted",
        Set.of(
            "mailtls-smtp imap://127.0.0.1:24143",
            "mailtls-smtp smtp://127.0.0.1:24026",
            "mailtls-strict imaps://127.0.0.1:24993",
            "mailtls-strict smtp://127.0.0.1:24025"));
    expected.put("MailTLSNoModernTLS", Set.of("mailtls-smtp smtp://127.0.0.1:24028"));
    expected.put("MailTLSStartTLSMissing", Set.of("mailtls-smtp smtp://127.0.0.1:24027"));
    expected.put(
        "MailTLSEndpointUnreachable",
        Set.of("mailtls-slow " + slow.target(), "mailtls-smtp smtp://127.0.0.1:24029"));
    for (String none :
        List.of(
            "MailTLSProbesStale",
            "MailTLSCertificateExpiringSoon",
            "MailTLSOperatorAbsent",
            "MailTLSShardMissing",
            "MailTLSSenderOutdatedTLS",
            "MailTLSSenderStartTLSNotUsed",
            "MailTLSSenderNotSeen")) {
      expected.put(none, Set.of());
    }

    Map<String, Set<String>> found = new TreeMap<>();
    for (JsonNode rule : rules()) {
      if (rule.has("alert")) {
        Set<String> targets = new TreeSet<>();
        for (JsonNode series : query(rule.get("expr").asText()).path("data").path("result")) {
          targets.add(
              series.path("metric").path("job").asText()
                  + " "
                  + series.path("metric").path("instance").asText());
        }
        found.put(rule.get("alert").asText(), targets);
      }
    }
    assertThat(found).isEqualTo(expected);

    // Loaded in Prometheus: pending (for: 30m), with a description that names module and job.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              List<String> descriptions = new ArrayList<>();
              for (JsonNode alert :
                  getJson(prometheusUrl + "/api/v1/alerts").path("data").path("alerts")) {
                if (alert
                        .path("labels")
                        .path("alertname")
                        .asText()
                        .equals("MailTLSDeprecatedTLSAccepted")
                    && alert
                        .path("labels")
                        .path("instance")
                        .asText()
                        .equals("smtp://127.0.0.1:24026")) {
                  descriptions.add(alert.path("annotations").path("description").asText());
                }
              }
              assertThat(descriptions)
                  .containsExactly(
                      "smtp://127.0.0.1:24026 (module default, job mailtls-smtp) accepts a version"
                          + " older than the policy's minimum besides a newer one; clients can be"
                          + " talked down to it, and Exchange Online refuses TLS 1.0 and 1.1.");
            });

    // Compliant: 24025 and 24993 of the default job, of 10 endpoints probed in all.
    assertThat(value(query("mailtls:endpoint_compliant:ratio"))).isEqualTo(0.2);
  }

  @Test
  void everyDashboardQueryButTheSendingSidesReturnsData() throws Exception {
    JsonNode dashboard =
        JSON.readTree(PROJECT.resolve("config/grafana/mailtls-dashboard.json").toFile());
    List<String> empty = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        String expr =
            target
                .get("expr")
                .asText()
                .replace("$namespace", ".*")
                .replace("$policy", ".*")
                .replace("$__rate_interval", "1m")
                .replace("$__range", "1h");
        if (query(expr).path("data").path("result").isEmpty()) {
          empty.add(panel.get("title").asText());
        }
      }
    }
    // The two panels of MailSenderPolicy have nothing to show: no test receiver runs here.
    assertThat(empty)
        .containsExactly(
            "Sending servers (MailSenderPolicy): verdict and best offered version",
            "Test receiver sessions by outcome");
  }

  @Test
  void aProbeAnswerPassesPromtoolsChecks() throws Exception {
    HttpResponse<String> answer = get(exporterUrl + "/probe?target=smtp://127.0.0.1:24026");
    assertThat(answer.statusCode()).isEqualTo(200);
    Process promtool =
        new ProcessBuilder("promtool", "check", "metrics")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.INHERIT)
            .start();
    promtool.getOutputStream().write(answer.body().getBytes(StandardCharsets.UTF_8));
    promtool.getOutputStream().close();
    assertThat(promtool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(promtool.exitValue()).isZero();
  }

  @Test
  void aReloadOfABrokenFileKeepsTheOldModulesAndSaysWhy() throws Exception {
    Files.writeString(probeConfig, "modules:\n  strict:\n    minimumVersion: TLSv1.1\n");
    String why =
        probeConfig
            + " not reloaded, the old config stays: modules.strict.minimumVersion: 'TLSv1.1' is"
            + " not TLSv1.2 or TLSv1.3";

    // SIGHUP, as Prometheus components are reloaded: the JVM lives on and logs why.
    assertThat(new ProcessBuilder("kill", "-HUP", Long.toString(mailtls.pid())).start().waitFor())
        .isZero();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> Files.readString(work.resolve("mailtls.log")),
            log ->
                log.contains(
                    "probe config not reloaded, the old one stays: modules.strict.minimumVersion:"
                        + " 'TLSv1.1' is not TLSv1.2 or TLSv1.3"));
    assertThat(mailtls.isAlive()).isTrue();
    assertThat(get(exporterUrl + "/metrics").body())
        .contains("\nmailtls_probe_config_last_reload_successful 0.0\n");

    HttpResponse<String> reload = post(exporterUrl + "/-/reload");
    assertThat(List.of(reload.statusCode(), reload.body())).containsExactly(500, why + "\n");

    // The old strict still judges; a module of the broken file does not exist.
    assertThat(get(exporterUrl + "/probe?target=smtp://127.0.0.1:24025&module=strict").body())
        .contains("verdict=\"DeprecatedTLSAccepted\"");
    HttpResponse<String> lax = get(exporterUrl + "/probe?target=smtp://127.0.0.1:24025&module=lax");
    assertThat(List.of(lax.statusCode(), lax.body()))
        .containsExactly(400, "unknown module 'lax' (this exporter has: default, strict)\n");

    Files.writeString(
        probeConfig,
        "modules:\n  strict:\n    minimumVersion: TLSv1.3\n  lax:\n    requireStartTls: false\n");
    reload = post(exporterUrl + "/-/reload");
    assertThat(List.of(reload.statusCode(), reload.body()))
        .containsExactly(200, "reloaded " + probeConfig + ": 3 modules (default, lax, strict)\n");
    // Without STARTTLS required, the server without it is not a finding of this module.
    assertThat(get(exporterUrl + "/probe?target=smtp://127.0.0.1:24027&module=lax").body())
        .contains("\nprobe_success 1.0\n");
    assertThat(get(exporterUrl + "/metrics").body())
        .contains("\nmailtls_probe_config_last_reload_successful 1.0\n");
  }

  private static String versions(String instance) throws Exception {
    JsonNode result =
        query(
            "mailtls_endpoint_tls_version_accepted{job=\"mailtls-smtp\",instance=\""
                + instance
                + "\"}");
    Map<String, String> byVersion = new TreeMap<>();
    for (JsonNode series : result.path("data").path("result")) {
      byVersion.put(
          series.path("metric").path("tls_version").asText(), series.path("value").get(1).asText());
    }
    return String.join(
        " ", byVersion.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
  }

  /** instance → the value of {@code label}, for every series of a query's result. */
  private static Map<String, String> byInstance(JsonNode response, String label) {
    Map<String, String> found = new TreeMap<>();
    for (JsonNode series : response.path("data").path("result")) {
      found.put(
          series.path("metric").path("instance").asText(),
          series.path("metric").path(label).asText());
    }
    return found;
  }

  /** instance → value, for every series of a query's result. */
  private static Map<String, Double> values(JsonNode response) {
    Map<String, Double> found = new TreeMap<>();
    for (JsonNode series : response.path("data").path("result")) {
      found.put(
          series.path("metric").path("instance").asText(),
          Double.parseDouble(series.path("value").get(1).asText()));
    }
    return found;
  }

  private static double value(JsonNode response) {
    JsonNode result = response.path("data").path("result");
    return result.isEmpty()
        ? Double.NaN
        : Double.parseDouble(result.get(0).path("value").get(1).asText());
  }

  private static List<JsonNode> rules() throws IOException {
    List<JsonNode> rules = new ArrayList<>();
    new YAMLMapper()
        .readTree(RULES.toFile())
        .path("groups")
        .forEach(g -> g.path("rules").forEach(rules::add));
    return rules;
  }

  private static JsonNode query(String promql) throws Exception {
    JsonNode response =
        getJson(
            prometheusUrl
                + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    assertThat(response.path("status").asText()).as(promql + ": " + response).isEqualTo("success");
    return response;
  }

  private static JsonNode getJson(String url) throws Exception {
    return JSON.readTree(get(url).body());
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
