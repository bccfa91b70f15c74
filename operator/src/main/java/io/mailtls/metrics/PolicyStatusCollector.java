package io.mailtls.metrics;

import static io.mailtls.metrics.MetricNames.INTERVAL;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The endpoint and policy series, built at scrape time from the latest view of every policy. No
 * series is added or removed by hand: a policy that is no longer shown has none, by construction. A
 * policy whose series cannot be rendered is left out of the scrape, and only it ({@link
 * RenderFailures}).
 */
final class PolicyStatusCollector implements MultiCollector {

  /** The latest view of one policy. */
  record PolicyView(
      String namespace, String policy, Duration interval, List<EndpointView> endpoints)
      implements RenderFailures.Shown {}

  private final Map<String, PolicyView> policies = new ConcurrentHashMap<>();
  private final RenderFailures failures;

  PolicyStatusCollector(RenderFailures failures) {
    this.failures = failures;
  }

  void put(PolicyView view) {
    policies.put(view.namespace() + "/" + view.policy(), view);
  }

  void remove(String namespace, String policy) {
    policies.remove(namespace + "/" + policy);
  }

  @Override
  public MetricSnapshots collect() {
    Samples samples =
        EndpointSeries.declare(new Samples().gauge(INTERVAL, "The probe interval of a policy"));
    failures.renderEach("endpoint", policies.values(), samples, PolicyStatusCollector::render);
    return new MetricSnapshots(samples.snapshots());
  }

  private static void render(PolicyView view, Samples samples) {
    Labels policyLabels = Labels.of("namespace", view.namespace(), "policy", view.policy());
    samples.add(INTERVAL, policyLabels, view.interval().toSeconds());
    EndpointSeries.render(policyLabels, view.endpoints(), samples);
  }
}
