package io.mailtls.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * The small HTTP server for kubelet probes and Prometheus. Uses the JDK's built-in server; nothing
 * here needs more.
 */
public final class AdminServer implements AutoCloseable {
  private final HttpServer server;

  private AdminServer(HttpServer server) {
    this.server = server;
  }

  /** Listens on all addresses at {@code port} (0 picks a free one). */
  public static AdminServer start(int port) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.start();
    return new AdminServer(server);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code path} answers 200 "ok" while {@code check} holds, else 503. */
  public AdminServer check(String path, BooleanSupplier check) {
    server.createContext(
        path,
        exchange -> {
          boolean ok = check.getAsBoolean();
          reply(exchange, ok ? 200 : 503, ok ? "ok\n" : "not ok\n");
        });
    return this;
  }

  /**
   * {@code path} answers with everything in {@code registry}, through the Prometheus client's own
   * handler: it negotiates the text or OpenMetrics format and gzip as Prometheus asks.
   */
  public AdminServer metrics(String path, PrometheusRegistry registry) {
    server.createContext(path, new MetricsHandler(registry));
    return this;
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().putIfAbsent("Content-Type", List.of("text/plain; charset=utf-8"));
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
