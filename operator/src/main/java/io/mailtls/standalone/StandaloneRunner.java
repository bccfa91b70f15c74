package io.mailtls.standalone;

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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's loop without a cluster: each policy is probed on its interval (with jitter), its
 * status kept in memory, its series shown on /metrics, and verdict changes logged.
 */
public final class StandaloneRunner implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StandaloneRunner.class);

  private final PolicyChecker checker;
  private final MailTlsMetrics metrics;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final Map<String, MailEndpointPolicyStatus> statuses = new ConcurrentHashMap<>();

  public StandaloneRunner(
      PolicyChecker checker, MailTlsMetrics metrics, Clock clock, int concurrentPolicies) {
    this.checker = checker;
    this.metrics = metrics;
    this.clock = clock;
    this.scheduler = Executors.newScheduledThreadPool(concurrentPolicies);
  }

  /** Starts probing every policy now; each then repeats on its own interval. */
  public void start(List<MailEndpointPolicy> policies) {
    for (MailEndpointPolicy policy : policies) {
      scheduler.execute(() -> round(policy));
    }
  }

  /** The last status of a policy, or null before its first round. */
  public MailEndpointPolicyStatus status(String namespace, String name) {
    return statuses.get(namespace + "/" + name);
  }

  public boolean isRunning() {
    return !scheduler.isShutdown();
  }

  private void round(MailEndpointPolicy policy) {
    String namespace = policy.getMetadata().getNamespace();
    String name = policy.getMetadata().getName();
    String key = namespace + "/" + name;
    PolicyRequest request;
    try {
      request = PolicyRequest.from(policy.getSpec());
    } catch (InvalidPolicyException e) {
      log.error("{}: {}", key, e.getMessage()); // the file passed the schema: should not happen
      return;
    }
    if (request.suspend()) {
      log.info("{}: suspended, not probed", key);
      return;
    }
    try {
      MailEndpointPolicyStatus previous = statuses.get(key);
      Instant started = clock.instant();
      List<EndpointOutcome> outcomes = checker.check(request);
      MailEndpointPolicyStatus next =
          PolicyStatusBuilder.probed(
              previous, 1, outcomes, started, Duration.between(started, clock.instant()));
      statuses.put(key, next);
      metrics.recordRound(outcomes);
      metrics.show(namespace, name, request.interval(), next);
      VerdictChange.between(previous, next).forEach(c -> c.log(log, namespace, name));
      log.atInfo()
          .addKeyValue("namespace", namespace)
          .addKeyValue("policy", name)
          .log(
              "probed {} endpoints: {} compliant, {} non-compliant, {} unreachable",
              next.summary().total(),
              next.summary().compliant(),
              next.summary().nonCompliant(),
              next.summary().unreachable());
    } finally {
      if (!scheduler.isShutdown()) {
        scheduler.schedule(
            () -> round(policy),
            ProbeSchedule.afterRound(request.interval()).toMillis(),
            TimeUnit.MILLISECONDS);
      }
    }
  }

  /** Stops scheduling; waits briefly for rounds in flight, then abandons them. */
  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
