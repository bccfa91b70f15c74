package io.mailtls.status;

/**
 * Where a policy's status is kept: the API server, or memory in the standalone mode. For both
 * kinds: {@code S} is MailEndpointPolicyStatus or MailSenderPolicyStatus.
 */
@FunctionalInterface
public interface StatusWriter<S> {
  /**
   * Stores {@code status}; throws when it could not be stored and may be tried again.
   *
   * @return false when the policy no longer exists
   */
  boolean write(S status);
}
