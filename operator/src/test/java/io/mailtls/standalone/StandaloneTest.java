package io.mailtls.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mailtls.api.MailEndpointPolicy;
import io.mailtls.api.MailEndpointPolicyStatus;
import io.mailtls.metrics.MailTlsMetrics;
import io.mailtls.probe.ProbeSettings;
import io.mailtls.schema.PolicySchema;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StandaloneTest {
  private static final PolicySchema SCHEMA = PolicySchema.fromClasspath();

  @Test
  void aBadFileIsNamedWithItsFieldAndTheOthersAreKept(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("a-good.yaml"),
        """
        apiVersion: mailtls.io/v1alpha1
        kind: MailEndpointPolicy
        metadata: {name: edge, namespace: mail}
        spec:
          endpoints: [{target: smtp://mx.example.com}]
        ---
        apiVersion: mailtls.io/v1alpha1
        kind: MailEndpointPolicy
        metadata: {name: relay}
        spec:
          endpoints: [{target: smtps://relay.example.com}]
          interval: 1h
        """);
    Files.writeString(
        dir.resolve("b-bad.yaml"),
        """
        apiVersion: mailtls.io/v1alpha1
        kind: MailEndpointPolicy
        metadata: {name: broken}
        spec:
          endpoints: [{target: http://www.example.com}]
          interval: 10s
        """);
    Files.writeString(
        dir.resolve("c-other.yml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
    Files.writeString(dir.resolve("notes.txt"), "not a policy");

    PolicyFiles.Loaded loaded = PolicyFiles.load(dir, SCHEMA);

    assertThat(loaded.policies())
        .extracting(p -> p.getMetadata().getNamespace() + "/" + p.getMetadata().getName())
        .containsExactly("mail/edge", "default/relay");
    MailEndpointPolicy edge = loaded.policies().getFirst();
    assertThat(edge.getSpec().interval()).isEqualTo("15m"); // the CRD default
    assertThat(loaded.errors())
        .containsExactly(
            dir.resolve("b-bad.yaml")
                + ": spec.endpoints[0].target: does not match the regex pattern "
                + SCHEMA_TARGET_PATTERN,
            dir.resolve("c-other.yml") + ": apiVersion: expected mailtls.io/v1alpha1",
            dir.resolve("c-other.yml") + ": kind: expected MailEndpointPolicy",
            dir.resolve("c-other.yml") + ": spec: required");
  }

  private static final String SCHEMA_TARGET_PATTERN =
      "^(smtp|submission|smtps|imap|imaps|pop3|pop3s)://([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
          + "(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\\[[0-9A-Fa-f:.]+\\])"
          + "(:(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?$";

  @Test
  void policiesAreProbedAndShownOnTheMetrics(@TempDir Path dir) throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    Files.writeString(
        dir.resolve("p.yaml"),
        """
        apiVersion: mailtls.io/v1alpha1
        kind: MailEndpointPolicy
        metadata: {name: gone, namespace: mail}
        spec:
          endpoints: [{target: "smtp://127.0.0.1:%d"}]
          timeout: 2s
        """
            .formatted(closed));
    MailTlsMetrics metrics = MailTlsMetrics.withJvmMetrics();
    try (StandaloneRunner runner =
        StandaloneRunner.create(ProbeSettings.defaults(), metrics, Clock.systemUTC(), 2)) {
      runner.start(PolicyFiles.load(dir, SCHEMA).policies());
      MailEndpointPolicyStatus status =
          await()
              .atMost(Duration.ofSeconds(20))
              .until(() -> runner.status("mail", "gone"), s -> s != null);
      assertThat(status.endpoints().getFirst().failure()).isEqualTo("ConnectionRefused");
      assertThat(status.condition("Compliant").getReason()).isEqualTo("Unreachable");
      assertThat(metrics.scrape())
          .contains(
              "mailtls_endpoint_up{endpoint=\"smtp://127.0.0.1:"
                  + closed
                  + "\",namespace=\"mail\",policy=\"gone\",protocol=\"smtp\"} 0.0")
          .contains("mailtls_probe_failures_total{reason=\"ConnectionRefused\"} 1.0");
    }
  }

  /** The same round as the operator: a suspended policy has a status and shows its series. */
  @Test
  void aSuspendedPolicyIsNotProbedButShowsItsStatusAndSeries(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("p.yaml"),
        """
        apiVersion: mailtls.io/v1alpha1
        kind: MailEndpointPolicy
        metadata: {name: paused, namespace: mail}
        spec:
          endpoints: [{target: "smtp://127.0.0.1:25"}]
          interval: 5m
          suspend: true
        """);
    MailTlsMetrics metrics = MailTlsMetrics.withJvmMetrics();
    try (StandaloneRunner runner =
        StandaloneRunner.create(ProbeSettings.defaults(), metrics, Clock.systemUTC(), 2)) {
      runner.start(PolicyFiles.load(dir, SCHEMA).policies());
      MailEndpointPolicyStatus status =
          await()
              .atMost(Duration.ofSeconds(20))
              .until(() -> runner.status("mail", "paused"), s -> s != null);

      assertThat(status.condition("Ready").getReason()).isEqualTo("Suspended");
      assertThat(status.endpoints()).isEmpty();
      assertThat(status.lastProbeTime()).isNull();
      assertThat(metrics.scrape())
          .contains("mailtls_policy_interval_seconds{namespace=\"mail\",policy=\"paused\"} 300.0")
          .doesNotContain("mailtls_probe_duration_seconds_count");
    }
  }
}
