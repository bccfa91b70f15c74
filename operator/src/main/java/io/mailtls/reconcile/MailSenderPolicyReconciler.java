package io.mailtls.reconcile;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.mailtls.api.MailSenderPolicy;
import io.mailtls.api.MailSenderPolicyStatus;
import io.mailtls.policy.SenderStatusBuilder;
import io.mailtls.status.PolicyRef;
import io.mailtls.status.StatusRecorder;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Evaluates a MailSenderPolicy against the test receiver's sessions and writes the verdicts into
 * its status; again every {@link #RECHECK}, so that new sessions show up and old ones age out. An
 * evaluation that finds the same writes nothing.
 */
@ControllerConfiguration(
    name = MailSenderPolicyReconciler.NAME,
    triggerReconcilerOnAllEvents = true,
    retry = NeverGiveUpRetry.class)
public class MailSenderPolicyReconciler implements Reconciler<MailSenderPolicy> {
  public static final String NAME = "mailsenderpolicy";
  static final Duration RECHECK = Duration.ofSeconds(5);

  private final ReceiverRuntime receiver;
  private final StatusRecorder recorder;
  private final Clock clock;

  /**
   * The status this process last wrote, by policy. A reconcile triggered by our own write can see
   * the resource as it was before it (JOSDK hands over the event's copy); comparing with that would
   * report every verdict as new. After a restart the map is empty and the stored status counts.
   */
  private final Map<ResourceID, MailSenderPolicyStatus> written = new ConcurrentHashMap<>();

  MailSenderPolicyReconciler(ReceiverRuntime receiver, StatusRecorder recorder, Clock clock) {
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
    ResourceID id = ResourceID.fromResource(policy);
    if (context.isPrimaryResourceDeleted()) {
      written.remove(id);
      receiver.check().forget(key);
      recorder.forgetSenders(ref);
      return UpdateControl.noUpdate();
    }
    if (receiver.failure() != null) {
      receiver.start(); // a port that was busy may be free now
    }
    if (receiver.starting()) {
      return UpdateControl.<MailSenderPolicy>noUpdate().rescheduleAfter(Duration.ofSeconds(1));
    }
    long generation = policy.getMetadata().getGeneration();
    MailSenderPolicyStatus previous = written.getOrDefault(id, policy.getStatus());
    String failure = receiver.failure();
    MailSenderPolicyStatus next =
        failure != null
            ? SenderStatusBuilder.receiverNotRunning(previous, generation, failure, clock.instant())
            : receiver
                .check()
                .evaluate(key, policy.getSpec(), generation, previous, receiver.routeProblem());
    boolean stored =
        recorder.recordSenders(
            ref,
            previous,
            next,
            status -> {
              boolean exists = StatusPatch.write(policy, context, status, MailSenderPolicy::new);
              if (exists) {
                written.put(id, status);
              }
              return exists;
            });
    return stored
        ? UpdateControl.<MailSenderPolicy>noUpdate().rescheduleAfter(RECHECK)
        : UpdateControl.noUpdate();
  }
}
