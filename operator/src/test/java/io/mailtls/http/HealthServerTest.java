package io.mailtls.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The health port answers the kubelet whatever else holds connections to it. */
class HealthServerTest {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private HttpResponse<String> send(HealthServer server, String path, String method)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            // The kubelet's default probe timeout.
            .timeout(Duration.ofSeconds(1))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HealthServer start(boolean live) throws Exception {
    return HealthServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .check("/healthz", () -> live)
        .check("/readyz", () -> !live);
  }

  @Test
  void onlyItsOwnPathsAndGetOrHeadAreAnswered() throws Exception {
    try (HealthServer server = start(true)) {
      HttpResponse<String> ok = send(server, "/healthz", "GET");
      HttpResponse<String> post = send(server, "/healthz", "POST");

      assertThat(
              List.of(
                  ok.statusCode(),
                  send(server, "/healthzXYZ", "GET").statusCode(),
                  send(server, "/nope", "GET").statusCode(),
                  post.statusCode(),
                  send(server, "/healthz", "HEAD").statusCode(),
                  send(server, "/readyz", "GET").statusCode()))
          .containsExactly(200, 404, 404, 405, 200, 503);
      assertThat(ok.body()).isEqualTo("ok\n");
      assertThat(send(server, "/readyz", "GET").body()).isEqualTo("not ok\n");
      assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");
    }
  }

  /**
   * The lock-out: 80 idle connections held the JDK's server (64 connections, 10 s for a
   * request) and failed every liveness probe for about 10 s. Here the newest connections push the
   * oldest idle ones out, and each probe is answered at once.
   */
  @Test
  void idleConnectionsCannotFailTheProbes() throws Exception {
    List<Socket> idle = new ArrayList<>();
    try (HealthServer server = start(true)) {
      for (int i = 0; i < 200; i++) {
        idle.add(new Socket(InetAddress.getLoopbackAddress(), server.port()));
      }
      for (int probe = 0; probe < 5; probe++) {
        assertThat(send(server, "/healthz", "GET").statusCode()).isEqualTo(200);
        idle.add(new Socket(InetAddress.getLoopbackAddress(), server.port()));
      }
    } finally {
      for (Socket socket : idle) {
        socket.close();
      }
    }
  }

  @Test
  void aCheckThatThrowsFails() throws Exception {
    try (HealthServer server =
        HealthServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .check(
                "/healthz",
                () -> {
                  throw new IllegalStateException("broken");
                })) {
      assertThat(send(server, "/healthz", "GET").statusCode()).isEqualTo(503);
    }
  }

  /** A client that sends half a request and waits is disconnected, not kept forever. */
  @Test
  void aHalfSentRequestIsClosedAfterTheRequestTimeLimit() throws Exception {
    try (HealthServer server = start(true);
        Socket client = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      client.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\n".getBytes());
      client.setSoTimeout(HealthServer.REQUEST_MILLIS + 10_000);
      long start = System.nanoTime();

      int read = client.getInputStream().read();

      assertThat(read).isEqualTo(-1); // closed by the server, no answer
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isLessThan(Duration.ofMillis(HealthServer.REQUEST_MILLIS + 3_000));
    }
  }
}
