package io.mailtls.status;

import io.mailtls.api.MailEndpointPolicyStatus;
import io.mailtls.metrics.MailTlsMetrics;
import io.mailtls.policy.RoundResult;
import io.mailtls.policy.StatusChange;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where "this policy's status is now X" happens, in this order: the status is written
 * (API server or memory), then the metrics show it, then verdict changes are logged and published.
 * Nothing is shown that was not written, so /metrics never runs ahead of the status.
 */
public final class StatusRecorder {
  private static final Logger log = LoggerFactory.getLogger(StatusRecorder.class);

  private final MailTlsMetrics metrics;
  private final VerdictChangeNotifier notifier;

  public StatusRecorder(MailTlsMetrics metrics, VerdictChangeNotifier notifier) {
    this.metrics = metrics;
    this.notifier = notifier;
  }

  /**
   * Records a round's result for a policy whose stored status is {@code previous}. A status equal
   * to the stored one is not written again. Throws what the writer throws, before anything is
   * shown, so that the caller can keep the result and record it again.
   *
   * @return false when the policy no longer exists (nothing was shown)
   */
  public boolean record(
      PolicyRef policy,
      MailEndpointPolicyStatus previous,
      RoundResult result,
      StatusWriter<MailEndpointPolicyStatus> writer) {
    MailEndpointPolicyStatus status = result.status();
    if (status != null && !Objects.equals(previous, status) && !writer.write(status)) {
      log.debug("{} was deleted while it was probed", policy);
      return false;
    }
    metrics.show(policy.namespace(), policy.name(), result.interval(), status);
    if (result instanceof RoundResult.Probed probed) {
      metrics.recordRound(probed.outcomes());
      logRound(policy, status);
      List<StatusChange> changes = StatusChange.between(previous, status);
      changes.forEach(change -> change.log(log, policy.namespace(), policy.name()));
      notifier.publish(policy, changes);
    }
    return true;
  }

  /** A deleted policy: its series go. */
  public void forget(PolicyRef policy) {
    metrics.remove(policy.namespace(), policy.name());
  }

  private static void logRound(PolicyRef policy, MailEndpointPolicyStatus status) {
    log.atInfo()
        .addKeyValue("namespace", policy.namespace())
        .addKeyValue("policy", policy.name())
        .log(
            "probed {} endpoints: {} compliant, {} non-compliant, {} unreachable",
            status.summary().total(),
            status.summary().compliant(),
            status.summary().nonCompliant(),
            status.summary().unreachable());
  }
}
