package io.mailtls.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.config.Cloner;
import io.mailtls.api.MailEndpointPolicy;

/**
 * JOSDK's copy of a cached resource (through JSON), except that a policy whose stored spec could
 * not be read keeps that spec object: its mark says why, and JSON has no place for it.
 */
final class PolicyCloner implements Cloner {
  private final KubernetesSerialization serialization;

  PolicyCloner(KubernetesSerialization serialization) {
    this.serialization = serialization;
  }

  @Override
  public <R extends HasMetadata> R clone(R object) {
    R copy = serialization.clone(object);
    if (object instanceof MailEndpointPolicy original
        && copy instanceof MailEndpointPolicy policy
        && original.getSpec() != null
        && original.getSpec().unreadable() != null) {
      policy.setSpec(original.getSpec()); // a record: sharing it is safe
    }
    return copy;
  }
}
