package io.mailtls.policy;

import io.mailtls.api.MailSenderPolicySpec;
import io.mailtls.api.MailSenderPolicyStatus;
import io.mailtls.receiver.SessionLog;
import io.mailtls.sender.KnownSenders;
import java.time.Clock;
import java.time.Instant;

/**
 * Evaluates one MailSenderPolicy against the test receiver's sessions: the same step in the
 * operator's reconciler and in {@code mailtls receive}. It also keeps {@link KnownSenders} current,
 * so that sessions can be counted as expected or not.
 */
public final class SenderPolicyCheck {
  private final SessionLog sessions;
  private final KnownSenders known;
  private final String receiver;
  private final Clock clock;

  /**
   * @param receiver how the receiver is described in the Ready condition (address and mode)
   */
  public SenderPolicyCheck(SessionLog sessions, KnownSenders known, String receiver, Clock clock) {
    this.sessions = sessions;
    this.known = known;
    this.receiver = receiver;
    this.clock = clock;
  }

  public MailSenderPolicyStatus evaluate(
      String policyKey,
      MailSenderPolicySpec spec,
      long generation,
      MailSenderPolicyStatus previous) {
    return evaluate(policyKey, spec, generation, previous, null);
  }

  /**
   * @param receiverProblem something about the receiver people must know (senders may not reach
   *     it), said in the Ready condition; or null
   */
  public MailSenderPolicyStatus evaluate(
      String policyKey,
      MailSenderPolicySpec spec,
      long generation,
      MailSenderPolicyStatus previous,
      String receiverProblem) {
    Instant now = clock.instant();
    try {
      SenderPolicyRequest request = SenderPolicyRequest.from(spec);
      known.put(policyKey, request.senders());
      return SenderStatusBuilder.evaluated(
          previous,
          generation,
          request.assess(sessions.history(), now),
          request.requirements().maxAge(),
          receiverProblem == null ? receiver : receiver + "; " + receiverProblem,
          now);
    } catch (InvalidPolicyException e) {
      known.remove(policyKey);
      return SenderStatusBuilder.invalid(previous, generation, e.getMessage(), now);
    }
  }

  /** A deleted policy: its senders are strangers from now on. */
  public void forget(String policyKey) {
    known.remove(policyKey);
  }
}
