package io.mailtls.metrics;

import static io.mailtls.metrics.MetricNames.RENDER_FAILURES;

import io.mailtls.text.ServerText;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Policies whose series could not be rendered at a scrape, which shows the other policies without
 * them. Each is logged when it starts failing or fails differently (not at every scrape; once it
 * renders again, its next failure is logged again), and counted by kind: {@code
 * mailtls_metrics_render_failures_total{kind="endpoint"|"sender"}}, so that an alert can say that
 * some policy is missing from /metrics.
 */
final class RenderFailures implements MultiCollector {
  private static final Logger log = LoggerFactory.getLogger(RenderFailures.class);

  private final Map<String, LongAdder> counts =
      Map.of("endpoint", new LongAdder(), "sender", new LongAdder());
  private final Map<String, String> lastReason = new ConcurrentHashMap<>();

  /** A policy whose series are rendered at a scrape. */
  interface Shown {
    String namespace();

    String policy();
  }

  /**
   * Renders each policy's samples into {@code samples}; a policy whose rendering fails (a bug, or
   * data that would repeat a label set) is left out, logged and counted, and the others are shown.
   */
  <V extends Shown> void renderEach(
      String kind, Collection<V> views, Samples samples, BiConsumer<V, Samples> render) {
    for (V view : views) {
      try {
        render.accept(view, samples);
        samples.commit();
        lastReason.remove(key(kind, view));
      } catch (RuntimeException e) {
        samples.drop();
        failed(kind, view, e);
      }
    }
  }

  private void failed(String kind, Shown view, RuntimeException e) {
    counts.get(kind).increment();
    String reason = ServerText.clean(String.valueOf(e));
    if (!reason.equals(lastReason.put(key(kind, view), reason))) {
      log.atWarn()
          .addKeyValue("namespace", view.namespace())
          .addKeyValue("policy", view.policy())
          .log(
              "the {} series of {}/{} are left out of /metrics: {}",
              kind,
              view.namespace(),
              view.policy(),
              reason);
      log.debug("the stack of that failure", e);
    }
  }

  private static String key(String kind, Shown view) {
    return kind + " " + view.namespace() + "/" + view.policy();
  }

  @Override
  public MetricSnapshots collect() {
    CounterSnapshot.Builder builder =
        CounterSnapshot.builder()
            .name(RENDER_FAILURES)
            .help(
                "Scrapes at which a policy's series could not be rendered and were left out (the"
                    + " log names the policy)");
    counts.forEach(
        (kind, count) ->
            builder.dataPoint(
                CounterDataPointSnapshot.builder()
                    .labels(Labels.of("kind", kind))
                    .value(count.sum())
                    .build()));
    return new MetricSnapshots(builder.build());
  }
}
