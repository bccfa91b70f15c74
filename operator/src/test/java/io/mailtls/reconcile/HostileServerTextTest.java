package io.mailtls.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.mailtls.api.EndpointStatus;
import io.mailtls.api.MailEndpointPolicyStatus;
import io.mailtls.metrics.MailTlsMetrics;
import io.mailtls.text.ServerTextAssertions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A hostile server's words on their way to every place people read them: a banner and a STARTTLS
 * refusal full of terminal escapes, NULs, bells, carriage returns and forged log text, thousands of
 * characters long. Through the operator (JOSDK against Fabric8's mock API server in CRUD mode),
 * they must reach the status, the Events, the logs and /metrics cleaned and capped, with what they
 * say still readable.
 */
@EnableKubernetesMockClient(crud = true)
class HostileServerTextTest {
  static KubernetesClient client;

  private static final String ESCAPES = "\u001b[2J\u001b]0;owned\u0007\u0000\r\u0085";
  private static final String GREETING =
      "220 mx.evil.test ESMTP Postfix" + ESCAPES + " level=ERROR msg=forged " + "A".repeat(3000);
  private static final String REFUSAL =
      "554 5.7.3 TLS not available" + ESCAPES + " level=INFO msg=forged " + "B".repeat(3000);

  @Test
  void serverTextReachesStatusEventsLogsAndMetricsCleanedAndCapped() throws Exception {
    TestingCrd.install(client);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(logs);
    MailTlsMetrics metrics = MailTlsMetrics.withJvmMetrics();
    try (ServerSocket hostile = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        MailTlsOperator operator =
            MailTlsOperator.start(
                client, TestingPolicies.operatorConfig(null, Duration.ofSeconds(5)), metrics)) {
      Thread.ofVirtual().start(() -> serve(hostile));
      String target = "smtp://127.0.0.1:" + hostile.getLocalPort();
      TestingPolicies.create(client, "hostile", target, "5s");

      MailEndpointPolicyStatus status =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () -> TestingPolicies.status(client, "hostile"),
                  s -> s != null && s.summary() != null);
      EndpointStatus endpoint = status.endpoints().getFirst();
      assertThat(endpoint.verdict()).isEqualTo("StartTLSMissing");
      assertThat(endpoint.failure()).isEqualTo("StartTLSRefused");
      assertThat(endpoint.serverSoftware()).isEqualTo("Postfix");
      // What the server said is still there to read, without its escapes.
      assertThat(endpoint.message())
          .contains("554 5.7.3 TLS not available[2J]0;owned level=INFO msg=forged BBB");
      assertClean(endpoint.message(), 1_024);
      status.conditions().forEach(c -> assertClean(c.getMessage(), 1_024));
      // JSON would escape a control character rather than show it: look for the escapes.
      assertThat(Serialization.asJson(status)).doesNotContain("\\u00");

      List<Event> events =
          await()
              .atMost(Duration.ofSeconds(10))
              .until(
                  () -> client.v1().events().inNamespace("mail").list().getItems(),
                  e -> !e.isEmpty());
      assertThat(events).hasSize(1);
      assertThat(events.getFirst().getMessage()).contains("554 5.7.3 TLS not available");
      assertClean(events.getFirst().getMessage(), 1_024);

      List<String> series =
          metrics.scrape().lines().filter(l -> l.contains("endpoint=\"" + target)).toList();
      assertThat(series).isNotEmpty();
      series.forEach(line -> assertClean(line, 1_024));

      List<String> logLines = logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
      assertThat(logLines).anyMatch(line -> line.contains("StartTLSMissing"));
      logLines.forEach(line -> assertClean(line, 4_096));
    } finally {
      root.detachAppender(logs);
    }
  }

  /** No control or invisible format character anywhere, and no run of server text over the cap. */
  private static void assertClean(String text, int maxLength) {
    ServerTextAssertions.assertNoHiddenCharacters(text);
    assertThat(text).doesNotContain("A".repeat(300)).doesNotContain("B".repeat(300));
    assertThat(text.length()).isLessThanOrEqualTo(maxLength);
  }

  /** Every connection: the hostile banner, STARTTLS offered, then refused with hostile text. */
  private static void serve(ServerSocket server) {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        Thread.ofVirtual()
            .start(
                () -> {
                  try (socket) {
                    OutputStream out = socket.getOutputStream();
                    BufferedReader in =
                        new BufferedReader(
                            new InputStreamReader(
                                socket.getInputStream(), StandardCharsets.ISO_8859_1));
                    send(out, GREETING);
                    in.readLine(); // EHLO
                    send(out, "250-mx.evil.test\r\n250 STARTTLS");
                    in.readLine(); // STARTTLS
                    send(out, REFUSAL);
                  } catch (IOException ignored) {
                    // the prober hung up
                  }
                });
      } catch (IOException closed) {
        return;
      }
    }
  }

  private static void send(OutputStream out, String text) throws IOException {
    out.write((text + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }
}
