package io.mailtls.bench;

import io.mailtls.http.AdminServer;
import io.mailtls.metrics.MailTlsMetrics;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Figure (f): /metrics at 10,000 endpoints. Sizes of one scrape (plain and gzipped), the render
 * time in JMH ({@link ScrapeBenchmark}), and whole HTTP scrapes over loopback through the
 * operator's own AdminServer. {@code bench/run.sh scrape}; no testbed needed.
 */
public final class MetricsScrape {
  private MetricsScrape() {}

  public static void main(String[] args) throws Exception {
    int endpoints = 10_000;
    MailTlsMetrics metrics = ScrapeBenchmark.fill(MailTlsMetrics.withJvmMetrics(), endpoints);
    PrometheusTextFormatWriter writer = new PrometheusTextFormatWriter(false);
    long plain = ScrapeBenchmark.render(metrics.prometheusRegistry(), writer, false);
    long gzip = ScrapeBenchmark.render(metrics.prometheusRegistry(), writer, true);
    long samples = metrics.scrape().lines().filter(l -> l.startsWith("mailtls_")).count();
    System.out.printf(
        "(f) %d endpoints: %d mailtls samples; one scrape is %,d bytes plain, %,d gzipped (%.1f %%)%n",
        endpoints, samples, plain, gzip, 100.0 * gzip / plain);

    try (AdminServer server =
        AdminServer.start(0).metrics("/metrics", metrics.prometheusRegistry())) {
      HttpClient http = HttpClient.newHttpClient();
      for (String encoding : new String[] {"identity", "gzip"}) {
        HttpRequest request =
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                .header("Accept-Encoding", encoding)
                .build();
        long[] millis = new long[60];
        long bytes = 0;
        for (int i = 0; i < millis.length; i++) {
          long start = System.nanoTime();
          bytes = http.send(request, HttpResponse.BodyHandlers.ofByteArray()).body().length;
          millis[i] = (System.nanoTime() - start) / 1_000_000;
        }
        long[] measured = Arrays.copyOfRange(millis, 10, millis.length); // 10 warm-ups
        Arrays.sort(measured);
        System.out.printf(
            "(f) HTTP GET /metrics, %s: %,d bytes, median %d ms, max %d ms over %d scrapes%n",
            encoding,
            bytes,
            measured[measured.length / 2],
            measured[measured.length - 1],
            measured.length);
      }
    }

    for (RunResult result :
        new Runner(
                new OptionsBuilder()
                    .include(ScrapeBenchmark.class.getName())
                    .forks(1)
                    .warmupIterations(3)
                    .warmupTime(TimeValue.seconds(2))
                    .measurementIterations(5)
                    .measurementTime(TimeValue.seconds(2))
                    .build())
            .run()) {
      System.out.printf(
          "(f) render %s: %.1f ± %.1f ms (JMH sample time)%n",
          result.getParams().getBenchmark().replaceAll(".*\\.", ""),
          result.getPrimaryResult().getScore(),
          result.getPrimaryResult().getScoreError());
    }
  }
}
