package io.mailtls.reconcile;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.mailtls.api.MailEndpointPolicy;
import io.mailtls.policy.VerdictChange;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events for verdict changes: Warning when an endpoint becomes non-compliant or
 * unreachable, Normal when it recovers. An Event that cannot be written is logged and dropped: it
 * must never stop the status from being written.
 */
final class PolicyEvents {
  static final String COMPONENT = "mailtls-operator";
  private static final Logger log = LoggerFactory.getLogger(PolicyEvents.class);

  private final KubernetesClient client;
  private final String instance;

  PolicyEvents(KubernetesClient client, String instance) {
    this.client = client;
    this.instance = instance;
  }

  void publish(MailEndpointPolicy policy, List<VerdictChange> changes) {
    for (VerdictChange change : changes) {
      change.log(log, policy.getMetadata().getNamespace(), policy.getMetadata().getName());
      try {
        client
            .v1()
            .events()
            .inNamespace(policy.getMetadata().getNamespace())
            .resource(event(policy, change))
            .create();
      } catch (KubernetesClientException e) {
        log.warn(
            "could not record an Event for {}/{}: {}",
            policy.getMetadata().getNamespace(),
            policy.getMetadata().getName(),
            e.getMessage());
      }
    }
  }

  private Event event(MailEndpointPolicy policy, VerdictChange change) {
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    return new EventBuilder()
        .withNewMetadata()
        .withName(
            policy.getMetadata().getName()
                + "."
                + Long.toHexString(System.currentTimeMillis())
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000)))
        .withNamespace(policy.getMetadata().getNamespace())
        .endMetadata()
        .withNewInvolvedObject()
        .withApiVersion(policy.getApiVersion())
        .withKind(policy.getKind())
        .withName(policy.getMetadata().getName())
        .withNamespace(policy.getMetadata().getNamespace())
        .withUid(policy.getMetadata().getUid())
        .endInvolvedObject()
        .withType(change.isRecovery() ? "Normal" : "Warning")
        .withReason(change.now().verdict())
        .withMessage(change.message())
        .withFirstTimestamp(now)
        .withLastTimestamp(now)
        .withCount(1)
        .withNewSource()
        .withComponent(COMPONENT)
        .endSource()
        .withReportingComponent(COMPONENT)
        .withReportingInstance(instance)
        .build();
  }
}
