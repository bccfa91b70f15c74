package io.mailtls.standalone;

import io.mailtls.api.MailSenderPolicy;
import io.mailtls.api.MailSenderPolicyStatus;
import io.mailtls.policy.SenderPolicyCheck;
import io.mailtls.status.PolicyRef;
import io.mailtls.status.StatusRecorder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * MailSenderPolicies from files, evaluated against the test receiver after every session and on a
 * fixed period (so that a sender whose last session grows too old becomes NotSeen). Statuses live
 * in memory, where the operator keeps them in the API server.
 */
public final class SenderPolicyRunner implements AutoCloseable {
  static final Duration PERIOD = Duration.ofSeconds(30);

  private final List<MailSenderPolicy> policies;
  private final SenderPolicyCheck check;
  private final StatusRecorder recorder;
  private final Map<String, MailSenderPolicyStatus> statuses = new ConcurrentHashMap<>();
  private final AtomicBoolean pending = new AtomicBoolean();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().daemon().name("mailtls-sender-policies").unstarted(r));

  public SenderPolicyRunner(
      List<MailSenderPolicy> policies, SenderPolicyCheck check, StatusRecorder recorder) {
    this.policies = List.copyOf(policies);
    this.check = check;
    this.recorder = recorder;
  }

  public void start() {
    evaluateAll();
    timer.scheduleWithFixedDelay(
        this::evaluateAll, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Asks for an evaluation soon, on the runner's own thread: sessions call this, and a burst of
   * them costs one evaluation, never one each on the receiver's threads.
   */
  public void evaluateSoon() {
    if (pending.compareAndSet(false, true)) {
      timer.execute(
          () -> {
            pending.set(false);
            evaluateAll();
          });
    }
  }

  /** Evaluates every policy now. */
  public synchronized void evaluateAll() {
    for (MailSenderPolicy policy : policies) {
      String key = key(policy);
      MailSenderPolicyStatus previous = statuses.get(key);
      MailSenderPolicyStatus next =
          check.evaluate(key, policy.getSpec(), policy.getMetadata().getGeneration(), previous);
      recorder.recordSenders(
          new PolicyRef(policy.getMetadata().getNamespace(), policy.getMetadata().getName(), null),
          previous,
          next,
          status -> {
            statuses.put(key, status);
            return true;
          });
    }
  }

  /** The latest status of a policy, or null. */
  public MailSenderPolicyStatus status(String namespace, String name) {
    return statuses.get(namespace + "/" + name);
  }

  private static String key(MailSenderPolicy policy) {
    return policy.getMetadata().getNamespace() + "/" + policy.getMetadata().getName();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
