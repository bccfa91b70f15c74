package io.mailtls.reconcile;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.mailtls.policy.PolicyChecker;
import io.mailtls.probe.EndpointProber;
import io.mailtls.probe.ProbeSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/** The operator: JOSDK's {@link Operator} with our reconciler, configured for this project. */
public final class MailTlsOperator implements AutoCloseable {
  /**
   * @param namespaces the namespaces to watch; empty means all
   * @param leaseNamespace where the leader-election Lease lives; null disables leader election
   * @param identity this replica's name in the Lease and in Events (the pod name in a cluster)
   * @param concurrentPolicies how many policies are probed at once
   * @param shutdownTimeout how long a stop waits for in-flight probe rounds before abandoning them
   */
  public record Config(
      Set<String> namespaces,
      String leaseName,
      String leaseNamespace,
      String identity,
      int concurrentPolicies,
      Duration shutdownTimeout,
      ProbeSettings probeSettings) {}

  private final Operator operator;

  private MailTlsOperator(Operator operator) {
    this.operator = operator;
  }

  /** Registers the reconciler and starts; returns once the policy informers have synced. */
  public static MailTlsOperator start(KubernetesClient client, Config config) {
    Operator operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  // The status is written with JSON merge patch: see MailEndpointPolicyReconciler.
                  .withUseSSAToPatchPrimaryResource(false)
                  .withCloseClientOnStop(false)
                  .withConcurrentReconciliationThreads(config.concurrentPolicies())
                  .withReconciliationTerminationTimeout(config.shutdownTimeout());
              if (config.leaseNamespace() != null) {
                o.withLeaderElectionConfiguration(
                    LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(
                            config.leaseName())
                        .withLeaseNamespace(config.leaseNamespace())
                        .withIdentity(config.identity())
                        .withExitOnStopLeading(true)
                        .build());
              }
            });
    MailEndpointPolicyReconciler reconciler =
        new MailEndpointPolicyReconciler(
            new PolicyChecker(new EndpointProber(config.probeSettings())),
            new PolicyEvents(client, config.identity()),
            Clock.systemUTC());
    operator.register(
        reconciler,
        c -> {
          if (config.namespaces().isEmpty()) {
            c.watchingAllNamespaces();
          } else {
            c.settingNamespaces(config.namespaces());
          }
        });
    operator.start();
    return new MailTlsOperator(operator);
  }

  /** Alive: started and not stopped. */
  public boolean isLive() {
    return operator.getRuntimeInfo().isStarted();
  }

  /** Ready: started and every informer connected to the API server. */
  public boolean isReady() {
    return isLive() && operator.getRuntimeInfo().allEventSourcesAreHealthy();
  }

  /** Stops watching; waits up to the shutdown timeout for in-flight probe rounds. */
  @Override
  public void close() {
    operator.stop();
  }
}
