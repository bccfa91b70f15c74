package io.mailtls.metrics;

import static io.mailtls.metrics.MetricNames.BUILD_INFO;
import static io.mailtls.metrics.MetricNames.PROBE_CONFIG_RELOAD_SUCCESSFUL;
import static io.mailtls.metrics.MetricNames.PROBE_CONFIG_RELOAD_TIMESTAMP;
import static io.mailtls.metrics.MetricNames.PROBE_DURATION;
import static io.mailtls.metrics.MetricNames.PROBE_FAILURES;

import io.mailtls.api.EndpointStatus;
import io.mailtls.api.MailEndpointPolicyStatus;
import io.mailtls.api.SenderStatus;
import io.mailtls.compliance.Verdict;
import io.mailtls.policy.EndpointOutcome;
import io.mailtls.receiver.SessionOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every mailtls meter, in one place. The endpoint and policy series are a rendering of the latest
 * status of each policy, built at scrape time ({@link PolicyStatusCollector}); so the same status
 * shows the same series after a probe round and after a restart, and a policy that is removed has
 * none. Probe durations and failures are events, counted with Micrometer as they happen.
 */
public final class MailTlsMetrics {
  private static final Duration[] DURATION_BUCKETS = {
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30),
    Duration.ofSeconds(60)
  };

  private static final Set<String> DENIED = Set.of("system.cpu.count", "process.cpu.time");

  private final PrometheusMeterRegistry registry;
  private final RenderFailures failures = new RenderFailures();
  private final PolicyStatusCollector policies = new PolicyStatusCollector(failures);
  private final SenderStatusCollector senders = new SenderStatusCollector(failures);
  private final AtomicLong configLoaded = new AtomicLong();
  private final AtomicLong configLoadedAt = new AtomicLong();
  private final AtomicBoolean configGauges = new AtomicBoolean();

  public MailTlsMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
    registry.getPrometheusRegistry().register(policies);
    registry.getPrometheusRegistry().register(senders);
    registry.getPrometheusRegistry().register(failures);
  }

  /** A registry with the JVM and process meters, for the operator and the standalone mode. */
  public static MailTlsMetrics withJvmMetrics() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Two of Micrometer's process meters break Prometheus naming rules (`promtool check metrics`
    // says so): a "_count" suffix on a gauge, a "_ns" unit. Leave them out.
    registry.config().meterFilter(MeterFilter.deny(id -> DENIED.contains(id.getName())));
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    // The process series as Prometheus users know them (process_cpu_seconds_total,
    // process_resident_memory_bytes, process_open_fds, process_start_time_seconds), from the
    // Prometheus client; Micrometer's UptimeMetrics would register process_start_time_seconds too.
    ProcessMetrics.builder().register(registry.getPrometheusRegistry());
    // An info metric of the Prometheus client: Micrometer would drop the name's _info suffix.
    BuildInfo build = BuildInfo.current();
    Info.builder()
        .name(BUILD_INFO)
        .help("1, with the version and commit of this build (absent: nothing is checked)")
        .labelNames("version", "commit")
        .register(registry.getPrometheusRegistry())
        .addLabelValues(build.version(), build.commit());
    return new MailTlsMetrics(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** Everything, for the HTTP exporter: Micrometer's meters and the policy series. */
  public PrometheusRegistry prometheusRegistry() {
    return registry.getPrometheusRegistry();
  }

  /** The Prometheus text exposition of everything. */
  public String scrape() {
    return registry.scrape();
  }

  /**
   * Counts a probe round's durations and failures; the series of a status come from {@link #show}.
   */
  public void recordRound(List<EndpointOutcome> outcomes) {
    for (EndpointOutcome outcome : outcomes) {
      String protocol = outcome.result().endpoint().protocol().scheme();
      // A domain's own entry (null MX, failed look-up) and an MX host that is an address took no
      // probe.
      boolean probed =
          (outcome.origin() == null || outcome.origin().preference() != null)
              && !outcome.result().versions().isEmpty();
      if (probed) {
        Timer.builder(PROBE_DURATION)
            .description("How long probing one endpoint (all its versions) took")
            .tag("protocol", protocol)
            .serviceLevelObjectives(DURATION_BUCKETS)
            .register(registry)
            .record(Duration.ofMillis(outcome.result().durationMillis()));
      }
      Verdict verdict = outcome.assessment().verdict();
      if (outcome.result().failure() != null || verdict == Verdict.UNREACHABLE) {
        String reason =
            outcome.result().failure() != null
                ? outcome.result().failure().kind().reason()
                : Verdict.UNREACHABLE.reason();
        Counter.builder(PROBE_FAILURES)
            .description("Endpoint probes that could not test the versions that decide the verdict")
            .tag("reason", reason)
            .register(registry)
            .increment();
      }
    }
  }

  /** From now on, the policy's series show this status (null: no endpoint series yet). */
  public void show(
      String namespace, String policy, Duration interval, MailEndpointPolicyStatus status) {
    List<EndpointStatus> endpoints =
        status == null || status.endpoints() == null ? List.of() : status.endpoints();
    policies.put(
        new PolicyStatusCollector.PolicyView(
            namespace,
            policy,
            interval,
            endpoints.stream().flatMap(e -> EndpointView.read(e).stream()).toList()));
  }

  /** A deleted policy: none of its series are rendered any more. */
  public void remove(String namespace, String policy) {
    policies.remove(namespace, policy);
  }

  /** From now on, the sender policy's series show these senders. */
  public void showSenders(String namespace, String policy, List<SenderStatus> statuses) {
    senders.put(namespace, policy, statuses == null ? List.of() : statuses);
  }

  /**
   * The exporter's config file was (re)loaded, or could not be: as blackbox_exporter's {@code
   * …_config_last_reload_successful}, so that an alert can say that a reload failed (the old config
   * still serves).
   */
  public void probeConfigLoaded(boolean successful) {
    configLoaded.set(successful ? 1 : 0);
    if (successful) {
      configLoadedAt.set(System.currentTimeMillis() / 1000);
    }
    if (configGauges.compareAndSet(false, true)) {
      Gauge.builder(PROBE_CONFIG_RELOAD_SUCCESSFUL, configLoaded, AtomicLong::get)
          .description("1 when the last load of --probe-config succeeded, 0 when it failed")
          .register(registry);
      Gauge.builder(PROBE_CONFIG_RELOAD_TIMESTAMP, configLoadedAt, AtomicLong::get)
          .description("When --probe-config was last loaded successfully")
          .register(registry);
    }
  }

  /** A deleted sender policy: none of its series are rendered any more. */
  public void removeSenders(String namespace, String policy) {
    senders.remove(namespace, policy);
  }

  /** The test receiver runs here: its session counters are rendered, zeros included. */
  public void receiverStarted() {
    senders.receiving();
  }

  /** One session the test receiver recorded. */
  public void countSession(SessionOutcome outcome, boolean fromExpectedSender) {
    senders.countSession(outcome, fromExpectedSender);
  }
}
