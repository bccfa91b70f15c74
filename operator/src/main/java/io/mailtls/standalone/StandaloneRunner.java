package io.mailtls.standalone;

import io.mailtls.api.MailEndpointPolicy;
import io.mailtls.api.MailEndpointPolicyStatus;
import io.mailtls.metrics.MailTlsMetrics;
import io.mailtls.policy.PolicyRound;
import io.mailtls.policy.ProbeRound;
import io.mailtls.policy.RoundResult;
import io.mailtls.probe.EndpointProber;
import io.mailtls.probe.ProbeProgress;
import io.mailtls.probe.ProbeSettings;
import io.mailtls.status.PolicyRef;
import io.mailtls.status.StatusRecorder;
import io.mailtls.status.VerdictChangeNotifier;
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
 * The operator's loop without a cluster: the same {@link PolicyRound} and {@link StatusRecorder},
 * with statuses kept in memory and each policy looked at again when its round says so.
 */
public final class StandaloneRunner implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StandaloneRunner.class);

  private final PolicyRound round;
  private final StatusRecorder recorder;
  private final ProbeProgress progress;
  private final ScheduledExecutorService scheduler;
  private final Map<PolicyRef, MailEndpointPolicyStatus> statuses = new ConcurrentHashMap<>();

  public StandaloneRunner(
      PolicyRound round, StatusRecorder recorder, ProbeProgress progress, int concurrentPolicies) {
    this.round = round;
    this.recorder = recorder;
    this.progress = progress;
    this.scheduler = Executors.newScheduledThreadPool(concurrentPolicies);
  }

  /**
   * The standalone mode's wiring: the engine with these settings, statuses in memory, no Events.
   */
  public static StandaloneRunner create(
      ProbeSettings settings, MailTlsMetrics metrics, Clock clock, int concurrentPolicies) {
    return create(new EndpointProber(settings), metrics, clock, concurrentPolicies);
  }

  /**
   * As {@link #create(ProbeSettings, MailTlsMetrics, Clock, int)}, through {@code prober}, whose
   * connection limits others (the exporter's /probe) may share.
   */
  public static StandaloneRunner create(
      EndpointProber prober, MailTlsMetrics metrics, Clock clock, int concurrentPolicies) {
    return new StandaloneRunner(
        new PolicyRound(new ProbeRound(prober), clock),
        new StatusRecorder(metrics, VerdictChangeNotifier.NONE),
        prober.progress(),
        concurrentPolicies);
  }

  /** Starts probing every policy now; each then repeats on its own interval. */
  public void start(List<MailEndpointPolicy> policies) {
    for (MailEndpointPolicy policy : policies) {
      scheduler.execute(() -> turn(policy));
    }
  }

  /** The last status of a policy, or null before its first round. */
  public MailEndpointPolicyStatus status(String namespace, String name) {
    return statuses.get(new PolicyRef(namespace, name, null));
  }

  /** Alive: scheduling, and no probe stuck far past its deadline. */
  public boolean isRunning() {
    return !scheduler.isShutdown() && progress.isMakingProgress(Instant.now());
  }

  /** After a round that failed in a way no result describes (a bug): try again, do not go quiet. */
  static final Duration RETRY_AFTER_ERROR = Duration.ofMinutes(1);

  private void turn(MailEndpointPolicy policy) {
    PolicyRef ref =
        new PolicyRef(policy.getMetadata().getNamespace(), policy.getMetadata().getName(), null);
    try {
      turn(policy, ref);
    } catch (RuntimeException e) {
      log.error("{}: the round failed; trying again in {}", ref, RETRY_AFTER_ERROR, e);
      schedule(policy, RETRY_AFTER_ERROR);
    }
  }

  private void turn(MailEndpointPolicy policy, PolicyRef ref) {
    Long generation = policy.getMetadata().getGeneration();
    MailEndpointPolicyStatus previous = statuses.get(ref);
    RoundResult result =
        round.next(policy.getSpec(), generation == null ? 1 : generation, previous);
    recorder.record(
        ref,
        previous,
        result,
        status -> {
          statuses.put(ref, status);
          return true;
        });
    result.recheckAfter().ifPresent(wait -> schedule(policy, wait));
  }

  private void schedule(MailEndpointPolicy policy, Duration wait) {
    if (!scheduler.isShutdown()) {
      scheduler.schedule(() -> turn(policy), wait.toMillis(), TimeUnit.MILLISECONDS);
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
