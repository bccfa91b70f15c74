package io.mailtls.reconcile;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import io.mailtls.api.MailEndpointPolicy;
import io.mailtls.api.MailEndpointPolicyStatus;
import io.mailtls.metrics.MailTlsMetrics;
import io.mailtls.policy.EndpointOutcome;
import io.mailtls.policy.InvalidPolicyException;
import io.mailtls.policy.PolicyChecker;
import io.mailtls.policy.PolicyRequest;
import io.mailtls.policy.PolicyStatusBuilder;
import io.mailtls.policy.ProbeSchedule;
import io.mailtls.policy.VerdictChange;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    triggerReconcilerOnAllEvents = true)
// Never give up: a policy whose retries ran out would not be probed again until its next edit.
@GradualRetry(
    maxAttempts = -1,
    initialInterval = 2_000,
    intervalMultiplier = 2,
    maxInterval = 300_000)
public class MailEndpointPolicyReconciler implements Reconciler<MailEndpointPolicy> {
  public static final String NAME = "mailendpointpolicy";
  private static final Logger log = LoggerFactory.getLogger(MailEndpointPolicyReconciler.class);

  private final PolicyChecker checker;
  private final PolicyEvents events;
  private final MailTlsMetrics metrics;
  private final Clock clock;

  /** Rounds probed but not yet written, by policy; an entry lives only until the write succeeds. */
  private final Map<ResourceID, MailEndpointPolicyStatus> unwritten = new ConcurrentHashMap<>();

  MailEndpointPolicyReconciler(
      PolicyChecker checker, PolicyEvents events, MailTlsMetrics metrics, Clock clock) {
    this.checker = checker;
    this.events = events;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public UpdateControl<MailEndpointPolicy> reconcile(
      MailEndpointPolicy policy, Context<MailEndpointPolicy> context) {
    String namespace = policy.getMetadata().getNamespace();
    String name = policy.getMetadata().getName();
    ResourceID id = ResourceID.fromResource(policy);
    if (context.isPrimaryResourceDeleted()) {
      unwritten.remove(id);
      metrics.remove(namespace, name);
      return UpdateControl.noUpdate();
    }
    long generation = policy.getMetadata().getGeneration();
    MailEndpointPolicyStatus previous = policy.getStatus();

    PolicyRequest request;
    try {
      request = PolicyRequest.from(policy.getSpec());
    } catch (InvalidPolicyException e) {
      MailEndpointPolicyStatus invalid =
          PolicyStatusBuilder.invalid(previous, generation, e.getMessage(), clock.instant());
      writeStatus(policy, context, invalid);
      metrics.show(namespace, name, PolicyRequest.DEFAULT_INTERVAL, invalid);
      return UpdateControl.noUpdate(); // a spec edit brings the next call
    }
    if (request.suspend()) {
      MailEndpointPolicyStatus suspended =
          PolicyStatusBuilder.suspended(previous, generation, clock.instant());
      writeStatus(policy, context, suspended);
      metrics.show(namespace, name, request.interval(), suspended);
      return UpdateControl.noUpdate();
    }
    MailEndpointPolicyStatus next = unwritten.remove(id);
    if (next == null || !Objects.equals(next.observedGeneration(), generation)) {
      Duration wait =
          ProbeSchedule.untilDue(previous, generation, request.interval(), clock.instant());
      if (wait.isPositive()) {
        // Also right after a restart: the series come back from the status before any new probe.
        metrics.show(namespace, name, request.interval(), previous);
        return UpdateControl.<MailEndpointPolicy>noUpdate().rescheduleAfter(wait);
      }
      next = probe(request, previous, generation);
    }
    boolean written;
    try {
      written = writeStatus(policy, context, next);
    } catch (RuntimeException apiError) {
      unwritten.put(id, next); // for the retry, which writes it without probing again
      throw apiError;
    }
    if (!written) {
      return UpdateControl.noUpdate(); // deleted while probing: nothing more to do
    }
    metrics.show(namespace, name, request.interval(), next);
    events.publish(policy, VerdictChange.between(previous, next));
    return UpdateControl.<MailEndpointPolicy>noUpdate()
        .rescheduleAfter(ProbeSchedule.afterRound(request.interval()));
  }

  private MailEndpointPolicyStatus probe(
      PolicyRequest request, MailEndpointPolicyStatus previous, long generation) {
    Instant started = clock.instant();
    List<EndpointOutcome> outcomes = checker.check(request);
    metrics.recordRound(outcomes);
    return PolicyStatusBuilder.probed(
        previous, generation, outcomes, started, Duration.between(started, clock.instant()));
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
