package io.mailtls.reconcile;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.mailtls.api.MailEndpointPolicy;
import io.mailtls.policy.StatusChange;
import io.mailtls.status.PolicyRef;
import io.mailtls.status.VerdictChangeNotifier;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events for verdict changes (Warning when an endpoint becomes non-compliant or
 * unreachable, Normal when it recovers) and for MX changes of a mail domain (Normal, MXChanged). An
 * Event that cannot be written is logged and dropped: it must never stop the status from being
 * written.
 */
final class PolicyEvents implements VerdictChangeNotifier {
  static final String COMPONENT = "mailtls-operator";
  private static final Logger log = LoggerFactory.getLogger(PolicyEvents.class);

  private final KubernetesClient client;
  private final String instance;
  private final Clock clock;
  private final Class<? extends HasMetadata> kind;

  PolicyEvents(KubernetesClient client, String instance, Clock clock) {
    this(client, instance, clock, MailEndpointPolicy.class);
  }

  /** Events about policies of {@code kind} (MailEndpointPolicy or MailSenderPolicy). */
  PolicyEvents(
      KubernetesClient client, String instance, Clock clock, Class<? extends HasMetadata> kind) {
    this.client = client;
    this.instance = instance;
    this.clock = clock;
    this.kind = kind;
  }

  @Override
  public void publish(PolicyRef policy, List<StatusChange> changes) {
    for (StatusChange change : changes) {
      try {
        client
            .v1()
            .events()
            .inNamespace(policy.namespace())
            .resource(event(policy, change))
            .create();
      } catch (KubernetesClientException e) {
        log.warn("could not record an Event for {}: {}", policy, e.getMessage());
      }
    }
  }

  private Event event(PolicyRef policy, StatusChange change) {
    Instant now = clock.instant();
    String timestamp = now.truncatedTo(ChronoUnit.SECONDS).toString();
    return new EventBuilder()
        .withNewMetadata()
        .withName(
            policy.name()
                + "."
                + Long.toHexString(now.toEpochMilli())
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000)))
        .withNamespace(policy.namespace())
        .endMetadata()
        .withNewInvolvedObject()
        .withApiVersion(HasMetadata.getApiVersion(kind))
        .withKind(HasMetadata.getKind(kind))
        .withName(policy.name())
        .withNamespace(policy.namespace())
        .withUid(policy.uid())
        .endInvolvedObject()
        .withType(change.isWarning() ? "Warning" : "Normal")
        .withReason(change.reason())
        .withMessage(change.message())
        .withFirstTimestamp(timestamp)
        .withLastTimestamp(timestamp)
        .withCount(1)
        .withNewSource()
        .withComponent(COMPONENT)
        .endSource()
        .withReportingComponent(COMPONENT)
        .withReportingInstance(instance)
        .build();
  }
}
