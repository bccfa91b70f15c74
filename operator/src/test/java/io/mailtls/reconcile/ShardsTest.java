package io.mailtls.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.mailtls.api.MailEndpointPolicyStatus;
import io.mailtls.metrics.MailTlsMetrics;
import io.mailtls.probe.ProbeSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Several operator replicas splitting the policies by shard, each with its own client, against
 * Fabric8's mock API server in CRUD mode (the stand-in for the API server). Which replica probed a
 * policy is read from the policy series of its own metrics.
 */
@EnableKubernetesMockClient(crud = true)
class ShardsTest {
  private static final Pattern SHOWN =
      Pattern.compile("mailtls_policy_interval_seconds\\{namespace=\"mail\",policy=\"([^\"]+)\"}");

  static KubernetesClient client;
  static KubernetesMockServer server;

  private record Replica(MailTlsOperator operator, MailTlsMetrics metrics, KubernetesClient api) {
    /** The policies whose series this replica shows: those it probed or recorded. */
    Set<String> shown() {
      Set<String> names = new TreeSet<>();
      Matcher m = SHOWN.matcher(metrics.scrape());
      while (m.find()) {
        names.add(m.group(1));
      }
      return names;
    }

    void stop() {
      operator.close();
      api.close();
    }
  }

  private final List<Replica> running = new ArrayList<>();
  private int closedPort;

  @BeforeEach
  void createCrd() throws Exception {
    TestingCrd.install(client);
    closedPort = TestingPolicies.unusedLoopbackPort();
  }

  @AfterEach
  void stopReplicas() {
    running.forEach(Replica::stop);
  }

  private Replica start(Shard shard, String identity, MailTlsOperator.LeaderElection election) {
    KubernetesClient api = server.createClient();
    MailTlsMetrics metrics = MailTlsMetrics.withJvmMetrics();
    MailTlsOperator operator =
        MailTlsOperator.start(
            api,
            new MailTlsOperator.Config(
                Set.of(TestingPolicies.NAMESPACE),
                election,
                identity,
                4,
                Duration.ofSeconds(5),
                ProbeSettings.defaults(),
                shard),
            metrics);
    Replica replica = new Replica(operator, metrics, api);
    running.add(replica);
    return replica;
  }

  private static Set<String> ownedBy(Set<String> policies, int shard, int total) {
    return policies.stream()
        .filter(p -> Shard.shardOf(TestingPolicies.NAMESPACE, p, total) == shard)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private Set<String> createPolicies(int count) {
    Set<String> names = new TreeSet<>();
    for (int i = 0; i < count; i++) {
      String name = "policy-" + i;
      TestingPolicies.create(client, name, "smtp://127.0.0.1:" + closedPort, "2s");
      names.add(name);
    }
    return names;
  }

  private static Map<String, String> lastProbeTimes(Set<String> policies) {
    Map<String, String> times = new HashMap<>();
    for (String policy : policies) {
      MailEndpointPolicyStatus status = TestingPolicies.status(client, policy);
      times.put(policy, status == null ? null : status.lastProbeTime());
    }
    return times;
  }

  @Test
  void shardsProbeDisjointSetsThatCoverEveryPolicyAndARestartWithFewerReassignsThem() {
    Set<String> policies = createPolicies(12);
    List<Replica> three =
        IntStream.range(0, 3).mapToObj(i -> start(new Shard(i, 3), "replica-" + i, null)).toList();

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              for (int i = 0; i < 3; i++) {
                assertThat(three.get(i).shown())
                    .as("shard " + i)
                    .isEqualTo(ownedBy(policies, i, 3));
              }
              assertThat(lastProbeTimes(policies).values()).doesNotContainNull();
            });
    assertThat(ownedBy(policies, 0, 3)).isNotEmpty(); // the hash spreads 12 names over all three
    assertThat(ownedBy(policies, 1, 3)).isNotEmpty();
    assertThat(ownedBy(policies, 2, 3)).isNotEmpty();
    Map<String, String> probed = lastProbeTimes(policies);

    // Restart as two shards: each policy has one owner again, which shows its last result and
    // does not probe it before its interval (15 minutes) is up.
    three.forEach(Replica::stop);
    running.clear();
    List<Replica> two =
        IntStream.range(0, 2).mapToObj(i -> start(new Shard(i, 2), "replica-" + i, null)).toList();

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              for (int i = 0; i < 2; i++) {
                assertThat(two.get(i).shown()).as("shard " + i).isEqualTo(ownedBy(policies, i, 2));
              }
            });
    assertThat(lastProbeTimes(policies)).isEqualTo(probed);
  }

  @Test
  void aShardsStandbyTakesOverItsPoliciesAndNoOtherShardDoes() {
    TestingPolicies.grantEverything(server);
    MailTlsOperator.LeaderElection election =
        new MailTlsOperator.LeaderElection(
            "mailtls-operator", "mailtls-system", Duration.ofSeconds(3), Duration.ofSeconds(2));
    Replica leader = start(new Shard(0, 2), "shard-0-a", election);
    awaitHolder("mailtls-operator-shard-0-of-2", "shard-0-a");
    Replica standby = start(new Shard(0, 2), "shard-0-b", election);
    Replica other = start(new Shard(1, 2), "shard-1-a", election);
    awaitHolder("mailtls-operator-shard-1-of-2", "shard-1-a");

    String before = firstNameOfShard(0, "before-");
    TestingPolicies.create(client, before, "smtp://127.0.0.1:" + closedPort, "2s");
    await().atMost(Duration.ofSeconds(30)).until(() -> leader.shown().contains(before));

    leader.stop();
    running.remove(leader);
    awaitHolder("mailtls-operator-shard-0-of-2", "shard-0-b");
    String after = firstNameOfShard(0, "after-");
    TestingPolicies.create(client, after, "smtp://127.0.0.1:" + closedPort, "2s");

    await().atMost(Duration.ofSeconds(30)).until(() -> standby.shown().contains(after));
    assertThat(other.shown()).doesNotContain(before, after);
  }

  /** The first name with the prefix and a number that shard {@code shard} of 2 owns. */
  private static String firstNameOfShard(int shard, String prefix) {
    return IntStream.range(0, 100)
        .mapToObj(i -> prefix + i)
        .filter(n -> Shard.shardOf(TestingPolicies.NAMESPACE, n, 2) == shard)
        .findFirst()
        .orElseThrow();
  }

  private static void awaitHolder(String lease, String holder) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              Lease current = client.leases().inNamespace("mailtls-system").withName(lease).get();
              return current != null
                  && Objects.equals(current.getSpec().getHolderIdentity(), holder);
            });
  }
}
