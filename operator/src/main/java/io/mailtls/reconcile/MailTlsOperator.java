package io.mailtls.reconcile;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.mailtls.api.MailSenderPolicy;
import io.mailtls.metrics.MailTlsMetrics;
import io.mailtls.policy.PolicyRound;
import io.mailtls.policy.ProbeRound;
import io.mailtls.probe.EndpointProber;
import io.mailtls.probe.ProbeProgress;
import io.mailtls.probe.ProbeSettings;
import io.mailtls.status.StatusRecorder;
import io.micrometer.core.instrument.Gauge;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The operator: JOSDK's {@link Operator} with our reconciler, configured for this project. */
public final class MailTlsOperator implements AutoCloseable {
  /**
   * @param namespaces the namespaces to watch; empty means all
   * @param leaderElection the Lease that elects the active replica; null disables leader election
   * @param identity this replica's name in the Lease and in Events (the pod name in a cluster)
   * @param concurrentPolicies how many policies are probed at once
   * @param shutdownTimeout how long a stop waits for in-flight probe rounds before abandoning them
   * @param shard the policies this replica owns; {@link Shard#ALL} for all of them
   */
  public record Config(
      Set<String> namespaces,
      LeaderElection leaderElection,
      String identity,
      int concurrentPolicies,
      Duration shutdownTimeout,
      ProbeSettings probeSettings,
      Shard shard) {

    public Config(
        Set<String> namespaces,
        LeaderElection leaderElection,
        String identity,
        int concurrentPolicies,
        Duration shutdownTimeout,
        ProbeSettings probeSettings) {
      this(
          namespaces,
          leaderElection,
          identity,
          concurrentPolicies,
          shutdownTimeout,
          probeSettings,
          Shard.ALL);
    }
  }

  /**
   * @param leaseDuration how long a Lease holds without renewal: a standby takes over this long
   *     after the leader stopped renewing
   * @param renewDeadline how long the leader keeps trying to renew before it gives up; shorter than
   *     {@code leaseDuration}
   */
  public record LeaderElection(
      String leaseName, String leaseNamespace, Duration leaseDuration, Duration renewDeadline) {
    public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(15);
    public static final Duration DEFAULT_RENEW_DEADLINE = Duration.ofSeconds(10);

    public LeaderElection {
      if (renewDeadline.compareTo(leaseDuration) >= 0) {
        throw new IllegalArgumentException(
            "the renew deadline ("
                + renewDeadline
                + ") must be shorter than the lease duration ("
                + leaseDuration
                + ")");
      }
    }

    /** Tries to take or renew the Lease this often: a fifth of the renew deadline (2 s default). */
    Duration retryPeriod() {
      return renewDeadline.dividedBy(5);
    }
  }

  private static final Logger log = LoggerFactory.getLogger(MailTlsOperator.class);
  static final String SHARDS = "mailtls_shards";

  private final Operator operator;
  private final AtomicBoolean stopping;
  private final ProbeProgress progress;

  private final ReceiverRuntime receiver;

  private MailTlsOperator(
      Operator operator, AtomicBoolean stopping, ProbeProgress progress, ReceiverRuntime receiver) {
    this.operator = operator;
    this.stopping = stopping;
    this.progress = progress;
    this.receiver = receiver;
  }

  /** Registers the reconciler and starts; returns once the policy informers have synced. */
  public static MailTlsOperator start(
      KubernetesClient client, Config config, MailTlsMetrics metrics) {
    return start(client, config, metrics, null);
  }

  /**
   * As {@link #start(KubernetesClient, Config, MailTlsMetrics)}, with the test receiver and the
   * MailSenderPolicy reconciler when {@code receiver} is given. They run in shard 0 only, in its
   * leader (the receiver starts when this replica starts leading).
   */
  public static MailTlsOperator start(
      KubernetesClient client,
      Config config,
      MailTlsMetrics metrics,
      ReceiverRuntime.Config receiver) {
    AtomicBoolean stopping = new AtomicBoolean();
    Clock clock = Clock.systemUTC();
    ReceiverRuntime receiving =
        receiver != null && config.shard().index() == 0
            ? new ReceiverRuntime(client, receiver, metrics, clock)
            : null;
    Operator operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withResourceCloner(new PolicyCloner(client.getKubernetesSerialization()))
                  // No Server-Side Apply, which the mock API server lacks: the reconciler writes
                  // status as a JSON Patch itself (see MailEndpointPolicyReconciler).
                  .withUseSSAToPatchPrimaryResource(false)
                  .withCloseClientOnStop(false)
                  .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(metrics.registry()))
                  .withConcurrentReconciliationThreads(config.concurrentPolicies())
                  .withReconciliationTerminationTimeout(config.shutdownTimeout());
              LeaderElection election = config.leaderElection();
              if (election != null) {
                o.withLeaderElectionConfiguration(
                    LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(
                            config.shard().leaseName(election.leaseName()))
                        .withLeaseNamespace(election.leaseNamespace())
                        .withLeaseDuration(election.leaseDuration())
                        .withRenewDeadline(election.renewDeadline())
                        .withRetryPeriod(election.retryPeriod())
                        .withIdentity(config.identity())
                        .withExitOnStopLeading(false)
                        .withLeaderCallbacks(
                            new LeaderCallbacks(
                                () -> {
                                  log.info("leading: probing policies");
                                  if (receiving != null) {
                                    receiving.start();
                                  }
                                },
                                () -> exitUnlessStopping(stopping),
                                leader -> log.info("the leader is {}", leader)))
                        .build());
              }
            });
    EndpointProber prober = new EndpointProber(config.probeSettings());
    MailEndpointPolicyReconciler reconciler =
        new MailEndpointPolicyReconciler(
            new PolicyRound(new ProbeRound(prober), clock),
            new StatusRecorder(metrics, new PolicyEvents(client, config.identity(), clock)));
    operator.register(
        reconciler,
        c -> {
          if (config.shard().total() > 1) {
            // Events of other shards' policies never reach the reconciler. (An informer store
            // that keeps only this shard's policies would save memory, but JOSDK shares one
            // store among the informers of several namespaces, and each namespace's relist
            // would then evict the others' policies.)
            c.withGenericFilter(
                policy ->
                    config
                        .shard()
                        .owns(policy.getMetadata().getNamespace(), policy.getMetadata().getName()));
          }
          if (config.namespaces().isEmpty()) {
            c.watchingAllNamespaces();
          } else {
            c.settingNamespaces(config.namespaces());
          }
        });
    if (receiving != null) {
      operator.register(
          new MailSenderPolicyReconciler(
              receiving,
              new StatusRecorder(
                  metrics,
                  new PolicyEvents(client, config.identity(), clock, MailSenderPolicy.class)),
              clock),
          c -> {
            if (config.namespaces().isEmpty()) {
              c.watchingAllNamespaces();
            } else {
              c.settingNamespaces(config.namespaces());
            }
          });
    }
    // Which shard runs here, for the alert that fires when a shard has no replica at all.
    Gauge.builder(SHARDS, config.shard()::total)
        .description("How many shards the policies are split into, by the shard of this replica")
        .tag("shard", String.valueOf(config.shard().index()))
        .register(metrics.registry());
    if (receiving != null && config.leaderElection() == null) {
      receiving.start(); // no Lease to wait for: this replica does all the work
    }
    operator.start();
    return new MailTlsOperator(operator, stopping, prober.progress(), receiving);
  }

  /**
   * A replica that lost its Lease while running must stop probing at once, or two replicas would
   * probe and write status; exiting lets Kubernetes restart it as a follower. Losing the Lease
   * because we are stopping is expected.
   */
  private static void exitUnlessStopping(AtomicBoolean stopping) {
    if (!stopping.get()) {
      log.error("lost the leader Lease: exiting so that a restart rejoins as a follower");
      System.exit(1);
    }
  }

  /** The test receiver's port in this replica, or -1 when it runs none. */
  int receiverPort() {
    return receiver == null ? -1 : receiver.port();
  }

  /** Alive: started, not stopped, and no probe stuck far past its deadline. */
  public boolean isLive() {
    return !stopping.get()
        && operator.getRuntimeInfo().isStarted()
        && progress.isMakingProgress(Instant.now());
  }

  /** Ready: started and every informer connected to the API server. */
  public boolean isReady() {
    return isLive() && operator.getRuntimeInfo().allEventSourcesAreHealthy();
  }

  /** Stops watching; waits up to the shutdown timeout for in-flight probe rounds. */
  @Override
  public void close() {
    if (stopping.compareAndSet(false, true)) {
      operator.stop();
      if (receiver != null) {
        receiver.close();
      }
    }
  }
}
