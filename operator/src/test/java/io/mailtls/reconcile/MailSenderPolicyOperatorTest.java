package io.mailtls.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.mailtls.api.MailSenderPolicy;
import io.mailtls.api.MailSenderPolicySpec;
import io.mailtls.api.MailSenderPolicyStatus;
import io.mailtls.api.SenderSpec;
import io.mailtls.api.SenderStatus;
import io.mailtls.metrics.MailTlsMetrics;
import io.mailtls.receiver.ReceiverCertificate;
import io.mailtls.receiver.ReceiverLimits;
import io.mailtls.receiver.ReceiverMode;
import io.mailtls.receiver.ReceiverSettings;
import io.mailtls.receiver.TestingSender;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator's sending side against Fabric8's mock API server in CRUD mode: the test receiver
 * runs in the operator, sessions become verdicts in a MailSenderPolicy's status, with Events and
 * metrics, and a restarted operator (whose receiver remembers nothing) loses no finding.
 */
@EnableKubernetesMockClient(crud = true)
class MailSenderPolicyOperatorTest {
  static KubernetesClient client;
  static KubernetesMockServer server;

  private static final ReceiverRuntime.Config RECEIVER =
      new ReceiverRuntime.Config(
          new ReceiverSettings(
              new InetSocketAddress("127.0.0.1", 0),
              "receiver.test",
              ReceiverMode.EXCHANGE_ONLINE,
              ReceiverLimits.defaults(),
              ReceiverCertificate.selfSigned("receiver.test")),
          null);

  @BeforeEach
  void createCrd() throws Exception {
    TestingCrd.install(client);
  }

  /** The mock server lives as long as the class: each test starts without policies or Events. */
  @AfterEach
  void deletePoliciesAndEvents() {
    client.resources(MailSenderPolicy.class).inNamespace(TestingPolicies.NAMESPACE).delete();
    client.v1().events().inNamespace(TestingPolicies.NAMESPACE).delete();
  }

  @Test
  void sessionsBecomeVerdictsEventsAndMetricsAndSurviveARestart() throws Exception {
    MailSenderPolicy policy = new MailSenderPolicy();
    policy.getMetadata().setName("onprem");
    policy.getMetadata().setNamespace(TestingPolicies.NAMESPACE);
    policy.setSpec(
        new MailSenderPolicySpec(
            List.of(
                new SenderSpec(
                    "exchange01",
                    List.of("127.0.0.1"),
                    List.of("legacy.sender.test"),
                    SenderSpec.Software.EXCHANGE,
                    null),
                new SenderSpec("postfix01", null, List.of("modern.sender.test"), null, true),
                new SenderSpec("branch", List.of("192.0.2.0/24"), null, null, null)),
            null,
            null,
            null));
    client.resource(policy).create();
    MailTlsMetrics metrics =
        new MailTlsMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));

    try (MailTlsOperator operator =
        MailTlsOperator.start(
            client,
            TestingPolicies.operatorConfig(null, Duration.ofSeconds(5)),
            metrics,
            RECEIVER)) {
      // The first evaluation: every sender NotSeen, and the receiver knows whom to expect.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> status(), s -> s != null && s.senders().size() == 3);
      int port = operator.receiverPort();
      try (TestingSender legacy = new TestingSender(port)) {
        legacy.reply();
        legacy.send("EHLO legacy.sender.test");
        legacy.send("STARTTLS");
        legacy.raw(TestingSender.legacyHello(0x0301));
        legacy.readToEnd(100);
      }
      try (TestingSender modern = new TestingSender(port)) {
        modern.reply();
        modern.send("EHLO modern.sender.test");
        modern.send("STARTTLS");
        modern.startTls("receiver.test", "TLSv1.3", "TLSv1.2");
        modern.send("EHLO modern.sender.test");
        modern.send("MAIL FROM:<admin@sender.test>");
        modern.send("RCPT TO:<probe@receiver.test>");
        assertThat(modern.send("DATA")).startsWith("554 5.7.0 mailtls test receiver:");
      }
      // A status within one recheck period of the sessions.
      MailSenderPolicyStatus status =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () -> status(),
                  s ->
                      s != null && s.summary().nonCompliant() == 1 && s.summary().compliant() == 1);
      assertThat(status.senders())
          .extracting(SenderStatus::name, SenderStatus::verdict, SenderStatus::ehloName)
          .containsExactly(
              tuple("exchange01", "OutdatedTLS", "legacy.sender.test"),
              tuple("postfix01", "Compliant", "modern.sender.test"),
              tuple("branch", "NotSeen", null));
      assertThat(status.condition("Compliant").getStatus()).isEqualTo("False");
      assertThat(status.condition("Compliant").getReason()).isEqualTo("OutdatedTLS");
      assertThat(status.condition("Ready").getReason()).isEqualTo("ReceiverRunning");
      assertThat(status.senders().get(0).remediation()).startsWith("Exchange/Windows: under HKLM");

      List<Event> events =
          await()
              .atMost(Duration.ofSeconds(10))
              .until(
                  () ->
                      client.v1().events().inNamespace(TestingPolicies.NAMESPACE).list().getItems(),
                  list -> list.size() >= 2);
      assertThat(events)
          .as(events.stream().map(Event::getMessage).toList().toString())
          .extracting(e -> e.getInvolvedObject().getKind(), Event::getType, Event::getReason)
          .containsExactlyInAnyOrder(
              tuple("MailSenderPolicy", "Warning", "OutdatedTLS"),
              tuple("MailSenderPolicy", "Normal", "Compliant"));
      assertThat(metrics.scrape())
          .contains(
              "mailtls_sender_compliant{namespace=\"mail\",policy=\"onprem\",sender=\"exchange01\"} 0.0",
              "mailtls_sender_compliant{namespace=\"mail\",policy=\"onprem\",sender=\"postfix01\"} 1.0",
              "mailtls_sender_sessions_total{expected=\"true\",outcome=\"VersionRefused\"} 1.0");
    }

    // A new operator process: its receiver has no sessions, the status keeps the findings.
    try (MailTlsOperator restarted =
        MailTlsOperator.start(
            client,
            TestingPolicies.operatorConfig(null, Duration.ofSeconds(5)),
            new MailTlsMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)),
            RECEIVER)) {
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(status().senders())
                      .extracting(SenderStatus::verdict)
                      .containsExactly("OutdatedTLS", "Compliant", "NotSeen"));
    }
  }

  @Test
  void aReceiverThatCannotListenIsReportedNotGuessed() throws Exception {
    MailSenderPolicy policy = new MailSenderPolicy();
    policy.getMetadata().setName("unheard");
    policy.getMetadata().setNamespace(TestingPolicies.NAMESPACE);
    policy.setSpec(
        new MailSenderPolicySpec(
            List.of(new SenderSpec("anyone", List.of("127.0.0.1"), null, null, null)),
            null,
            null,
            null));
    client.resource(policy).create();
    try (java.net.ServerSocket taken =
            new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        MailTlsOperator operator =
            MailTlsOperator.start(
                client,
                TestingPolicies.operatorConfig(null, Duration.ofSeconds(5)),
                new MailTlsMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)),
                new ReceiverRuntime.Config(
                    new ReceiverSettings(
                        new InetSocketAddress("127.0.0.1", taken.getLocalPort()),
                        "receiver.test",
                        ReceiverMode.EXCHANGE_ONLINE,
                        ReceiverLimits.defaults(),
                        RECEIVER.settings().certificate()),
                    null))) {
      MailSenderPolicyStatus status =
          await().atMost(Duration.ofSeconds(30)).until(() -> status("unheard"), s -> s != null);
      assertThat(status.condition("Ready").getReason()).isEqualTo("ReceiverNotRunning");
      assertThat(status.condition("Ready").getMessage())
          .startsWith("the test receiver cannot listen on /127.0.0.1:" + taken.getLocalPort());
      assertThat(status.condition("Compliant").getStatus()).isEqualTo("Unknown");
      assertThat(status.senders()).isNullOrEmpty();
    }
  }

  private static MailSenderPolicyStatus status() {
    return status("onprem");
  }

  private static MailSenderPolicyStatus status(String name) {
    MailSenderPolicy stored =
        client
            .resources(MailSenderPolicy.class)
            .inNamespace(TestingPolicies.NAMESPACE)
            .withName(name)
            .get();
    return stored == null ? null : stored.getStatus();
  }
}
