package io.mailtls.reconcile;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import io.mailtls.api.MailSenderPolicy;
import io.mailtls.api.MailSenderPolicyStatus;
import io.mailtls.policy.SenderStatusBuilder;
import io.mailtls.status.PolicyRef;
import io.mailtls.status.SenderStatusRecorder;
import java.time.Clock;
import java.time.Duration;

/**
 * Evaluates a MailSenderPolicy against the test receiver's sessions and writes the verdicts into
 * its status; again every {@link #RECHECK}, so that new sessions show up and old ones age out. An
 * evaluation that finds the same writes nothing.
 */
@ControllerConfiguration(
    name = MailSenderPolicyReconciler.NAME,
    triggerReconcilerOnAllEvents = true)
@GradualRetry(
    maxAttempts = -1,
    initialInterval = 2_000,
    intervalMultiplier = 2,
    maxInterval = 300_000)
public class MailSenderPolicyReconciler implements Reconciler<MailSenderPolicy> {
  public static final String NAME = "mailsenderpolicy";
  static final Duration RECHECK = Duration.ofSeconds(5);

  private final ReceiverRuntime receiver;
  private final SenderStatusRecorder recorder;
  private final Clock clock;

  MailSenderPolicyReconciler(ReceiverRuntime receiver, SenderStatusRecorder recorder, Clock clock) {
    this.receiver = receiver;
    this.recorder = recorder;
    this.clock = clock;
  }

  @Override
  public UpdateControl<MailSenderPolicy> reconcile(
      MailSenderPolicy policy, Context<MailSenderPolicy> context) {
    PolicyRef ref =
        new PolicyRef(
            policy.getMetadata().getNamespace(),
            policy.getMetadata().getName(),
            policy.getMetadata().getUid());
    String key = ref.toString();
    if (context.isPrimaryResourceDeleted()) {
      receiver.check().forget(key);
      recorder.forget(ref);
      return UpdateControl.noUpdate();
    }
    long generation = policy.getMetadata().getGeneration();
    String failure = receiver.failure();
    MailSenderPolicyStatus next =
        failure != null
            ? SenderStatusBuilder.receiverNotRunning(
                policy.getStatus(), generation, failure, clock.instant())
            : receiver.check().evaluate(key, policy.getSpec(), generation, policy.getStatus());
    boolean written =
        recorder.record(
            ref,
            policy.getStatus(),
            next,
            status -> StatusPatch.write(policy, context, status, MailSenderPolicy::new));
    return written
        ? UpdateControl.<MailSenderPolicy>noUpdate().rescheduleAfter(RECHECK)
        : UpdateControl.noUpdate();
  }
}
