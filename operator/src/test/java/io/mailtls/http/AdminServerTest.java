package io.mailtls.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtls.api.MailEndpointPolicyStatus;
import io.mailtls.api.StatusSummary;
import io.mailtls.metrics.MailTlsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
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
        AdminServer.start(0).metrics("/metrics", metrics.prometheusRegistry())) {
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
}
