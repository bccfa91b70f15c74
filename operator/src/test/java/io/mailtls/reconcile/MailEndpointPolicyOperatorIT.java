package io.mailtls.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.mailtls.api.AddressStatus;
import io.mailtls.api.EndpointSpec;
import io.mailtls.api.EndpointStatus;
import io.mailtls.api.MailEndpointPolicy;
import io.mailtls.api.MailEndpointPolicySpec;
import io.mailtls.api.MailEndpointPolicyStatus;
import io.mailtls.api.MinimumVersion;
import io.mailtls.api.StatusSummary;
import io.mailtls.metrics.MailTlsMetrics;
import io.mailtls.probe.ProbeSettings;
import io.mailtls.probe.Testbed;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * JOSDK's Operator, in process, against Fabric8's mock API server in CRUD mode (the only stand-in:
 * no kube-apiserver binary can be had here), with the generated CRD created in it first, and
 * policies pointing at the real loopback mail servers of the testbed.
 */
@ExtendWith(Testbed.class)
@EnableKubernetesMockClient(crud = true)
class MailEndpointPolicyOperatorIT {
  private static final String NS = "mail";

  static KubernetesClient client;
  private static MailTlsOperator operator;
  private static final MailTlsMetrics metrics = MailTlsMetrics.withJvmMetrics();
  private static final ListAppender<ILoggingEvent> logs = new ListAppender<>();

  @BeforeAll
  static void startOperator() throws Exception {
    TestingCrd.install(client);
    logs.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    operator =
        MailTlsOperator.start(
            client,
            new MailTlsOperator.Config(
                Set.of(),
                null,
                "operator-it",
                4,
                Duration.ofSeconds(10),
                ProbeSettings.defaults()
                    .withTimeout(Duration.ofSeconds(5))
                    .withCaFile(Testbed.caFile())
                    .withDnsServer(new InetSocketAddress("127.0.0.1", 24053))),
            metrics);
  }

  @AfterAll
  static void stopOperator() {
    operator.close();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
  }

  @Test
  void aCompliantPolicyGetsExactStatusAndNoEvents() {
    create(
        "modern",
        spec(
            List.of(
                new EndpointSpec("smtp://127.0.0.1:24025", "mail.test.local"),
                new EndpointSpec("imaps://127.0.0.1:24993", "mail.test.local")),
            MinimumVersion.TLS_1_2,
            false));

    MailEndpointPolicyStatus status = awaitStatus("modern", s -> generationSeen(s, 1));

    assertThat(status.summary()).isEqualTo(new StatusSummary(2, 2, 0, 0));
    assertThat(status.endpoints())
        .extracting(
            EndpointStatus::target,
            EndpointStatus::acceptedVersions,
            EndpointStatus::bestVersion,
            EndpointStatus::verdict,
            EndpointStatus::serverSoftware)
        .containsExactly(
            tuple(
                "smtp://127.0.0.1:24025",
                List.of("TLSv1.2", "TLSv1.3"),
                "TLSv1.3",
                "Compliant",
                "Postfix"),
            tuple(
                "imaps://127.0.0.1:24993",
                List.of("TLSv1.2", "TLSv1.3"),
                "TLSv1.3",
                "Compliant",
                "Dovecot"));
    assertThat(status.endpoints()).allSatisfy(e -> assertThat(e.certificateNotAfter()).isNotNull());
    assertCondition(status, "Ready", "True", "ProbeRoundCompleted", 1);
    assertCondition(status, "Compliant", "True", "Compliant", 1);
    assertThat(status.condition("Compliant").getMessage())
        .isEqualTo("all 2 endpoints meet the policy");
    assertThat(events("modern")).isEmpty();
  }

  @Test
  void aMailDomainAndANameWithSeveralAddresses() {
    create(
        "domains",
        spec(
            List.of(
                new EndpointSpec("mx://mail.test.local:24030"),
                new EndpointSpec("smtp://pool.test.local:24030"),
                new EndpointSpec("mx://nullmx.test.local")),
            MinimumVersion.TLS_1_2,
            false));

    MailEndpointPolicyStatus status = awaitStatus("domains", s -> generationSeen(s, 1));

    assertThat(status.endpoints())
        .extracting(
            EndpointStatus::target,
            EndpointStatus::domain,
            EndpointStatus::mxPreference,
            EndpointStatus::acceptedVersions,
            EndpointStatus::verdict)
        .containsExactly(
            tuple(
                "smtp://mx1.test.local:24030",
                "mail.test.local",
                10,
                List.of("TLSv1.2", "TLSv1.3"),
                "Compliant"),
            tuple(
                "smtp://mx2.test.local:24030",
                "mail.test.local",
                20,
                List.of("TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"),
                "DeprecatedTLSAccepted"),
            tuple(
                "smtp://pool.test.local:24030",
                null,
                null,
                List.of("TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"),
                "DeprecatedTLSAccepted"),
            tuple("mx://nullmx.test.local", "nullmx.test.local", null, List.of(), "NullMX"));
    assertThat(status.endpoints().get(2).addresses())
        .containsExactly(
            new AddressStatus("127.0.0.2", "Compliant", List.of("TLSv1.2", "TLSv1.3"), null),
            new AddressStatus(
                "127.0.0.3",
                "DeprecatedTLSAccepted",
                List.of("TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"),
                null),
            new AddressStatus("::1", "Compliant", List.of("TLSv1.2", "TLSv1.3"), null));
    assertThat(status.endpoints().get(2).message()).startsWith("at 127.0.0.3 (the worst of 3");
    assertThat(status.summary()).isEqualTo(new StatusSummary(4, 2, 2, 0));
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(metrics.scrape())
                    .contains(
                        "mailtls_endpoint_address_info{address=\"::1\","
                            + "endpoint=\"smtp://pool.test.local:24030\",namespace=\"mail\","
                            + "policy=\"domains\",protocol=\"smtp\",verdict=\"Compliant\"} 1")
                    .contains(
                        "mailtls_endpoint_compliant{endpoint=\"mx://nullmx.test.local\","
                            + "namespace=\"mail\",policy=\"domains\",protocol=\"smtp\"} 1.0")
                    .containsPattern(
                        "mailtls_endpoint_info\\{best_version=\"TLSv1.3\",domain=\"mail.test.local\","
                            + "endpoint=\"smtp://mx2.test.local:24030\",[^}]*verdict=\"DeprecatedTLSAccepted\"\\} 1"));
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(events("domains"))
                    .extracting(Event::getType, Event::getReason)
                    .containsExactlyInAnyOrder(
                        tuple("Warning", "DeprecatedTLSAccepted"),
                        tuple("Warning", "DeprecatedTLSAccepted")));
  }

  @Test
  void everyKindOfFailureIsAResultWithItsReasonAndOneWarningEach() {
    create(
        "legacy",
        spec(
            List.of(
                new EndpointSpec("smtp://127.0.0.1:24026"),
                new EndpointSpec("smtps://127.0.0.1:24466"),
                new EndpointSpec("smtp://127.0.0.1:24027"),
                new EndpointSpec("smtp://127.0.0.1:24999")),
            MinimumVersion.TLS_1_2,
            false));

    MailEndpointPolicyStatus status = awaitStatus("legacy", s -> generationSeen(s, 1));

    assertThat(status.summary()).isEqualTo(new StatusSummary(4, 0, 3, 1));
    assertThat(status.endpoints())
        .extracting(
            EndpointStatus::target,
            EndpointStatus::acceptedVersions,
            EndpointStatus::verdict,
            EndpointStatus::failure)
        .containsExactly(
            tuple(
                "smtp://127.0.0.1:24026",
                List.of("TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"),
                "DeprecatedTLSAccepted",
                null),
            tuple("smtps://127.0.0.1:24466", List.of("TLSv1.0"), "NoModernTLS", null),
            tuple("smtp://127.0.0.1:24027", List.of(), "StartTLSMissing", "StartTLSNotAdvertised"),
            tuple("smtp://127.0.0.1:24999", List.of(), "Unreachable", "ConnectionRefused"));
    assertThat(status.endpoints().getFirst().remediation()).contains("smtpd_tls_protocols");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(metrics.scrape())
                    .contains(
                        "mailtls_endpoint_tls_version_accepted{endpoint=\"smtp://127.0.0.1:24026\","
                            + "namespace=\"mail\",policy=\"legacy\",protocol=\"smtp\",tls_version=\"TLSv1.0\"} 1.0")
                    .contains(
                        "mailtls_endpoint_up{endpoint=\"smtp://127.0.0.1:24999\","
                            + "namespace=\"mail\",policy=\"legacy\",protocol=\"smtp\"} 0.0"));
    assertCondition(status, "Compliant", "False", "NoModernTLS", 1);
    assertThat(status.condition("Compliant").getMessage())
        .isEqualTo(
            "NoModernTLS: smtps://127.0.0.1:24466 (TLSv1.0);"
                + " StartTLSMissing: smtp://127.0.0.1:24027;"
                + " DeprecatedTLSAccepted: smtp://127.0.0.1:24026 (TLSv1.0, TLSv1.1, TLSv1.2, TLSv1.3);"
                + " Unreachable: smtp://127.0.0.1:24999");

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(events("legacy"))
                    .extracting(Event::getType, Event::getReason)
                    .containsExactlyInAnyOrder(
                        tuple("Warning", "DeprecatedTLSAccepted"),
                        tuple("Warning", "NoModernTLS"),
                        tuple("Warning", "StartTLSMissing"),
                        tuple("Warning", "Unreachable")));
    assertThat(events("legacy"))
        .filteredOn(e -> e.getReason().equals("NoModernTLS"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getMessage())
                  .startsWith("smtps://127.0.0.1:24466 is NoModernTLS: accepts only TLSv1.0");
              assertThat(e.getInvolvedObject().getKind()).isEqualTo("MailEndpointPolicy");
              assertThat(e.getInvolvedObject().getName()).isEqualTo("legacy");
            });
  }

  @Test
  void specEditsReprobeAtOnceAndOnlyVerdictChangesMakeEvents() {
    create(
        "edited",
        spec(List.of(new EndpointSpec("smtp://127.0.0.1:24025")), MinimumVersion.TLS_1_2, false));
    MailEndpointPolicyStatus first = awaitStatus("edited", s -> generationSeen(s, 1));
    assertCondition(first, "Compliant", "True", "Compliant", 1);

    // TLS 1.3 minimum: the server's TLS 1.2 is now deprecated.
    edit("edited", p -> withSpec(p, spec(p.getSpec().endpoints(), MinimumVersion.TLS_1_3, false)));
    MailEndpointPolicyStatus stricter = awaitStatus("edited", s -> generationSeen(s, 2));
    assertCondition(stricter, "Compliant", "False", "DeprecatedTLSAccepted", 2);
    assertThat(stricter.condition("Compliant").getLastTransitionTime())
        .isGreaterThanOrEqualTo(first.condition("Compliant").getLastTransitionTime());
    assertThat(stricter.condition("Ready").getLastTransitionTime())
        .isEqualTo(first.condition("Ready").getLastTransitionTime());
    // The write replaces the lists: one entry per endpoint, one condition per type.
    assertThat(stricter.endpoints()).hasSize(1);
    assertThat(stricter.conditions())
        .extracting(Condition::getType)
        .containsExactly("Ready", "Compliant");

    // A change that keeps the verdict: a new round, no new Event.
    edit(
        "edited",
        p ->
            withSpec(
                p,
                new MailEndpointPolicySpec(
                    p.getSpec().endpoints(), MinimumVersion.TLS_1_3, null, null, "4s", false)));
    MailEndpointPolicyStatus same = awaitStatus("edited", s -> generationSeen(s, 3));
    assertCondition(same, "Compliant", "False", "DeprecatedTLSAccepted", 3);
    assertThat(same.condition("Compliant").getLastTransitionTime())
        .isEqualTo(stricter.condition("Compliant").getLastTransitionTime());

    edit("edited", p -> withSpec(p, spec(p.getSpec().endpoints(), MinimumVersion.TLS_1_2, false)));
    awaitStatus("edited", s -> generationSeen(s, 4));

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(events("edited"))
                    .extracting(Event::getType, Event::getReason)
                    .containsExactlyInAnyOrder(
                        tuple("Warning", "DeprecatedTLSAccepted"), tuple("Normal", "Compliant")));
  }

  @Test
  void suspendStopsProbingAndSaysSoInReady() {
    create(
        "paused",
        spec(List.of(new EndpointSpec("smtp://127.0.0.1:24025")), MinimumVersion.TLS_1_2, false));
    MailEndpointPolicyStatus probed = awaitStatus("paused", s -> generationSeen(s, 1));

    edit("paused", p -> withSpec(p, spec(p.getSpec().endpoints(), MinimumVersion.TLS_1_3, true)));
    MailEndpointPolicyStatus suspended = awaitStatus("paused", s -> generationSeen(s, 2));

    assertCondition(suspended, "Ready", "False", "Suspended", 2);
    // Not probed against the new minimum: the last round's results and verdict stay.
    assertThat(suspended.lastProbeTime()).isEqualTo(probed.lastProbeTime());
    assertThat(suspended.endpoints()).isEqualTo(probed.endpoints());
    assertCondition(suspended, "Compliant", "True", "Compliant", 1);
  }

  @Test
  void printerColumnsResolveOnARealStatus() throws Exception {
    create(
        "columns",
        spec(List.of(new EndpointSpec("smtp://127.0.0.1:24026")), MinimumVersion.TLS_1_2, false));
    awaitStatus("columns", s -> generationSeen(s, 1));

    CustomResourceDefinition crd =
        client
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .withName("mailendpointpolicies.mailtls.io")
            .get();
    JsonNode policy = new ObjectMapper().valueToTree(policy("columns").get());
    List<CustomResourceColumnDefinition> columns =
        crd.getSpec().getVersions().getFirst().getAdditionalPrinterColumns();
    assertThat(columns)
        .extracting(CustomResourceColumnDefinition::getName)
        .containsExactly(
            "Compliant",
            "Endpoints",
            "Non-compliant",
            "Unreachable",
            "Reason",
            "Ready",
            "Last probe",
            "Age");
    for (CustomResourceColumnDefinition column : columns) {
      JsonNode value = resolve(policy, column.getJsonPath());
      assertThat(value.isMissingNode()).as(column.getName()).isFalse();
      if (column.getType().equals("integer")) {
        assertThat(value.isInt()).as(column.getName()).isTrue();
      }
    }
    assertThat(resolve(policy, columns.get(0).getJsonPath()).asText()).isEqualTo("False");
    assertThat(resolve(policy, columns.get(4).getJsonPath()).asText())
        .isEqualTo("DeprecatedTLSAccepted");
    assertThat(resolve(policy, columns.get(5).getJsonPath()).asText()).isEqualTo("True");
    assertThat(policy.at("/status/summary/nonCompliant").asInt()).isEqualTo(1);
  }

  /**
   * The value kubectl shows for a column: a plain path, or a condition picked by type as in {@code
   * .status.conditions[?(@.type=="Compliant")].status}.
   */
  private static JsonNode resolve(JsonNode object, String jsonPath) {
    java.util.regex.Matcher byType =
        java.util.regex.Pattern.compile("(.*)\\[\\?\\(@\\.type==\"([^\"]+)\"\\)\\]\\.(\\w+)")
            .matcher(jsonPath);
    if (!byType.matches()) {
      return object.at(jsonPath.replace('.', '/'));
    }
    for (JsonNode item : object.at(byType.group(1).replace('.', '/'))) {
      if (item.path("type").asText().equals(byType.group(2))) {
        return item.path(byType.group(3));
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  @Test
  void deletingAPolicyRemovesItsSeriesAtOnce() {
    create(
        "removed",
        spec(List.of(new EndpointSpec("smtp://127.0.0.1:24025")), MinimumVersion.TLS_1_2, false));
    awaitStatus("removed", s -> generationSeen(s, 1));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> metrics.scrape().contains("policy=\"removed\""));
    policy("removed").delete();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !metrics.scrape().contains("policy=\"removed\""));
  }

  @Test
  void deletingAPolicyWhileItIsProbedLeavesNoErrorAndNoStrayWork() throws Exception {
    logs.list.clear();
    // A peer that holds the connection without a word: the round lasts until the timeout.
    try (var silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      create(
          "doomed",
          new MailEndpointPolicySpec(
              List.of(new EndpointSpec("smtp://127.0.0.1:" + silent.getLocalPort())),
              null,
              null,
              null,
              "2s",
              false));
      await().atMost(Duration.ofSeconds(5)).until(() -> !silent.isClosed() && accepted(silent));
      policy("doomed").delete();
      await().atMost(Duration.ofSeconds(5)).until(() -> policy("doomed").get() == null);
      Thread.sleep(3_000); // the round ends (2s timeout) and finds its policy gone
    }
    assertThat(events("doomed")).isEmpty();
    assertThat(logs.list)
        .filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
        .extracting(ILoggingEvent::getFormattedMessage)
        .isEmpty();
  }

  private static boolean accepted(java.net.ServerSocket socket) throws java.io.IOException {
    socket.setSoTimeout(100);
    try {
      socket.accept();
      return true;
    } catch (java.net.SocketTimeoutException e) {
      return false;
    }
  }

  private static MailEndpointPolicySpec spec(
      List<EndpointSpec> endpoints, MinimumVersion minimum, boolean suspend) {
    return new MailEndpointPolicySpec(endpoints, minimum, null, null, "5s", suspend);
  }

  private static void create(String name, MailEndpointPolicySpec spec) {
    MailEndpointPolicy policy = new MailEndpointPolicy();
    policy.getMetadata().setName(name);
    policy.getMetadata().setNamespace(NS);
    policy.setSpec(spec);
    client.resource(policy).create();
  }

  private static MailEndpointPolicy withSpec(
      MailEndpointPolicy policy, MailEndpointPolicySpec spec) {
    policy.setSpec(spec);
    return policy;
  }

  private static void edit(String name, UnaryOperator<MailEndpointPolicy> change) {
    policy(name).edit(change);
  }

  private static Resource<MailEndpointPolicy> policy(String name) {
    return client.resources(MailEndpointPolicy.class).inNamespace(NS).withName(name);
  }

  private static boolean generationSeen(MailEndpointPolicyStatus status, long generation) {
    return status.observedGeneration() != null && status.observedGeneration() == generation;
  }

  private static MailEndpointPolicyStatus awaitStatus(
      String name, Predicate<MailEndpointPolicyStatus> done) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              MailEndpointPolicy p = policy(name).get();
              return p == null ? null : p.getStatus();
            },
            s -> s != null && done.test(s));
  }

  private static List<Event> events(String policy) {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> e.getInvolvedObject().getName().equals(policy))
        .toList();
  }

  private static void assertCondition(
      MailEndpointPolicyStatus status, String type, String value, String reason, long generation) {
    Condition condition = status.condition(type);
    assertThat(condition).as(type).isNotNull();
    assertThat(condition.getStatus()).as(type + " status").isEqualTo(value);
    assertThat(condition.getReason()).as(type + " reason").isEqualTo(reason);
    assertThat(condition.getObservedGeneration())
        .as(type + " observedGeneration")
        .isEqualTo(generation);
  }
}
