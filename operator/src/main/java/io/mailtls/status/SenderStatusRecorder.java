package io.mailtls.status;

import io.mailtls.api.MailSenderPolicyStatus;
import io.mailtls.metrics.MailTlsMetrics;
import io.mailtls.policy.StatusChange;
import io.mailtls.policy.VerdictChange;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link StatusRecorder}'s counterpart for MailSenderPolicies: the status is written, then the
 * metrics show it, then verdict changes are logged and published.
 */
public final class SenderStatusRecorder {
  private static final Logger log = LoggerFactory.getLogger(SenderStatusRecorder.class);

  private final MailTlsMetrics metrics;
  private final VerdictChangeNotifier notifier;

  public SenderStatusRecorder(MailTlsMetrics metrics, VerdictChangeNotifier notifier) {
    this.metrics = metrics;
    this.notifier = notifier;
  }

  /**
   * @return false when the policy no longer exists (nothing was shown)
   */
  public boolean record(
      PolicyRef policy,
      MailSenderPolicyStatus previous,
      MailSenderPolicyStatus status,
      StatusWriter<MailSenderPolicyStatus> writer) {
    if (!Objects.equals(previous, withoutTimes(previous, status)) && !writer.write(status)) {
      return false;
    }
    metrics.showSenders(policy.namespace(), policy.name(), status.senders());
    List<StatusChange> changes = List.copyOf(VerdictChange.between(previous, status));
    changes.forEach(change -> change.log(log, policy.namespace(), policy.name()));
    notifier.publish(policy, changes);
    return true;
  }

  public void forget(PolicyRef policy) {
    metrics.removeSenders(policy.namespace(), policy.name());
  }

  /**
   * The new status with the previous lastChangeTime, to compare with the previous status: an
   * evaluation that found the same is not worth a write every few seconds.
   */
  private static MailSenderPolicyStatus withoutTimes(
      MailSenderPolicyStatus previous, MailSenderPolicyStatus status) {
    if (previous == null) {
      return status;
    }
    return new MailSenderPolicyStatus(
        status.observedGeneration(),
        previous.lastChangeTime(),
        status.summary(),
        status.senders(),
        status.conditions());
  }
}
