package io.mailtls.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.mailtls.reconcile.MailTlsOperator;
import io.mailtls.reconcile.Shard;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

@EnableKubernetesMockClient
class OperatorCommandTest {
  static KubernetesClient client; // its kubeconfig namespace is "test"

  private static MailTlsOperator.Config parse(String... args) throws Exception {
    OperatorCommand command = new OperatorCommand();
    new CommandLine(command).parseArgs(args);
    return command.config(client);
  }

  @Test
  void defaultsWatchAllNamespacesWithLeaderElection() throws Exception {
    MailTlsOperator.Config config = parse("--identity", "pod-a");
    assertThat(config.namespaces()).isEmpty();
    assertThat(config.leaderElection())
        .isEqualTo(
            new MailTlsOperator.LeaderElection(
                "mailtls-operator", "test", Duration.ofSeconds(15), Duration.ofSeconds(10)));
    assertThat(config.identity()).isEqualTo("pod-a");
    assertThat(config.concurrentPolicies()).isEqualTo(10);
    assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.probeSettings().maxConnectionsPerHost()).isEqualTo(5);
    assertThat(config.probeSettings().maxConnections()).isEqualTo(100);
    assertThat(config.probeSettings().guard().allowedPorts())
        .containsExactlyInAnyOrder(25, 465, 587, 110, 143, 993, 995);
    assertThat(config.probeSettings().guard().deniedRanges())
        .extracting(Object::toString)
        .containsExactly("169.254.0.0/16", "fe80::/10");
  }

  @Test
  void theGuardIsTheAdminsToChange() throws Exception {
    MailTlsOperator.Config config =
        parse(
            "--allow-ports", "25,2525",
            "--deny-ranges", "169.254.0.0/16,10.0.0.0/8,127.0.0.0/8",
            "--max-connections", "20",
            "--identity", "pod-a");
    assertThat(config.probeSettings().guard().allowedPorts()).containsExactlyInAnyOrder(25, 2525);
    assertThat(config.probeSettings().guard().deniedRanges()).hasSize(3);
    assertThat(config.probeSettings().maxConnections()).isEqualTo(20);
    assertThatThrownBy(() -> parse("--deny-ranges", "10.0.0.0", "--identity", "pod-a"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessage("--deny-ranges: '10.0.0.0' is not an address range such as 10.0.0.0/8");
  }

  @Test
  void flagsOverrideTheDefaults() throws Exception {
    MailTlsOperator.Config config =
        parse(
            "--namespaces",
            "mail, relay ,",
            "--no-leader-election",
            "--max-concurrent-policies",
            "3",
            "--max-connections-per-host",
            "1",
            "--shutdown-timeout",
            "5s",
            "--identity",
            "pod-a");
    assertThat(config.namespaces()).isEqualTo(Set.of("mail", "relay"));
    assertThat(config.leaderElection()).isNull();
    assertThat(config.concurrentPolicies()).isEqualTo(3);
    assertThat(config.probeSettings().maxConnectionsPerHost()).isEqualTo(1);
    assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void theLeaseTimingIsAnOptionAndMustBeConsistent() throws Exception {
    MailTlsOperator.Config config =
        parse("--lease-duration", "4s", "--lease-renew-deadline", "3s", "--identity", "pod-a");
    assertThat(config.leaderElection().leaseDuration()).isEqualTo(Duration.ofSeconds(4));
    assertThat(config.leaderElection().renewDeadline()).isEqualTo(Duration.ofSeconds(3));
    assertThatThrownBy(
            () ->
                parse("--lease-duration", "5s", "--lease-renew-deadline", "5s", "--identity", "a"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessage("the renew deadline (PT5S) must be shorter than the lease duration (PT5S)");
  }

  @Test
  void aBadFlagIsAUsageError() {
    assertThat(MailTlsCommand.commandLine().execute("operator", "--log-format", "xml"))
        .isEqualTo(2);
    assertThatThrownBy(() -> parse("--max-concurrent-policies", "many"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--max-concurrent-policies");
  }

  @Test
  void theShardIsAnOptionOrThePodsOrdinal() throws Exception {
    assertThat(parse("--identity", "pod-a").shard()).isEqualTo(Shard.ALL);
    assertThat(parse("--identity", "pod-a", "--total-shards", "3", "--shard", "2").shard())
        .isEqualTo(new Shard(2, 3));
    assertThat(
            parse("--identity", "mailtls-7", "--total-shards", "3", "--shard", "ORDINAL").shard())
        .isEqualTo(new Shard(1, 3));
    assertThat(parse("--identity", "pod-a", "--total-shards", "3", "--shard", "2").leaderElection())
        .extracting(MailTlsOperator.LeaderElection::leaseName)
        .isEqualTo("mailtls-operator"); // the shard's suffix is added where the Lease is made
    assertThatThrownBy(() -> parse("--identity", "pod-a", "--total-shards", "3", "--shard", "3"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessage("--shard 3 is not between 0 and 2 (--total-shards 3)");
    assertThatThrownBy(
            () -> parse("--identity", "pod-a", "--total-shards", "3", "--shard", "ordinal"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessage("--shard ordinal: the pod name 'pod-a' does not end in -NUMBER");
    assertThatThrownBy(() -> parse("--identity", "pod-a", "--total-shards", "0"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessage("--total-shards must be at least 1, not 0");
  }
}
