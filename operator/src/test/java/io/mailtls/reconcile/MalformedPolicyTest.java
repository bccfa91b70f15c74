package io.mailtls.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.mailtls.api.MailEndpointPolicyStatus;
import io.mailtls.metrics.MailTlsMetrics;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Objects a real API server might store but this version cannot read (after a CRD upgrade or
 * downgrade, or with validation off), on Fabric8's mock API server in CRUD mode, which stores them
 * as they are: each becomes InvalidSpec on itself, and the other policies carry on.
 */
@EnableKubernetesMockClient(crud = true)
class MalformedPolicyTest {
  static KubernetesClient client;

  @BeforeEach
  void createCrd() throws Exception {
    TestingCrd.install(client);
  }

  private static void store(String name, Map<String, Object> spec) {
    GenericKubernetesResource raw = new GenericKubernetesResource();
    raw.setApiVersion("mailtls.io/v1alpha1");
    raw.setKind("MailEndpointPolicy");
    raw.setMetadata(
        new ObjectMetaBuilder().withName(name).withNamespace(TestingPolicies.NAMESPACE).build());
    raw.setAdditionalProperty("spec", spec);
    client.resource(raw).create();
  }

  private static MailEndpointPolicyStatus awaitReady(String name) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> TestingPolicies.status(client, name),
            s -> s != null && s.condition("Ready") != null);
  }

  @Test
  void anUnreadablePolicyIsInvalidSpecAndTheOthersAreProbed() throws Exception {
    int closedPort = TestingPolicies.unusedLoopbackPort();
    String target = "smtp://127.0.0.1:" + closedPort;
    store(
        "old-enum",
        Map.of(
            "endpoints", java.util.List.of(Map.of("target", target)), "minimumVersion", "TLSv1.0"));
    store("wrong-type", Map.of("endpoints", "x"));
    store(
        "yes-string",
        Map.of("endpoints", java.util.List.of(Map.of("target", target)), "suspend", "yes"));
    store(
        "newer-field",
        Map.of("endpoints", java.util.List.of(Map.of("target", target)), "schedule", "5m"));
    try (MailTlsOperator operator =
        MailTlsOperator.start(
            client,
            TestingPolicies.operatorConfig(null, Duration.ofSeconds(5)),
            MailTlsMetrics.withJvmMetrics())) {
      TestingPolicies.create(client, "good", target, "2s");

      MailEndpointPolicyStatus good =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () -> TestingPolicies.status(client, "good"),
                  s -> s != null && s.summary() != null && s.summary().total() == 1);
      assertThat(good.endpoints().getFirst().failure()).isEqualTo("ConnectionRefused");
      for (String[] expected :
          new String[][] {
            {"old-enum", "spec.minimumVersion: cannot be read: "},
            {"wrong-type", "spec.endpoints: cannot be read: "},
            {"yes-string", "spec.suspend: cannot be read: "},
            {"newer-field", "spec.schedule: cannot be read: "}
          }) {
        MailEndpointPolicyStatus status = awaitReady(expected[0]);
        assertThat(status.condition("Ready").getStatus()).as(expected[0]).isEqualTo("False");
        assertThat(status.condition("Ready").getReason()).as(expected[0]).isEqualTo("InvalidSpec");
        assertThat(status.condition("Ready").getMessage()).as(expected[0]).startsWith(expected[1]);
        assertThat(status.condition("Compliant").getStatus()).isEqualTo("Unknown");
      }
      assertThat(operator.isLive()).isTrue();
      // The stored spec is untouched: the status write did not "repair" it.
      assertThat(
              client
                  .genericKubernetesResources("mailtls.io/v1alpha1", "MailEndpointPolicy")
                  .inNamespace(TestingPolicies.NAMESPACE)
                  .withName("old-enum")
                  .get()
                  .getAdditionalProperties()
                  .get("spec"))
          .isEqualTo(
              Map.of(
                  "endpoints",
                  java.util.List.of(Map.of("target", target)),
                  "minimumVersion",
                  "TLSv1.0"));
    }
  }
}
