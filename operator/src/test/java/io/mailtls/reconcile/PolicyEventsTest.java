package io.mailtls.reconcile;

import static io.mailtls.policy.PolicyStatusBuilderTest.refused;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.mailtls.api.MailEndpointPolicyStatus;
import io.mailtls.policy.PolicyStatusBuilder;
import io.mailtls.policy.StatusChange;
import io.mailtls.status.PolicyRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Events on Fabric8's mock API server (CRUD mode), stamped by the injected clock. */
@EnableKubernetesMockClient(crud = true)
class PolicyEventsTest {
  static KubernetesClient client;

  @Test
  void anEventCarriesTheClocksTimeAndNamesThePolicy() {
    Instant now = Instant.parse("2026-11-30T10:00:07.250Z");
    MailEndpointPolicyStatus status =
        PolicyStatusBuilder.probed(
            null, 1, List.of(refused("smtp://b.example:25")), now, Duration.ZERO);
    PolicyEvents events = new PolicyEvents(client, "replica-1", Clock.fixed(now, ZoneOffset.UTC));

    events.publish(new PolicyRef("mail", "edge", "uid-1"), StatusChange.between(null, status));

    List<Event> stored = client.v1().events().inNamespace("mail").list().getItems();
    assertThat(stored).hasSize(1);
    Event event = stored.getFirst();
    assertThat(event.getFirstTimestamp()).isEqualTo("2026-11-30T10:00:07Z");
    assertThat(event.getLastTimestamp()).isEqualTo("2026-11-30T10:00:07Z");
    assertThat(event.getMetadata().getName())
        .startsWith("edge." + Long.toHexString(now.toEpochMilli()));
    assertThat(event.getInvolvedObject().getKind()).isEqualTo("MailEndpointPolicy");
    assertThat(event.getInvolvedObject().getApiVersion()).isEqualTo("mailtls.io/v1alpha1");
    assertThat(event.getInvolvedObject().getUid()).isEqualTo("uid-1");
    assertThat(event.getType()).isEqualTo("Warning");
    assertThat(event.getReason()).isEqualTo("Unreachable");
    assertThat(event.getReportingInstance()).isEqualTo("replica-1");
  }
}
