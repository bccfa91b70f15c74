package io.mailtls.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.mailtls.TestingProject;
import io.mailtls.api.EndpointSpec;
import io.mailtls.api.MailEndpointPolicy;
import io.mailtls.api.MailEndpointPolicySpec;
import io.mailtls.api.MailEndpointPolicyStatus;
import io.mailtls.api.StatusSummary;
import io.mailtls.probe.Testbed;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A crash and a new operator process: {@code mailtls operator} from the packaged jar, twice,
 * against Fabric8's mock API server in CRUD mode (the only stand-in) and the real testbed servers.
 * The first process probes and is killed; the second must take over the policy's status and metrics
 * from what is stored, with no moment where a deprecated endpoint looks compliant, and without
 * probing before the policy is due.
 */
@ExtendWith(Testbed.class)
@EnableKubernetesMockClient(crud = true, https = false)
class OperatorRestartIT {
  private static final Path ROOT = TestingProject.ROOT;
  private static final String MODERN = "smtp://127.0.0.1:24025";
  private static final String LEGACY = "smtp://127.0.0.1:24026";

  static KubernetesClient client;
  static KubernetesMockServer server;

  @Test
  void aNewProcessTakesOverStatusAndMetricsWithNoFalseCompliant() throws Exception {
    TestingCrd.install(client);
    createPolicy();

    Process first = startOperator(TestingPolicies.unusedLoopbackPort(), "first");
    MailEndpointPolicyStatus probed;
    try {
      probed =
          await()
              .atMost(Duration.ofSeconds(60))
              .until(this::status, s -> s != null && s.summary() != null);
    } finally {
      first.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // a crash: no clean shutdown
    }
    assertThat(probed.summary()).isEqualTo(new StatusSummary(2, 1, 1, 0));

    int metricsPort = TestingPolicies.unusedLoopbackPort();
    List<String> samples = new CopyOnWriteArrayList<>();
    AtomicBoolean sampling = new AtomicBoolean(true);
    Thread sampler = Thread.ofVirtual().start(() -> sample(metricsPort, samples, sampling));
    Process second = startOperator(metricsPort, "second");
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> samples.contains("metrics " + LEGACY + " compliant=0.0"));
      Thread.sleep(3_000); // keep watching a while after the series came back
    } finally {
      // A flag, not an interrupt: an interrupted HTTP request can keep HttpClient.close() waiting.
      sampling.set(false);
      sampler.join(Duration.ofSeconds(30));
      second.destroy();
      second.waitFor(30, TimeUnit.SECONDS);
    }

    // Every sample, from the second process's first moment on: the legacy endpoint never
    // compliant, the policy never Compliant, and the modern endpoint restored as compliant.
    Set<String> distinct = new TreeSet<>(samples);
    assertThat(distinct)
        .containsExactlyInAnyOrder(
            "metrics " + LEGACY + " compliant=0.0",
            "metrics " + MODERN + " compliant=1.0",
            "status Compliant=False verdicts=[Compliant, DeprecatedTLSAccepted]");
    // Restored from the status, not probed again: the policy is not due for an hour.
    assertThat(status().lastProbeTime()).isEqualTo(probed.lastProbeTime());
  }

  private static void createPolicy() {
    MailEndpointPolicy policy = new MailEndpointPolicy();
    policy.getMetadata().setName("exchange");
    policy.getMetadata().setNamespace("mail");
    policy.setSpec(
        new MailEndpointPolicySpec(
            List.of(
                new EndpointSpec(MODERN, "mail.test.local"),
                new EndpointSpec(LEGACY, "mail.test.local")),
            null,
            null,
            "1h",
            "5s",
            null));
    client.resource(policy).create();
  }

  private MailEndpointPolicyStatus status() {
    return TestingPolicies.status(client, "exchange");
  }

  /** Records, every 50 ms, the compliant series of the new process and the stored verdicts. */
  private void sample(int metricsPort, List<String> samples, AtomicBoolean sampling) {
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpRequest scrape =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
              .timeout(Duration.ofSeconds(2))
              .build();
      while (sampling.get()) {
        try {
          for (String line :
              http.send(scrape, HttpResponse.BodyHandlers.ofLines()).body().toList()) {
            if (line.startsWith("mailtls_endpoint_compliant{")) {
              String endpoint = line.replaceAll(".*endpoint=\"([^\"]*)\".*", "$1");
              samples.add(
                  "metrics "
                      + endpoint
                      + " compliant="
                      + line.substring(line.lastIndexOf(' ') + 1));
            }
          }
        } catch (java.io.IOException | java.io.UncheckedIOException notListeningYet) {
          // the process is still starting
        }
        MailEndpointPolicyStatus status = status();
        List<String> verdicts = new ArrayList<>();
        status.endpoints().forEach(e -> verdicts.add(e.verdict()));
        verdicts.sort(null);
        samples.add(
            "status Compliant="
                + status.condition("Compliant").getStatus()
                + " verdicts="
                + verdicts);
        Thread.sleep(50);
      }
    } catch (InterruptedException done) {
      Thread.currentThread().interrupt();
    }
  }

  private static Process startOperator(int metricsPort, String name) throws Exception {
    Path log = ROOT.resolve("operator/target/restart-it-" + name + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-jar",
                ROOT.resolve("operator/target/mailtls.jar").toString(),
                "operator",
                "--no-leader-election",
                "--health-port",
                "0",
                "--metrics-port",
                String.valueOf(metricsPort),
                "--namespaces",
                "mail",
                "--ca-file",
                Testbed.caFile().toString(),
                // The testbed listens on non-mail ports, which the default guard refuses.
                "--allow-ports",
                "24025,24026")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    // Fabric8's client takes the API server from the environment; no kubeconfig, no token.
    builder.environment().put("KUBERNETES_MASTER", server.url("/"));
    builder.environment().put("KUBERNETES_AUTH_TRYKUBECONFIG", "false");
    builder.environment().put("KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false");
    return builder.start();
  }
}
