package io.mailtls.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.mailtls.api.MailEndpointPolicyStatus;
import io.mailtls.api.StatusSummary;
import io.mailtls.metrics.MailTlsMetrics;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator against a failing API: Fabric8's mock API server in CRUD mode behind {@link
 * FaultyApiServer}, which answers chosen requests with errors or too late, and closes watches. The
 * operator must retry with backoff, keep every probed round until it is written, never probe a mail
 * server again because of an API error, and keep serving the other policies.
 */
class ApiFaultsTest {
  private static final String POLICIES =
      "/apis/mailtls.io/v1alpha1/namespaces/mail/mailendpointpolicies/";

  private FaultyApiServer api;
  private KubernetesClient client;
  private KubernetesClient operatorClient;
  private MailTlsOperator operator;
  private ServerSocket mailPort;
  private final AtomicInteger mailConnections = new AtomicInteger();

  @BeforeEach
  void start() throws IOException {
    api = new FaultyApiServer();
    client = api.server().createClient();
    TestingCrd.install(client);
    // A short request timeout and few client-side retries, so that faults reach JOSDK quickly.
    operatorClient =
        api.server()
            .createClient(
                b ->
                    b.editOrNewConfig()
                        .withRequestTimeout(1_000)
                        .withRequestRetryBackoffLimit(1)
                        .endConfig());
    // A "mail server" that counts connections and hangs up: every probe of it is Unreachable.
    mailPort = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual()
        .start(
            () -> {
              while (!mailPort.isClosed()) {
                try (Socket ignored = mailPort.accept()) {
                  mailConnections.incrementAndGet();
                } catch (IOException closed) {
                  return;
                }
              }
            });
  }

  @AfterEach
  void stop() throws IOException {
    if (operator != null) {
      operator.close();
    }
    mailPort.close();
    operatorClient.close();
    client.close();
    api.server().destroy();
  }

  @Test
  void aStatusThatCannotBeWrittenIsRetriedUntilWrittenWithoutProbingAgain() throws Exception {
    api.fail("PATCH", POLICIES + "flaky/status", 500);
    api.fail("POST", "/api/v1/namespaces/mail/events", 503);
    operator = startOperator();
    createPolicy("flaky");
    await().atMost(Duration.ofSeconds(30)).until(() -> mailConnections.get() > 0);

    // While its writes fail, other policies are probed and written.
    createPolicy("steady");
    MailEndpointPolicyStatus steady = awaitStatus("steady");
    assertThat(steady.summary()).isEqualTo(new StatusSummary(1, 0, 0, 1));
    // JOSDK has retried the failed write (the first retry comes 2 s later) ...
    await().atMost(Duration.ofSeconds(30)).until(() -> api.faulted("flaky/status") >= 2);
    assertThat(TestingPolicies.status(client, "flaky")).isNull();
    int oneRoundEach = mailConnections.get();

    // The API recovers, with one last fault: the write lands but its answer comes too late, so the
    // retry meets a changed resourceVersion.
    api.heal();
    api.answerLate("PATCH", POLICIES + "flaky/status", Duration.ofSeconds(3));
    MailEndpointPolicyStatus flaky = awaitStatus("flaky");
    assertThat(flaky.summary()).isEqualTo(new StatusSummary(1, 0, 0, 1));
    assertThat(flaky.endpoints().getFirst().verdict()).isEqualTo("Unreachable");
    assertThat(flaky.condition("Compliant").getReason()).isEqualTo("Unreachable");
    // ... and the round probed before the faults is the one written: no second round, ever.
    Thread.sleep(3_000);
    assertThat(mailConnections.get()).isEqualTo(oneRoundEach);
    assertThat(TestingPolicies.status(client, "flaky").lastProbeTime())
        .isEqualTo(flaky.lastProbeTime());
  }

  @Test
  void aWatchClosedByTheServerIsReopenedAndNewPoliciesAreSeen() throws Exception {
    operator = startOperator();
    createPolicy("before");
    awaitStatus("before");
    int watches = api.watchRequests();

    // The server drops every watch, and refuses the next attempts for a while.
    api.fail("GET", "watch=true", 500);
    api.closeWatches();
    createPolicy("during");
    Thread.sleep(2_000);
    api.heal();

    assertThat(awaitStatus("during").summary()).isEqualTo(new StatusSummary(1, 0, 0, 1));
    assertThat(api.watchRequests()).isGreaterThan(watches);
    createPolicy("after");
    assertThat(awaitStatus("after").summary()).isEqualTo(new StatusSummary(1, 0, 0, 1));
  }

  private void createPolicy(String name) {
    TestingPolicies.create(client, name, "smtp://127.0.0.1:" + mailPort.getLocalPort(), "2s");
  }

  private MailTlsOperator startOperator() {
    return MailTlsOperator.start(
        operatorClient,
        TestingPolicies.operatorConfig(null, Duration.ofSeconds(5)),
        MailTlsMetrics.withJvmMetrics());
  }

  private MailEndpointPolicyStatus awaitStatus(String name) {
    return await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> TestingPolicies.status(client, name), s -> s != null && s.summary() != null);
  }
}
