package io.mailtls.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.mailtls.TestingProject;
import io.mailtls.api.MailSenderPolicy;
import io.mailtls.http.AdminServer;
import io.mailtls.policy.SenderPolicyCheck;
import io.mailtls.probe.ProbeSettings;
import io.mailtls.probe.Testbed;
import io.mailtls.receiver.ReceiverCertificate;
import io.mailtls.receiver.ReceiverLimits;
import io.mailtls.receiver.ReceiverMode;
import io.mailtls.receiver.ReceiverSettings;
import io.mailtls.receiver.SessionLog;
import io.mailtls.receiver.TestReceiver;
import io.mailtls.schema.PolicySchema;
import io.mailtls.sender.KnownSenders;
import io.mailtls.standalone.PolicyFiles;
import io.mailtls.standalone.SenderPolicyRunner;
import io.mailtls.standalone.StandaloneRunner;
import io.mailtls.status.ReceivedSessions;
import io.mailtls.status.StatusRecorder;
import io.mailtls.status.VerdictChangeNotifier;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitoring assets against real tools: Debian's promtool and amtool check them, and a real
 * Prometheus on loopback scrapes the standalone mode (probing the testbed's real mail servers) and
 * evaluates every alert expression and every dashboard query.
 */
@ExtendWith(Testbed.class)
class MonitoringIT {
  private static final Path PROJECT = TestingProject.ROOT;
  private static final Path RULES = PROJECT.resolve("config/prometheus/mailtls-rules.yaml");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path work;
  private static StandaloneRunner runner;
  private static AdminServer admin;
  private static MailTlsMetrics metrics;
  private static Process prometheus;
  private static TestReceiver receiver;
  private static SenderPolicyRunner senderRunner;
  private static String prometheusUrl;

  @BeforeAll
  static void startStandaloneAndPrometheus() throws Exception {
    Path policies = Files.createDirectories(work.resolve("policies"));
    Files.writeString(
        policies.resolve("edge.yaml"),
        """
        apiVersion: mailtls.io/v1alpha1
        kind: MailEndpointPolicy
        metadata: {name: edge, namespace: mail}
        spec:
          endpoints:
            - {target: "smtp://127.0.0.1:24026", serverName: mail.test.local}
            - {target: "smtp://127.0.0.1:24025", serverName: mail.test.local}
            - {target: "smtps://127.0.0.1:24466", serverName: mail.test.local}
            - {target: "smtp://127.0.0.1:24027", serverName: mail.test.local}
            - {target: "smtp://127.0.0.1:24999", serverName: mail.test.local}
          timeout: 3s
        """);
    metrics = MailTlsMetrics.withJvmMetrics();
    runner =
        StandaloneRunner.create(
            ProbeSettings.defaults().withCaFile(Testbed.caFile()), metrics, Clock.systemUTC(), 2);
    runner.start(PolicyFiles.load(policies, PolicySchema.fromClasspath()).policies());
    await().atMost(Duration.ofSeconds(30)).until(() -> runner.status("mail", "edge") != null);
    startReceiverWithOneOutdatedSender(policies);
    admin =
        AdminServer.start(new java.net.InetSocketAddress(0))
            .metrics("/metrics", metrics.prometheusRegistry());

    int port = freePort();
    prometheusUrl = "http://127.0.0.1:" + port;
    Path config = work.resolve("prometheus.yml");
    Files.writeString(
        config,
        """
        global: {scrape_interval: 1s, evaluation_interval: 1s}
        rule_files: ["%s"]
        scrape_configs:
          - job_name: mailtls
            static_configs: [{targets: ["127.0.0.1:%2$d"]}]
        %3$s
        %4$s
        """
            .formatted(RULES, admin.port(), serviceMonitorJob(true), serviceMonitorJob(false)));
    prometheus =
        new ProcessBuilder(
                "prometheus",
                "--config.file=" + config,
                "--storage.tsdb.path=" + work.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + port)
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("prometheus.log").toFile())
            .start();
    // Prometheus answers 503 until its storage and rules are loaded; query only once it is ready.
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptionsInstanceOf(IOException.class)
        .until(() -> status("/-/ready") == 200);
    // Two scrapes at least, so that increase() and rate() have something to work on.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> query("count_over_time(up{job=\"mailtls\"}[1m])"), r -> value(r) >= 3);
  }

  /**
   * The sending side in the same process: a test receiver, a MailSenderPolicy expecting two
   * senders, and one real session from {@code openssl s_client -tls1} (an OutdatedTLS sender); the
   * other sender stays NotSeen.
   */
  private static void startReceiverWithOneOutdatedSender(Path policies) throws Exception {
    Path senders = Files.createDirectories(policies.resolveSibling("senders"));
    Files.writeString(
        senders.resolve("onprem.yaml"),
        """
        apiVersion: mailtls.io/v1alpha1
        kind: MailSenderPolicy
        metadata: {name: onprem, namespace: mail}
        spec:
          senders:
            - {name: legacy, addresses: ["127.0.0.0/8"], ehloNames: [legacy.sender.test]}
            - {name: branch, addresses: ["192.0.2.0/24"]}
        """);
    ReceiverLimits limits = ReceiverLimits.defaults();
    SessionLog sessions = new SessionLog(limits);
    KnownSenders known = new KnownSenders();
    ReceivedSessions.wire(sessions, known, metrics);
    receiver =
        TestReceiver.start(
            new ReceiverSettings(
                new InetSocketAddress("127.0.0.1", 0),
                "receiver.test",
                ReceiverMode.EXCHANGE_ONLINE,
                limits,
                ReceiverCertificate.selfSigned("receiver.test")),
            sessions);
    senderRunner =
        new SenderPolicyRunner(
            PolicyFiles.load(senders, PolicySchema.forSenderPolicies(), MailSenderPolicy.class)
                .policies(),
            new SenderPolicyCheck(sessions, known, "test receiver", Clock.systemUTC()),
            new StatusRecorder(metrics, VerdictChangeNotifier.NONE));
    senderRunner.start();
    run(
        "Q\n",
        "openssl",
        "s_client",
        "-brief",
        "-starttls",
        "smtp",
        "-name",
        "legacy.sender.test",
        "-connect",
        "127.0.0.1:" + receiver.port(),
        "-tls1",
        "-cipher",
        "ALL:@SECLEVEL=0");
    await().atMost(Duration.ofSeconds(10)).until(() -> sessions.size() == 1);
    senderRunner.evaluateAll();
  }

  /**
   * The scrape job the Prometheus Operator generates for the chart's ServiceMonitor, with the
   * target labels its relabelings set from Kubernetes service discovery (here from fixed values: no
   * cluster), and {@code honor_labels} as the chart sets it (true) or not.
   */
  private static String serviceMonitorJob(boolean honorLabels) {
    String name = honorLabels ? "chart" : "without-honor-labels";
    return """
          - job_name: serviceMonitor/mailtls-system/%1$s/0
            honor_labels: %2$s
            static_configs: [{targets: ["127.0.0.1:%3$d"]}]
            relabel_configs:
              - {target_label: namespace, replacement: mailtls-system}
              - {target_label: service, replacement: mail-tls-operator}
              - {target_label: pod, replacement: mail-tls-operator-5d8f7-x2x9q}
              - {target_label: container, replacement: operator}
              - {target_label: endpoint, replacement: metrics}
              - {target_label: job, replacement: %1$s}
        """
        .formatted(name, honorLabels, admin.port());
  }

  @AfterAll
  static void stop() throws Exception {
    if (prometheus != null) {
      prometheus.destroy();
      prometheus.waitFor(10, TimeUnit.SECONDS);
    }
    if (admin != null) {
      admin.close();
    }
    if (runner != null) {
      runner.close();
    }
    if (senderRunner != null) {
      senderRunner.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  @Test
  void promtoolAndAmtoolAcceptTheAssets() throws Exception {
    assertThat(run(null, "promtool", "check", "rules", RULES.toString())).isZero();
    assertThat(
            run(
                null,
                "promtool",
                "test",
                "rules",
                PROJECT.resolve("config/prometheus/mailtls-rules.test.yaml").toString()))
        .isZero();
    assertThat(
            run(
                null,
                "amtool",
                "check-config",
                PROJECT.resolve("config/alertmanager/alertmanager.yaml").toString()))
        .isZero();
  }

  @Test
  void promtoolAcceptsTheExposition() throws Exception {
    assertThat(run(metrics.scrape(), "promtool", "check", "metrics")).isZero();
  }

  @Test
  void everyAlertExpressionFindsExactlyTheEndpointsItShould() throws Exception {
    Map<String, Set<String>> expected = new HashMap<>();
    // The verdict decides: 24466 accepts TLS 1.0 only, which is NoModernTLS, not deprecated.
    expected.put("MailTLSDeprecatedTLSAccepted", Set.of("smtp://127.0.0.1:24026"));
    expected.put("MailTLSNoModernTLS", Set.of("smtps://127.0.0.1:24466"));
    expected.put("MailTLSStartTLSMissing", Set.of("smtp://127.0.0.1:24027"));
    expected.put("MailTLSEndpointUnreachable", Set.of("smtp://127.0.0.1:24999"));
    expected.put("MailTLSProbesStale", Set.of());
    expected.put("MailTLSCertificateExpiringSoon", Set.of());
    expected.put("MailTLSOperatorAbsent", Set.of());
    expected.put("MailTLSShardMissing", Set.of());
    expected.put("MailTLSSenderOutdatedTLS", Set.of("legacy"));
    expected.put("MailTLSSenderStartTLSNotUsed", Set.of());
    expected.put("MailTLSSenderNotSeen", Set.of("branch"));

    Map<String, Set<String>> found = new HashMap<>();
    for (JsonNode rule : rules()) {
      if (rule.has("alert")) {
        found.put(rule.get("alert").asText(), endpoints(query(rule.get("expr").asText())));
      }
    }
    assertThat(found).isEqualTo(expected);

    // The rules are loaded in Prometheus too: the deprecated-TLS alert is pending (for: 30m) for
    // the endpoint that accepts TLS 1.0 besides TLS 1.2, and not for the others.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Set<String> pending = new TreeSet<>();
              for (JsonNode alert : get("/api/v1/alerts").path("data").path("alerts")) {
                JsonNode labels = alert.path("labels");
                if (labels.path("alertname").asText().equals("MailTLSDeprecatedTLSAccepted")
                    && !labels.path("job").asText().equals("without-honor-labels")) {
                  pending.add(labels.path("endpoint").asText());
                }
              }
              assertThat(pending).containsExactly("smtp://127.0.0.1:24026");
            });
  }

  @Test
  void throughTheChartsServiceMonitorAlertsNameThePolicysNamespaceAndTheMailEndpoint()
      throws Exception {
    String deprecated = "mailtls_endpoint_info{verdict=\"DeprecatedTLSAccepted\",job=\"%s\"}";

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              // honorLabels: true, as the chart sets it: the series keep their own namespace and
              // endpoint, so do the alerts built on them.
              assertThat(labels(query(deprecated.formatted("chart")), "namespace", "endpoint"))
                  .containsExactly("mail smtp://127.0.0.1:24026");
              // Without it, Prometheus renames them exported_*, and the alert would name the
              // operator's namespace and the Service port instead.
              assertThat(
                      labels(
                          query(deprecated.formatted("without-honor-labels")),
                          "namespace",
                          "endpoint",
                          "exported_namespace"))
                  .containsExactly("mailtls-system metrics mail");
            });
  }

  /** The values of {@code names} of every series in a query's result, space-separated. */
  private static List<String> labels(JsonNode response, String... names) {
    List<String> values = new ArrayList<>();
    for (JsonNode series : response.path("data").path("result")) {
      List<String> row = new ArrayList<>();
      for (String name : names) {
        row.add(series.path("metric").path(name).asText());
      }
      values.add(String.join(" ", row));
    }
    return values;
  }

  @Test
  void recordingRulesComputeTheComplianceRatio() {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(value(query("mailtls:endpoint_compliant:ratio"))).isEqualTo(0.2);
              assertThat(
                      value(
                          query("namespace:mailtls_endpoint_compliant:ratio{namespace=\"mail\"}")))
                  .isEqualTo(0.2);
            });
  }

  @Test
  void everyDashboardQueryReturnsData() throws Exception {
    JsonNode dashboard =
        JSON.readTree(PROJECT.resolve("config/grafana/mailtls-dashboard.json").toFile());
    List<String> empty = new ArrayList<>();
    int queries = 0;
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
        queries++;
        if (query(expr).path("data").path("result").isEmpty()) {
          empty.add(panel.get("title").asText() + ": " + expr);
        }
      }
    }
    assertThat(queries).isEqualTo(10);
    assertThat(empty).isEmpty();
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      if (variable.get("type").asText().equals("query")) {
        String metric =
            variable.get("definition").asText().replaceAll("label_values\\((.*), \\w+\\)", "$1");
        assertThat(query(metric.replace("$namespace", ".*")).path("data").path("result"))
            .as(variable.get("name").asText())
            .isNotEmpty();
      }
    }
  }

  private static List<JsonNode> rules() throws IOException {
    List<JsonNode> rules = new ArrayList<>();
    new YAMLMapper()
        .readTree(RULES.toFile())
        .path("groups")
        .forEach(g -> g.path("rules").forEach(rules::add));
    return rules;
  }

  /**
   * The endpoints in a query's result, leaving out the series of the scrape job without
   * honor_labels, whose endpoint label is the Service port.
   */
  private static Set<String> endpoints(JsonNode response) {
    Set<String> endpoints = new TreeSet<>();
    for (JsonNode series : response.path("data").path("result")) {
      if (!series.path("metric").path("job").asText().equals("without-honor-labels")) {
        JsonNode labels = series.path("metric");
        endpoints.add(
            labels.has("sender")
                ? labels.path("sender").asText()
                : labels.path("endpoint").asText());
      }
    }
    return endpoints;
  }

  private static double value(JsonNode response) {
    JsonNode result = response.path("data").path("result");
    return result.isEmpty()
        ? Double.NaN
        : Double.parseDouble(result.get(0).path("value").get(1).asText());
  }

  static JsonNode query(String promql) throws Exception {
    JsonNode response =
        get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    assertThat(response.path("status").asText()).as(promql + ": " + response).isEqualTo("success");
    return response;
  }

  private static int status(String path) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(prometheusUrl + path)).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static JsonNode get(String path) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(prometheusUrl + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }

  /** Runs a tool, feeding {@code stdin} when given; returns its exit code (output in the log). */
  private static int run(String stdin, String... command) throws Exception {
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.INHERIT)
            .start();
    if (stdin != null) {
      process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    process.getOutputStream().close();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return process.exitValue();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
