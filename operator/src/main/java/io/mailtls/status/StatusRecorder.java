package io.mailtls.status;

import io.mailtls.api.MailEndpointPolicyStatus;
import io.mailtls.api.MailSenderPolicyStatus;
import io.mailtls.metrics.MailTlsMetrics;
import io.mailtls.policy.RoundResult;
import io.mailtls.policy.StatusChange;
import io.mailtls.policy.VerdictChange;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where "this policy's status is now X" happens, for MailEndpointPolicies and
 * MailSenderPolicies alike, in this order: the status is written (API server or memory), then the
 * metrics show it, then its changes are logged and published. Nothing is shown that was not
 * written, so /metrics never runs ahead of the status.
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
   * Records a round's result for a MailEndpointPolicy whose stored status is {@code previous}. A
   * status equal to the stored one is not written again. Throws what the writer throws, before
   * anything is shown, so that the caller can keep the result and record it again.
   *
   * @return false when the policy no longer exists (nothing was shown)
   */
  public boolean record(
      PolicyRef policy,
      MailEndpointPolicyStatus previous,
      RoundResult result,
      StatusWriter<MailEndpointPolicyStatus> writer) {
    MailEndpointPolicyStatus status = result.status();
    // A null or unchanged status is not written; only a probed round has changes to tell.
    boolean recorded =
        writeThenShowThenTell(
            policy,
            status != null && !Objects.equals(previous, status) ? status : null,
            writer,
            () -> showRound(policy, result),
            () ->
                result instanceof RoundResult.Probed
                    ? StatusChange.between(previous, status)
                    : List.of());
    if (!recorded) {
      log.debug("{} was deleted while it was probed", policy);
    }
    return recorded;
  }

  /**
   * Records a MailSenderPolicy's evaluation. A status that differs from the stored one only in its
   * lastChangeTime is not written again.
   *
   * @return false when the policy no longer exists (nothing was shown)
   */
  public boolean recordSenders(
      PolicyRef policy,
      MailSenderPolicyStatus previous,
      MailSenderPolicyStatus status,
      StatusWriter<MailSenderPolicyStatus> writer) {
    return writeThenShowThenTell(
        policy,
        Objects.equals(previous, withoutTimes(previous, status)) ? null : status,
        writer,
        () -> metrics.showSenders(policy.namespace(), policy.name(), status.senders()),
        () -> List.copyOf(VerdictChange.between(previous, status)));
  }

  /** A deleted MailEndpointPolicy: its series go. */
  public void forget(PolicyRef policy) {
    metrics.remove(policy.namespace(), policy.name());
  }

  /** A deleted MailSenderPolicy: its series go. */
  public void forgetSenders(PolicyRef policy) {
    metrics.removeSenders(policy.namespace(), policy.name());
  }

  /**
   * The order both kinds share: write, show, log each change, publish. The changes are worked out
   * only once the status is written; the notifier hears only of changes, never of an empty list.
   *
   * @param toWrite the status to write, or null when the stored one is still right
   * @return false when the writer found the policy gone: then nothing is shown or told
   */
  private <S> boolean writeThenShowThenTell(
      PolicyRef policy,
      S toWrite,
      StatusWriter<S> writer,
      Runnable show,
      Supplier<List<StatusChange>> changes) {
    if (toWrite != null && !writer.write(toWrite)) {
      return false;
    }
    show.run();
    List<StatusChange> news = changes.get();
    news.forEach(change -> change.log(log, policy.namespace(), policy.name()));
    if (!news.isEmpty()) {
      notifier.publish(policy, news);
    }
    return true;
  }

  /** The endpoint series; for a probed round also its outcomes and a log line. */
  private void showRound(PolicyRef policy, RoundResult result) {
    MailEndpointPolicyStatus status = result.status();
    metrics.show(policy.namespace(), policy.name(), result.interval(), status);
    if (result instanceof RoundResult.Probed probed) {
      metrics.recordRound(probed.outcomes());
      logRound(policy, status);
    }
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
