package io.mailtls.bench;

import io.mailtls.http.AdminServer;
import io.mailtls.http.HealthServer;
import io.mailtls.metrics.MailTlsMetrics;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.net.InetSocketAddress;
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

  /**
   * {@code n} scrapes at once (issue 13: 500 used to exhaust the heap): how many were served, how
   * many told 503, how long /healthz (on its own port, as in the operator and `run`) took
   * meanwhile, and the heap after.
   */
  private static void flood(HttpClient http, int port, int healthPort, int n) throws Exception {
    URI metrics = URI.create("http://127.0.0.1:" + port + "/metrics");
    URI health = URI.create("http://127.0.0.1:" + healthPort + "/healthz");
    int[] byStatus = new int[600];
    long start = System.nanoTime();
    long healthMillis;
    try (var clients = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      var scrapes = new java.util.ArrayList<java.util.concurrent.Future<Integer>>();
      for (int i = 0; i < n; i++) {
        scrapes.add(
            clients.submit(
                () ->
                    http.send(
                            HttpRequest.newBuilder(metrics)
                                .header("Accept-Encoding", "gzip")
                                .build(),
                            HttpResponse.BodyHandlers.discarding())
                        .statusCode()));
      }
      Thread.sleep(200);
      long h = System.nanoTime();
      int healthStatus =
          http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString())
              .statusCode();
      healthMillis = (System.nanoTime() - h) / 1_000_000;
      if (healthStatus != 200) {
        throw new IllegalStateException("/healthz answered " + healthStatus + " during the flood");
      }
      for (var scrape : scrapes) {
        try {
          byStatus[scrape.get()]++;
        } catch (java.util.concurrent.ExecutionException e) {
          byStatus[599]++; // refused or reset: the connection limit
        }
      }
    }
    Runtime rt = Runtime.getRuntime();
    System.gc();
    System.out.printf(
        "(f) %d scrapes at once: %d served (200), %d told 503, %d not connected, in %d ms;"
            + " /healthz answered in %d ms meanwhile; heap used after: %d MiB of %d MiB max%n",
        n,
        byStatus[200],
        byStatus[503],
        byStatus[599],
        (System.nanoTime() - start) / 1_000_000,
        healthMillis,
        (rt.totalMemory() - rt.freeMemory()) >> 20,
        rt.maxMemory() >> 20);
  }

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
            AdminServer.start(new InetSocketAddress(0))
                .metrics("/metrics", metrics.prometheusRegistry());
        HealthServer health =
            HealthServer.start(new InetSocketAddress(0)).check("/healthz", () -> true)) {
      HttpClient http = HttpClient.newHttpClient();
      flood(http, server.port(), health.port(), 500);
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
