package io.mailtls.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.mailtls.api.EndpointStatus;
import io.mailtls.api.MailEndpointPolicy;
import io.mailtls.api.MailEndpointPolicyStatus;
import io.mailtls.api.StatusSummary;
import io.mailtls.http.HealthServer;
import io.mailtls.metrics.MailTlsMetrics;
import io.mailtls.probe.ProbeSettings;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator process's own duties, against Fabric8's mock API server in CRUD mode: leader
 * election through a Lease, health endpoints, and a shutdown bounded while probes hang.
 */
@EnableKubernetesMockClient(crud = true)
class MailTlsOperatorTest {
  static KubernetesClient client;
  static KubernetesMockServer server;

  @BeforeEach
  void createCrd() throws Exception {
    TestingCrd.install(client);
  }

  @Test
  void theLeaderHoldsTheLeaseAndReconciles() throws Exception {
    TestingPolicies.grantEverything(server);
    int closedPort = TestingPolicies.unusedLoopbackPort();
    KubernetesClient operatorClient =
        server.createClient(
            b -> b.editOrNewConfig().withUserAgent(OperatorApiCalls.USER_AGENT).endConfig());
    try (MailTlsOperator operator =
        MailTlsOperator.start(
            operatorClient,
            TestingPolicies.operatorConfig("mailtls-system", Duration.ofSeconds(5)),
            MailTlsMetrics.withJvmMetrics())) {
      TestingPolicies.create(client, "closed", "smtp://127.0.0.1:" + closedPort, "2s");

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                Lease lease =
                    client
                        .leases()
                        .inNamespace("mailtls-system")
                        .withName("mailtls-operator")
                        .get();
                assertThat(lease).isNotNull();
                assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("replica-1");
              });
      MailEndpointPolicyStatus status =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () -> TestingPolicies.status(client, "closed"),
                  s -> s != null && s.summary() != null && s.summary().total() == 1);
      assertThat(status.endpoints().getFirst().verdict()).isEqualTo("Unreachable");
      assertThat(status.endpoints().getFirst().failure()).isEqualTo("ConnectionRefused");
      assertThat(status.condition("Compliant").getReason()).isEqualTo("Unreachable");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> !client.v1().events().inNamespace("mail").list().getItems().isEmpty());
    }
    operatorClient.close();

    // Every call the operator made is one the chart grants (HelmChartTest checks the grants).
    Set<String> calls = new TreeSet<>();
    for (RecordedRequest r; (r = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null; ) {
      String call = OperatorApiCalls.of(r);
      if (OperatorApiCalls.USER_AGENT.equals(r.getHeaders().get("User-Agent")) && call != null) {
        calls.add(call);
      }
    }
    assertThat(calls)
        .contains(
            "mailtls.io mailendpointpolicies list",
            "mailtls.io mailendpointpolicies watch",
            "mailtls.io mailendpointpolicies/status patch",
            " events create",
            "coordination.k8s.io leases create");
    Set<String> granted = new HashSet<>(OperatorApiCalls.ON_POLICIES);
    granted.addAll(OperatorApiCalls.ON_LEASES);
    assertThat(granted).containsAll(calls);
  }

  @Test
  void aStandbyReplicaTakesOverWhenTheLeaderStops() throws Exception {
    TestingPolicies.grantEverything(server);
    int closedPort = TestingPolicies.unusedLoopbackPort();
    MailTlsOperator first = startReplica("replica-1");
    // The standby starts once the first holds the Lease, so which one leads is not a race.
    await().atMost(Duration.ofSeconds(30)).until(() -> "replica-1".equals(leaseHolder()));
    try (first;
        MailTlsOperator second = startReplica("replica-2")) {
      TestingPolicies.create(client, "before", "smtp://127.0.0.1:" + closedPort, "2s");
      assertThat(awaitEventReporter("before")).isEqualTo("replica-1");

      // The Lease is not released on stop: the standby takes it once it expires (3 s here).
      first.close();
      await().atMost(Duration.ofSeconds(60)).until(() -> "replica-2".equals(leaseHolder()));
      TestingPolicies.create(client, "after", "smtp://127.0.0.1:" + closedPort, "2s");
      assertThat(awaitEventReporter("after")).isEqualTo("replica-2");
      assertThat(TestingPolicies.status(client, "after").summary())
          .isEqualTo(new StatusSummary(1, 0, 0, 1));
    }
  }

  private static MailTlsOperator startReplica(String identity) {
    return MailTlsOperator.start(
        client,
        new MailTlsOperator.Config(
            Set.of(TestingPolicies.NAMESPACE),
            // Short: the hand-over waits for the Lease to run out.
            new MailTlsOperator.LeaderElection(
                "mailtls-handover", "mailtls-system", Duration.ofSeconds(3), Duration.ofSeconds(2)),
            identity,
            2,
            Duration.ofSeconds(5),
            ProbeSettings.defaults()),
        MailTlsMetrics.withJvmMetrics());
  }

  private static String leaseHolder() {
    Lease lease = client.leases().inNamespace("mailtls-system").withName("mailtls-handover").get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }

  /** The replica that reported the policy's first Event: the one that probed it. */
  private static String awaitEventReporter(String policy) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                client
                    .v1()
                    .events()
                    .inNamespace(TestingPolicies.NAMESPACE)
                    .list()
                    .getItems()
                    .stream()
                    .filter(e -> policy.equals(e.getInvolvedObject().getName()))
                    .map(Event::getReportingInstance)
                    .findFirst()
                    .orElse(null),
            Objects::nonNull);
  }

  @Test
  void aRestartedOperatorShowsTheLastStatusAsMetricsWithoutProbing() throws Exception {
    int closedPort = TestingPolicies.unusedLoopbackPort();
    String target = "smtp://127.0.0.1:" + closedPort;
    TestingPolicies.create(client, "restarted", target, "2s");
    // What the previous operator process wrote a minute ago: compliant, not yet due again.
    MailEndpointPolicy policy = client.resource(policy("restarted")).get();
    String probed = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS).toString();
    policy.setStatus(
        new MailEndpointPolicyStatus(
            1L,
            probed,
            new StatusSummary(1, 1, 0, 0),
            List.of(
                new EndpointStatus(
                    target,
                    null,
                    List.of("TLSv1.2", "TLSv1.3"),
                    null,
                    "TLSv1.3",
                    "Compliant",
                    "Compliant",
                    "accepts TLSv1.2, TLSv1.3",
                    null,
                    null,
                    "Postfix",
                    probed,
                    null,
                    null,
                    null)),
            List.of()));
    client.resource(policy).updateStatus();

    MailTlsMetrics metrics = MailTlsMetrics.withJvmMetrics();
    try (MailTlsOperator operator =
        MailTlsOperator.start(
            client, TestingPolicies.operatorConfig(null, Duration.ofSeconds(5)), metrics)) {
      String series =
          "{endpoint=\"" + target + "\",namespace=\"mail\",policy=\"restarted\",protocol=\"smtp\"}";
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> metrics.scrape().contains("mailtls_endpoint_compliant" + series + " 1.0"));
      assertThat(metrics.scrape())
          .contains("mailtls_endpoint_up" + series + " 1.0")
          .contains("mailtls_endpoint_last_probe_timestamp_seconds" + series);
      // Not probed: the closed port would have made it Unreachable.
      Thread.sleep(2_000);
      assertThat(TestingPolicies.status(client, "restarted").lastProbeTime()).isEqualTo(probed);
    }
  }

  @Test
  void healthEndpointsFollowTheOperator() throws Exception {
    try (MailTlsOperator operator =
            MailTlsOperator.start(
                client,
                TestingPolicies.operatorConfig(null, Duration.ofSeconds(5)),
                MailTlsMetrics.withJvmMetrics());
        HealthServer admin =
            HealthServer.start(new java.net.InetSocketAddress(0))
                .check("/healthz", operator::isLive)
                .check("/readyz", operator::isReady)) {
      assertThat(get(admin, "/healthz")).isEqualTo(200);
      assertThat(get(admin, "/readyz")).isEqualTo(200);
      operator.close();
      assertThat(get(admin, "/healthz")).isEqualTo(503);
      assertThat(get(admin, "/readyz")).isEqualTo(503);
    }
  }

  @Test
  void stoppingAbandonsAHangingProbeRoundWithinTheShutdownTimeout() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      MailTlsOperator operator =
          MailTlsOperator.start(
              client,
              TestingPolicies.operatorConfig(null, Duration.ofSeconds(1)),
              MailTlsMetrics.withJvmMetrics());
      // The peer never speaks: without a bound, the round would last the 60 s timeout.
      TestingPolicies.create(client, "hanging", "smtp://127.0.0.1:" + silent.getLocalPort(), "60s");
      silent.setSoTimeout(10_000);
      silent.accept().close();

      long start = System.nanoTime();
      operator.close();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    }
  }

  /** JOSDK asks which verbs it has before electing; the mock answers "everything". */
  private static MailEndpointPolicy policy(String name) {
    MailEndpointPolicy policy = new MailEndpointPolicy();
    policy.getMetadata().setName(name);
    policy.getMetadata().setNamespace("mail");
    return policy;
  }

  private static int get(HealthServer admin, String path) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.port() + path)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    }
  }
}
