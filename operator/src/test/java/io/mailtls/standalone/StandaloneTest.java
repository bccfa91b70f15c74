package io.mailtls.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

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

    PolicyFiles.Loaded<MailEndpointPolicy> loaded = PolicyFiles.load(dir, SCHEMA);

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

  private static final String LABEL = "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
  private static final String SCHEMA_TARGET_PATTERN =
      "^((smtp|submission|smtps|imap|imaps|pop3|pop3s)://("
          + LABEL
          + "(\\."
          + LABEL
          + ")*|\\[[0-9A-Fa-f:.]+\\])|mx://"
          + LABEL
          + "(\\."
          + LABEL
          + ")*)(:(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?$";

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
    FirstStatus first = firstStatus(dir, "gone");

    assertThat(first.status().endpoints().getFirst().failure()).isEqualTo("ConnectionRefused");
    assertThat(first.status().condition("Compliant").getReason()).isEqualTo("Unreachable");
    assertThat(first.scrape())
        .contains(
            "mailtls_endpoint_up{endpoint=\"smtp://127.0.0.1:"
                + closed
                + "\",namespace=\"mail\",policy=\"gone\",protocol=\"smtp\"} 0.0")
        .contains("mailtls_probe_failures_total{reason=\"ConnectionRefused\"} 1.0");
  }

  /** A policy's first status in `mailtls run` (namespace mail), and /metrics right after it. */
  private record FirstStatus(MailEndpointPolicyStatus status, String scrape) {}

  private static FirstStatus firstStatus(Path dir, String name) throws Exception {
    MailTlsMetrics metrics = MailTlsMetrics.withJvmMetrics();
    try (StandaloneRunner runner =
        StandaloneRunner.create(ProbeSettings.defaults(), metrics, Clock.systemUTC(), 2)) {
      runner.start(PolicyFiles.load(dir, SCHEMA).policies());
      MailEndpointPolicyStatus status =
          await()
              .atMost(Duration.ofSeconds(20))
              .until(() -> runner.status("mail", name), s -> s != null);
      return new FirstStatus(status, metrics.scrape());
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
    FirstStatus first = firstStatus(dir, "paused");

    assertThat(first.status().condition("Ready").getReason()).isEqualTo("Suspended");
    assertThat(first.status().endpoints()).isEmpty();
    assertThat(first.status().lastProbeTime()).isNull();
    assertThat(first.scrape())
        .contains("mailtls_policy_interval_seconds{namespace=\"mail\",policy=\"paused\"} 300.0")
        .doesNotContain("mailtls_probe_duration_seconds_count");
  }

  private static final String GOOD =
      """
      apiVersion: mailtls.io/v1alpha1
      kind: MailEndpointPolicy
      metadata: {name: edge, namespace: mail}
      spec:
        endpoints: [{target: smtp://mx.example.com}]
      """;

  /** Files that would block, exhaust the heap or take forever are skipped, each named. */
  @Test
  void filesThatAreNotRegularOrTooLargeAreSkippedWithTheirReason(@TempDir Path dir)
      throws Exception {
    Files.writeString(dir.resolve("a-good.yaml"), GOOD);
    Path fifo = dir.resolve("b-fifo.yaml");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
    Files.createDirectory(dir.resolve("c-dir.yaml"));
    Files.writeString(
        dir.resolve("d-huge.yaml"),
        "apiVersion: mailtls.io/v1alpha1\nkind: MailEndpointPolicy\nmetadata: {name: huge}\n"
            + "spec: {endpoints: [{target: smtp://mx.example.com, serverName: '"
            + "x".repeat(PolicyFiles.MAX_FILE_BYTES)
            + "'}]}\n");
    Files.writeString(
        dir.resolve("e-many.yaml"), "--- {}\n".repeat(PolicyFiles.MAX_DOCUMENTS_PER_FILE + 1));

    PolicyFiles.Loaded<MailEndpointPolicy> loaded =
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> PolicyFiles.load(dir, SCHEMA));

    assertThat(loaded.policies())
        .extracting(p -> p.getMetadata().getName())
        .containsExactly("edge");
    assertThat(loaded.errors())
        .containsExactly(
            fifo + ": not a regular file",
            dir.resolve("c-dir.yaml") + ": not a regular file",
            dir.resolve("d-huge.yaml") + ": larger than 1048576 bytes",
            dir.resolve("e-many.yaml") + ": more than 1000 documents");
  }

  /** Metadata is checked as the API server checks it: a bad one is named, never a crash. */
  @Test
  void wrongTypedMetadataIsLoggedAndSkipped(@TempDir Path dir) throws Exception {
    String policy =
        """
        apiVersion: mailtls.io/v1alpha1
        kind: MailEndpointPolicy
        metadata: %s
        spec:
          endpoints: [{target: smtp://mx.example.com}]
        ---
        """;
    Files.writeString(
        dir.resolve("p.yaml"),
        GOOD
            + "---\n"
            + policy.formatted("{name: a, labels: [a, b]}")
            + policy.formatted("{name: b, generation: abc}")
            + policy.formatted("{name: \"c\\nlevel=ERROR forged\"}")
            + policy.formatted("{name: d, namespace: Mail_Team}")
            + policy.formatted("{name: e, annotations: {a: {b: c}}}")
            + policy.formatted("[1, 2]"));

    PolicyFiles.Loaded<MailEndpointPolicy> loaded = PolicyFiles.load(dir, SCHEMA);

    assertThat(loaded.policies())
        .extracting(p -> p.getMetadata().getName())
        .containsExactly("edge");
    Path file = dir.resolve("p.yaml");
    assertThat(loaded.errors())
        .contains(
            file + ": metadata.labels: expected a map of strings to strings",
            file
                + ": metadata.name: must be a lowercase DNS-1123 subdomain (a-z, 0-9, '-', '.'; at"
                + " most 253 characters)",
            file + ": metadata.namespace: must be a lowercase DNS-1123 label (a-z, 0-9, '-')",
            file + ": metadata.annotations: expected a map of strings to strings",
            file + ": metadata: expected an object")
        .anySatisfy(e -> assertThat(e).startsWith(file + ": metadata.generation: "))
        .allSatisfy(e -> assertThat(e).doesNotContain("\n"));
  }
}
