package io.mailtls.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.mailtls.text.ServerText;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The small HTTP server for Prometheus, on the JDK's built-in server (the kubelet's probes have a
 * server of their own, {@link HealthServer}). Bounded so that no client can starve it or the
 * prober: at most {@link #MAX_CONNECTIONS} connections, a request must arrive within {@link
 * #MAX_REQUEST_SECONDS}, and at most {@link #MAX_CONCURRENT_SCRAPES} scrapes render at once (the
 * others get 503 at once). Exact paths only, GET and HEAD only (a computed path such as /probe:
 * GET; an action such as /-/reload: POST).
 */
public final class AdminServer implements AutoCloseable {
  /** Connections one admin server holds open at once; more wait in the kernel's backlog. */
  public static final int MAX_CONNECTIONS = 64;

  /** A request (line, headers, body) must arrive within this many seconds, or it is closed. */
  public static final int MAX_REQUEST_SECONDS = 10;

  /** A response must be taken within this many seconds, or the connection is closed. */
  public static final int MAX_RESPONSE_SECONDS = 60;

  /**
   * Scrapes that render at once: each holds a whole exposition in memory (megabytes at 10,000
   * endpoints), so a flood must not multiply that.
   */
  public static final int MAX_CONCURRENT_SCRAPES = 2;

  /** How long a scrape waits for a turn before it is told 503. */
  static final long SCRAPE_WAIT_MILLIS = 2_000;

  private static final Set<String> METHODS = Set.of("GET", "HEAD");

  private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

  static {
    // The JDK server reads its limits once, from system properties; an operator's own choice wins.
    setIfAbsent("jdk.httpserver.maxConnections", MAX_CONNECTIONS);
    setIfAbsent("sun.net.httpserver.maxReqTime", MAX_REQUEST_SECONDS);
    // A client that stops reading must not hold one of the scrape turns for ever.
    setIfAbsent("sun.net.httpserver.maxRspTime", MAX_RESPONSE_SECONDS);
    // /metrics is streamed in chunks: without TCP_NODELAY each response waits ~40 ms for Nagle's
    // algorithm and the client's delayed ACK.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private final HttpServer server;
  private final Semaphore scrapes = new Semaphore(MAX_CONCURRENT_SCRAPES);

  private AdminServer(HttpServer server) {
    this.server = server;
  }

  /** Listens at {@code address} (port 0 picks a free one). */
  public static AdminServer start(InetSocketAddress address) throws IOException {
    HttpServer server;
    try {
      server = HttpServer.create(address, 0);
    } catch (BindException e) {
      throw new BindException("cannot listen on port " + address.getPort() + ": " + e.getMessage());
    }
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", exchange -> reply(exchange, 404, "not found\n"));
    server.start();
    return new AdminServer(server);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * {@code path} answers with everything in {@code registry}, in the format and encoding Prometheus
   * asks for, streamed ({@link MetricsExposition}).
   */
  public AdminServer metrics(String path, PrometheusRegistry registry) {
    MetricsExposition handler = new MetricsExposition(registry);
    server.createContext(
        path,
        exact(
            path,
            METHODS,
            exchange -> {
              if (!awaitTurn()) {
                reply(exchange, 503, "too many scrapes at once\n");
                return;
              }
              try {
                handler.handle(exchange);
              } finally {
                scrapes.release();
              }
            }));
    return this;
  }

  /**
   * {@code path} answers GET with what {@code answer} makes of each request: series of its own (a
   * registry rendered for that response alone, as /metrics is) or a status with a one-line reason.
   * A query that cannot be read is a 400 naming the problem; a failure of {@code answer} itself is
   * a 500 with one line, logged, never a stack trace on the wire. Not bounded by the scrape turns
   * of /metrics: {@code answer} bounds itself.
   */
  public AdminServer computed(String path, Function<Request, Answer> answer) {
    server.createContext(
        path,
        exact(
            path,
            Set.of("GET"),
            exchange -> {
              Map<String, String> parameters;
              try {
                parameters = QueryParameters.parse(exchange.getRequestURI().getRawQuery());
              } catch (IllegalArgumentException e) {
                reply(exchange, 400, e.getMessage() + "\n");
                return;
              }
              Request request =
                  new Request(parameters, name -> exchange.getRequestHeaders().getFirst(name));
              answer(exchange, path, () -> answer.apply(request));
            }));
    return this;
  }

  /**
   * {@code path} answers POST by running {@code action} (such as a reload), with its status and
   * line; anything else gets 405.
   */
  public AdminServer post(String path, Supplier<Answer.Text> action) {
    server.createContext(
        path, exact(path, Set.of("POST"), exchange -> answer(exchange, path, action::get)));
    return this;
  }

  private static void answer(HttpExchange exchange, String path, Supplier<Answer> answer)
      throws IOException {
    Answer made;
    try {
      made = answer.get();
    } catch (RuntimeException bug) {
      log.error("{} failed", path, bug);
      reply(exchange, 500, "internal error: " + ServerText.clean(bug.toString()) + "\n");
      return;
    }
    switch (made) {
      case Answer.Series series -> MetricsExposition.respond(exchange, series.registry());
      case Answer.Text text -> reply(exchange, text.status(), text.line() + "\n");
    }
  }

  private boolean awaitTurn() {
    try {
      return scrapes.tryAcquire(SCRAPE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** A context matches every path it prefixes: this one answers its own path only. */
  private static HttpHandler exact(String path, Set<String> methods, HttpHandler handler) {
    String allow = String.join(", ", new java.util.TreeSet<>(methods));
    return exchange -> {
      if (!exchange.getRequestURI().getPath().equals(path)) {
        reply(exchange, 404, "not found\n");
      } else if (!methods.contains(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Allow", allow);
        reply(exchange, 405, "method not allowed\n");
      } else {
        try {
          handler.handle(exchange);
        } finally {
          exchange.close(); // whatever went wrong, the client is not left waiting for an answer
        }
      }
    };
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().putIfAbsent("Content-Type", List.of("text/plain; charset=utf-8"));
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      if (!head) {
        out.write(bytes);
      }
    }
  }

  private static void setIfAbsent(String property, int value) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, Integer.toString(value));
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
