package io.mailtls.reconcile;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.mailtls.api.MailEndpointPolicy;
import io.mailtls.policy.PolicyRound;
import io.mailtls.policy.RoundResult;
import io.mailtls.status.PolicyRef;
import io.mailtls.status.StatusRecorder;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads a policy, probes its endpoints when due, writes what was found into its status, and asks to
 * be called again after the interval. Probe failures are results in the status; only API errors are
 * thrown, and JOSDK retries them with backoff for as long as they last. A round whose status could
 * not be written is kept and written on the retry, so API trouble never costs the mail servers
 * another round of probes.
 */
// All events, deletes included: a deleted policy's series must leave /metrics at once, and a
// finalizer would make deleting a policy wait for the operator.
@ControllerConfiguration(
    name = MailEndpointPolicyReconciler.NAME,
    triggerReconcilerOnAllEvents = true,
    retry = NeverGiveUpRetry.class)
public class MailEndpointPolicyReconciler implements Reconciler<MailEndpointPolicy> {
  public static final String NAME = "mailendpointpolicy";

  private final PolicyRound round;
  private final StatusRecorder recorder;

  /** Rounds probed but not yet written, by policy; an entry lives only until the write succeeds. */
  private final Map<ResourceID, RoundResult> unwritten = new ConcurrentHashMap<>();

  MailEndpointPolicyReconciler(PolicyRound round, StatusRecorder recorder) {
    this.round = round;
    this.recorder = recorder;
  }

  @Override
  public UpdateControl<MailEndpointPolicy> reconcile(
      MailEndpointPolicy policy, Context<MailEndpointPolicy> context) {
    ResourceID id = ResourceID.fromResource(policy);
    PolicyRef ref =
        new PolicyRef(
            policy.getMetadata().getNamespace(),
            policy.getMetadata().getName(),
            policy.getMetadata().getUid());
    if (context.isPrimaryResourceDeleted()) {
      unwritten.remove(id);
      recorder.forget(ref);
      return UpdateControl.noUpdate();
    }
    long generation = policy.getMetadata().getGeneration();
    RoundResult result = unwritten.remove(id);
    if (result == null || !Objects.equals(result.status().observedGeneration(), generation)) {
      result = round.next(policy.getSpec(), generation, policy.getStatus());
    }
    boolean written;
    try {
      written =
          recorder.record(
              ref,
              policy.getStatus(),
              result,
              status -> StatusPatch.write(policy, context, status, MailEndpointPolicy::new));
    } catch (RuntimeException apiError) {
      if (result instanceof RoundResult.Probed) {
        unwritten.put(id, result); // for the retry, which writes it without probing again
      }
      throw apiError;
    }
    UpdateControl<MailEndpointPolicy> done = UpdateControl.noUpdate();
    // No recheck for a deleted policy, nor for a suspended or invalid one: its next edit brings
    // one.
    return written ? result.recheckAfter().map(done::rescheduleAfter).orElse(done) : done;
  }
}
