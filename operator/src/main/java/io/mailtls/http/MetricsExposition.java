package io.mailtls.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * /metrics, negotiated as the Prometheus client negotiates it (text, OpenMetrics or protobuf by the
 * Accept header; gzip when accepted), but written straight to the connection. The client's own
 * handler first renders the whole body into memory and the JDK server then copies it once more: at
 * 10,000 endpoints that is twice 15 MB per scrape, which a 128 MiB heap does not survive (bench/
 * README.md, figure (f)).
 */
final class MetricsExposition implements HttpHandler {
  private static final int BUFFER_BYTES = 64 * 1024;

  private static final ExpositionFormats FORMATS = ExpositionFormats.init();

  private final PrometheusRegistry registry;

  MetricsExposition(PrometheusRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    respond(exchange, registry);
  }

  /** Answers {@code exchange} with everything in {@code registry}, as Prometheus asked. */
  static void respond(HttpExchange exchange, PrometheusRegistry registry) throws IOException {
    ExpositionFormatWriter writer =
        FORMATS.findWriter(exchange.getRequestHeaders().getFirst("Accept"));
    boolean gzip = acceptsGzip(exchange.getRequestHeaders().get("Accept-Encoding"));
    MetricSnapshots snapshots = registry.scrape();
    exchange.getResponseHeaders().set("Content-Type", writer.getContentType());
    if (gzip) {
      exchange.getResponseHeaders().set("Content-Encoding", "gzip");
    }
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
      return;
    }
    exchange.sendResponseHeaders(200, 0); // chunked: the length is not known before the end
    try (OutputStream body = exchange.getResponseBody();
        OutputStream out =
            gzip
                ? new GZIPOutputStream(body, BUFFER_BYTES)
                : new BufferedOutputStream(body, BUFFER_BYTES)) {
      writer.write(out, snapshots);
    }
  }

  private static boolean acceptsGzip(List<String> acceptEncoding) {
    if (acceptEncoding == null) {
      return false;
    }
    for (String header : acceptEncoding) {
      for (String coding : header.split(",")) {
        if (coding.strip().toLowerCase(java.util.Locale.ROOT).startsWith("gzip")
            && !coding.replace(" ", "").endsWith(";q=0")) {
          return true;
        }
      }
    }
    return false;
  }
}
