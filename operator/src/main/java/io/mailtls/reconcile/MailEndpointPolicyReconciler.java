package io.mailtls.reconcile;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.mailtls.api.MailEndpointPolicy;
import io.mailtls.api.MailEndpointPolicyStatus;
import io.mailtls.policy.EndpointOutcome;
import io.mailtls.policy.InvalidPolicyException;
import io.mailtls.policy.PolicyChecker;
import io.mailtls.policy.PolicyRequest;
import io.mailtls.policy.PolicyStatusBuilder;
import io.mailtls.policy.VerdictChange;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a policy, probes its endpoints when due, writes what was found into its status, and asks to
 * be called again after the interval. Probe failures are results in the status; only API errors are
 * thrown (and retried by JOSDK).
 */
@ControllerConfiguration(name = MailEndpointPolicyReconciler.NAME)
public class MailEndpointPolicyReconciler implements Reconciler<MailEndpointPolicy> {
  public static final String NAME = "mailendpointpolicy";
  private static final Logger log = LoggerFactory.getLogger(MailEndpointPolicyReconciler.class);

  private final PolicyChecker checker;
  private final PolicyEvents events;
  private final Clock clock;

  MailEndpointPolicyReconciler(PolicyChecker checker, PolicyEvents events, Clock clock) {
    this.checker = checker;
    this.events = events;
    this.clock = clock;
  }

  @Override
  public UpdateControl<MailEndpointPolicy> reconcile(
      MailEndpointPolicy policy, Context<MailEndpointPolicy> context) {
    long generation = policy.getMetadata().getGeneration();
    MailEndpointPolicyStatus previous = policy.getStatus();

    PolicyRequest request;
    try {
      request = PolicyRequest.from(policy.getSpec());
    } catch (InvalidPolicyException e) {
      writeStatus(
          policy,
          context,
          PolicyStatusBuilder.invalid(previous, generation, e.getMessage(), clock.instant()));
      return UpdateControl.noUpdate(); // a spec edit brings the next call
    }
    if (request.suspend()) {
      writeStatus(
          policy, context, PolicyStatusBuilder.suspended(previous, generation, clock.instant()));
      return UpdateControl.noUpdate();
    }
    Duration wait =
        ProbeSchedule.untilDue(previous, generation, request.interval(), clock.instant());
    if (wait.isPositive()) {
      return UpdateControl.<MailEndpointPolicy>noUpdate().rescheduleAfter(wait);
    }

    Instant started = clock.instant();
    List<EndpointOutcome> outcomes = checker.check(request);
    MailEndpointPolicyStatus next =
        PolicyStatusBuilder.probed(
            previous, generation, outcomes, started, Duration.between(started, clock.instant()));
    if (!writeStatus(policy, context, next)) {
      return UpdateControl.noUpdate(); // deleted while probing: nothing more to do
    }
    events.publish(policy, VerdictChange.between(previous, next));
    return UpdateControl.<MailEndpointPolicy>noUpdate()
        .rescheduleAfter(ProbeSchedule.afterRound(request.interval()));
  }

  /**
   * Writes the status when it changed, as a JSON Patch of the status subresource against the
   * resourceVersion it was computed from (JOSDK retries a conflict with the fresh resource and
   * keeps its cache current). Not Server-Side Apply, which the mock API server lacks; not a JSON
   * merge patch either, whose lists the mock appends to instead of replacing (see DESIGN.md).
   * Returns false when the policy was deleted meanwhile.
   */
  private static boolean writeStatus(
      MailEndpointPolicy policy,
      Context<MailEndpointPolicy> context,
      MailEndpointPolicyStatus next) {
    if (Objects.equals(policy.getStatus(), next)) {
      return true;
    }
    try {
      PrimaryUpdateAndCacheUtils.patchStatusAndCacheResource(
          policy, context, current -> withStatus(current, next));
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
        log.debug(
            "{}/{} was deleted while it was probed",
            policy.getMetadata().getNamespace(),
            policy.getMetadata().getName());
        return false;
      }
      throw e;
    }
  }

  /** The policy as it is, with the new status: the patch then touches nothing but status. */
  private static MailEndpointPolicy withStatus(
      MailEndpointPolicy current, MailEndpointPolicyStatus status) {
    MailEndpointPolicy updated = new MailEndpointPolicy();
    updated.setMetadata(current.getMetadata());
    updated.setSpec(current.getSpec());
    updated.setStatus(status);
    return updated;
  }
}
