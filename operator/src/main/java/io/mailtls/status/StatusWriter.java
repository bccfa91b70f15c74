package io.mailtls.status;

import io.mailtls.api.MailEndpointPolicyStatus;

/** Where a policy's status is kept: the API server, or memory in the standalone mode. */
@FunctionalInterface
public interface StatusWriter {
  /**
   * Stores {@code status}; throws when it could not be stored and may be tried again.
   *
   * @return false when the policy no longer exists
   */
  boolean write(MailEndpointPolicyStatus status);
}
