package io.mailtls.metrics;

import static io.mailtls.metrics.MetricNames.PROBE_FAILURE_INFO;
import static io.mailtls.metrics.MetricNames.PROBE_SECONDS;
import static io.mailtls.metrics.MetricNames.PROBE_SUCCESS;

import io.mailtls.api.EndpointStatus;
import io.mailtls.api.MailEndpointPolicyStatus;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The series of one /probe answer, in a registry of its own that lives as long as the response:
 * blackbox_exporter's {@code probe_success} and {@code probe_duration_seconds}, then the same
 * {@code mailtls_endpoint_*} series a policy's endpoints have in /metrics, labelled with the {@code
 * module} instead of a namespace and policy, and {@code mailtls_probe_failure_info}, which says why
 * an endpoint could not be judged (a policy's status says that; a /probe answer has no status).
 */
public final class ProbeSeries {
  private ProbeSeries() {}

  /**
   * The registry to answer with.
   *
   * @param module the module's name, the {@code module} label of every endpoint series
   * @param status what the probe found, as a policy's status
   * @param took how long the probe took, the value of {@code probe_duration_seconds}
   * @throws IllegalStateException when two series would have the same labels (a bug)
   */
  public static PrometheusRegistry registry(
      String module, MailEndpointPolicyStatus status, Duration took) {
    List<EndpointView> endpoints =
        status.endpoints() == null
            ? List.of()
            : status.endpoints().stream().map(EndpointView::of).toList();
    Samples samples =
        EndpointSeries.declare(
                new Samples()
                    .gauge(
                        PROBE_SUCCESS,
                        "1 when every endpoint of the target was probed and meets the module's"
                            + " policy, else 0")
                    .gauge(
                        PROBE_SECONDS, "How long the probe took (the cached probe's, if cached)"))
            .info(
                PROBE_FAILURE_INFO,
                "1 for every endpoint whose verdict a failure decided, with its failure class");
    samples.add(PROBE_SUCCESS, Labels.EMPTY, allCompliant(status) ? 1 : 0);
    samples.add(PROBE_SECONDS, Labels.EMPTY, took.toNanos() / 1e9);
    Labels base = Labels.of("module", module);
    EndpointSeries.render(base, endpoints, samples);
    for (Map.Entry<String, EndpointView> labelled : EndpointSeries.distinct(endpoints).entrySet()) {
      EndpointView endpoint = labelled.getValue();
      if (endpoint.failure() != null) {
        samples.add(
            PROBE_FAILURE_INFO,
            base.add("endpoint", labelled.getKey())
                .add("protocol", endpoint.protocol())
                .add("failure", endpoint.failure()));
      }
    }
    samples.commit();
    MetricSnapshots snapshots = new MetricSnapshots(samples.snapshots());
    PrometheusRegistry registry = new PrometheusRegistry();
    registry.register(() -> snapshots);
    return registry;
  }

  /**
   * What {@code probe_success} says: 1 when the target has at least one entry and every one was
   * probed and meets the module's policy ({@code mailtls_endpoint_compliant} 1: compliant, or a
   * null MX); 0 when one is not compliant, or could not be probed (Unreachable, Forbidden, cut
   * short by the scrape's deadline). {@code mailtls_endpoint_up} tells those apart.
   */
  public static boolean allCompliant(MailEndpointPolicyStatus status) {
    List<EndpointStatus> endpoints = status.endpoints() == null ? List.of() : status.endpoints();
    return !endpoints.isEmpty()
        && endpoints.stream()
            .map(EndpointView::of)
            .allMatch(e -> e.up() && e.verdict().meetsPolicy());
  }
}
