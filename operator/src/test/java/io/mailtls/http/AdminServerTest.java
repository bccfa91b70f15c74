package io.mailtls.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtls.api.MailEndpointPolicyStatus;
import io.mailtls.api.StatusSummary;
import io.mailtls.metrics.MailTlsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** /metrics negotiates what Prometheus asks for: OpenMetrics or text, gzip or not. */
class AdminServerTest {
  private final MailTlsMetrics metrics =
      new MailTlsMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<byte[]> get(AdminServer server, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void metricsAreServedAsTextOpenMetricsOrGzip() throws Exception {
    metrics.show(
        "mail",
        "edge",
        Duration.ofMinutes(15),
        new MailEndpointPolicyStatus(1L, null, new StatusSummary(0, 0, 0, 0), List.of(), null));
    String series = "mailtls_policy_interval_seconds{namespace=\"mail\",policy=\"edge\"} 900.0";
    try (AdminServer server =
        AdminServer.start(new InetSocketAddress(0))
            .metrics("/metrics", metrics.prometheusRegistry())) {
      HttpResponse<byte[]> text = get(server);
      assertThat(text.headers().firstValue("Content-Type"))
          .contains("text/plain; version=0.0.4; charset=utf-8");
      assertThat(new String(text.body(), StandardCharsets.UTF_8)).contains(series);

      HttpResponse<byte[]> openMetrics =
          get(server, "Accept", "application/openmetrics-text; version=1.0.0");
      assertThat(openMetrics.headers().firstValue("Content-Type").orElseThrow())
          .startsWith("application/openmetrics-text");
      assertThat(new String(openMetrics.body(), StandardCharsets.UTF_8))
          .contains("mailtls_policy_interval_seconds{namespace=\"mail\",policy=\"edge\"} 900.0")
          .endsWith("# EOF\n");

      HttpResponse<byte[]> gzip = get(server, "Accept-Encoding", "gzip");
      assertThat(gzip.headers().firstValue("Content-Encoding")).contains("gzip");
      try (var in = new GZIPInputStream(new ByteArrayInputStream(gzip.body()))) {
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contains(series);
      }
    }
  }

  private HttpResponse<String> send(int port, String path, String method) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void onlyItsOwnPathsAndGetOrHeadAreAnswered() throws Exception {
    try (AdminServer server =
        AdminServer.start(new InetSocketAddress(0))
            .metrics("/metrics", metrics.prometheusRegistry())) {
      HttpResponse<String> post = send(server.port(), "/metrics", "POST");

      assertThat(
              List.of(
                  send(server.port(), "/metrics", "GET").statusCode(),
                  send(server.port(), "/metricsXYZ", "GET").statusCode(),
                  send(server.port(), "/nope", "GET").statusCode(),
                  post.statusCode(),
                  send(server.port(), "/metrics", "HEAD").statusCode()))
          .containsExactly(200, 404, 404, 405, 200);
      assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");
    }
  }

  /** Scrapes that render at once are bounded; the rest are told 503 and health still answers. */
  @Test
  void aFloodOfScrapesIsBoundedAndHealthStaysIndependent() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch rendering = new CountDownLatch(AdminServer.MAX_CONCURRENT_SCRAPES);
    PrometheusRegistry slow = new PrometheusRegistry();
    slow.register(
        () -> {
          rendering.countDown();
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return MetricSnapshots.of();
        });
    try (AdminServer server =
            AdminServer.start(new InetSocketAddress(0)).metrics("/metrics", slow);
        HealthServer healthServer =
            HealthServer.start(new InetSocketAddress(0)).check("/healthz", () -> true);
        ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
      HttpRequest scrape =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
              .build();
      List<Future<HttpResponse<String>>> held = new ArrayList<>();
      for (int i = 0; i < AdminServer.MAX_CONCURRENT_SCRAPES; i++) {
        held.add(clients.submit(() -> http.send(scrape, HttpResponse.BodyHandlers.ofString())));
      }
      assertThat(rendering.await(10, TimeUnit.SECONDS)).isTrue();

      HttpResponse<String> refused = http.send(scrape, HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> health = send(healthServer.port(), "/healthz", "GET");

      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(health.statusCode()).isEqualTo(200);
      release.countDown();
      for (Future<HttpResponse<String>> f : held) {
        assertThat(f.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      }
    }
  }

  /** A client that sends half a request and waits is disconnected, not kept forever. */
  @Test
  void aHalfSentRequestIsClosedAfterTheRequestTimeLimit() throws Exception {
    long limitSeconds =
        Long.getLong("sun.net.httpserver.maxReqTime", AdminServer.MAX_REQUEST_SECONDS);
    try (AdminServer server =
            AdminServer.start(new InetSocketAddress(0))
                .metrics("/metrics", metrics.prometheusRegistry());
        Socket client = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      client.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: x\r\n".getBytes());
      client.setSoTimeout((int) TimeUnit.SECONDS.toMillis(limitSeconds + 10));
      long start = System.nanoTime();

      int read = client.getInputStream().read();

      assertThat(read).isEqualTo(-1); // closed by the server, no answer
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isLessThan(Duration.ofSeconds(limitSeconds + 5));
    }
  }

  private HttpResponse<String> sendWithHeaders(
      int port, String path, String method, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * A computed path (/probe) answers GET with series of their own per request or a one-line reason;
   * its query is read strictly, and a failure of the answer is one line, never a stack trace.
   */
  @Test
  void aComputedPathAnswersEachRequestWithItsOwnSeriesOrOneLine() throws Exception {
    List<Request> seen = new ArrayList<>();
    try (AdminServer server =
        AdminServer.start(new InetSocketAddress(0))
            .computed(
                "/probe",
                request -> {
                  seen.add(request);
                  return switch (request.parameters().getOrDefault("target", "")) {
                    case "ok" -> {
                      PrometheusRegistry registry = new PrometheusRegistry();
                      registry.register(
                          () ->
                              MetricSnapshots.of(
                                  io.prometheus.metrics.model.snapshots.GaugeSnapshot.builder()
                                      .name("probe_success")
                                      .dataPoint(
                                          io.prometheus.metrics.model.snapshots.GaugeSnapshot
                                              .GaugeDataPointSnapshot.builder()
                                              .value(1)
                                              .build())
                                      .build()));
                      yield new Answer.Series(registry);
                    }
                    case "bug" -> throw new IllegalStateException("a bug\nwith two lines");
                    default -> new Answer.Text(400, "unknown target");
                  };
                })) {
      HttpResponse<String> ok =
          sendWithHeaders(
              server.port(),
              "/probe?target=ok&module=a%20b",
              "GET",
              "X-Prometheus-Scrape-Timeout-Seconds",
              "2.5");
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.headers().firstValue("Content-Type"))
          .contains("text/plain; version=0.0.4; charset=utf-8");
      assertThat(ok.body()).contains("\nprobe_success 1.0\n");
      assertThat(seen.getFirst().parameters())
          .containsExactlyInAnyOrderEntriesOf(java.util.Map.of("target", "ok", "module", "a b"));
      assertThat(seen.getFirst().header("x-prometheus-scrape-timeout-seconds")).isEqualTo("2.5");

      HttpResponse<String> bad = send(server.port(), "/probe?target=nope", "GET");
      HttpResponse<String> twice = send(server.port(), "/probe?target=ok&target=bug", "GET");
      HttpResponse<String> bug = send(server.port(), "/probe?target=bug", "GET");
      HttpResponse<String> post = send(server.port(), "/probe?target=ok", "POST");

      assertThat(List.of(bad.statusCode(), bad.body())).containsExactly(400, "unknown target\n");
      assertThat(List.of(twice.statusCode(), twice.body()))
          .containsExactly(400, "the parameter 'target' is given twice\n");
      assertThat(List.of(bug.statusCode(), bug.body()))
          .containsExactly(
              500, "internal error: java.lang.IllegalStateException: a bugwith two lines\n");
      assertThat(List.of(post.statusCode(), post.headers().firstValue("Allow").orElseThrow()))
          .containsExactly(405, "GET");
      assertThat(send(server.port(), "/probe/x", "GET").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void anActionAnswersPostOnly() throws Exception {
    int[] runs = {0};
    try (AdminServer server =
        AdminServer.start(new InetSocketAddress(0))
            .post(
                "/-/reload",
                () -> {
                  runs[0]++;
                  return new Answer.Text(200, "reloaded");
                })) {
      HttpResponse<String> get = send(server.port(), "/-/reload", "GET");
      HttpResponse<String> post = send(server.port(), "/-/reload", "POST");

      assertThat(List.of(get.statusCode(), get.headers().firstValue("Allow").orElseThrow()))
          .containsExactly(405, "POST");
      assertThat(List.of(post.statusCode(), post.body())).containsExactly(200, "reloaded\n");
      assertThat(runs[0]).isEqualTo(1);
    }
  }
}
