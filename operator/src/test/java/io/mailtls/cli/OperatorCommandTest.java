package io.mailtls.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.mailtls.reconcile.MailTlsOperator;
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
    assertThat(config.leaseName()).isEqualTo("mailtls-operator");
    assertThat(config.leaseNamespace()).isEqualTo("test");
    assertThat(config.identity()).isEqualTo("pod-a");
    assertThat(config.concurrentPolicies()).isEqualTo(10);
    assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.probeSettings().maxConnectionsPerHost()).isEqualTo(5);
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
    assertThat(config.leaseNamespace()).isNull();
    assertThat(config.concurrentPolicies()).isEqualTo(3);
    assertThat(config.probeSettings().maxConnectionsPerHost()).isEqualTo(1);
    assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void aBadFlagIsAUsageError() {
    assertThat(MailTlsCommand.commandLine().execute("operator", "--log-format", "xml"))
        .isEqualTo(2);
    assertThatThrownBy(() -> parse("--max-concurrent-policies", "many"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--max-concurrent-policies");
  }
}
