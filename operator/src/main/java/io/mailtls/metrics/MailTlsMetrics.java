package io.mailtls.metrics;

import io.mailtls.api.EndpointStatus;
import io.mailtls.api.MailEndpointPolicyStatus;
import io.mailtls.compliance.Verdict;
import io.mailtls.policy.EndpointOutcome;
import io.mailtls.probe.Endpoint;
import io.mailtls.probe.TlsVersion;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.Info;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Every mailtls meter, in one place. Endpoint gauges are drawn from a policy's status, so the same
 * code publishes after a probe round and restores the series after a restart (from the status the
 * last process wrote) before any new probe. A removed endpoint or policy loses its series at once.
 */
public final class MailTlsMetrics {
  static final String TLS_VERSION_ACCEPTED = "mailtls_endpoint_tls_version_accepted";
  static final String COMPLIANT = "mailtls_endpoint_compliant";
  static final String UP = "mailtls_endpoint_up";
  static final String INFO = "mailtls_endpoint_info";
  static final String CERTIFICATE_EXPIRY = "mailtls_endpoint_certificate_expiry_timestamp_seconds";
  static final String LAST_PROBE = "mailtls_endpoint_last_probe_timestamp_seconds";
  static final String INTERVAL = "mailtls_policy_interval_seconds";
  static final String PROBE_DURATION = "mailtls_probe_duration";
  static final String PROBE_FAILURES = "mailtls_probe_failures";

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
  private final Info endpointInfo;

  /** What each policy shows now, so that a new status can drop what it no longer has. */
  private final Map<String, Set<Meter.Id>> gaugesByPolicy = new HashMap<>();

  private final Map<String, Set<List<String>>> infosByPolicy = new HashMap<>();
  private final Map<Meter.Id, AtomicReference<Double>> values = new HashMap<>();

  public MailTlsMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
    // Micrometer names a gauge "x_info" "x" (a reserved suffix), so the info series is the
    // Prometheus client's own Info metric.
    this.endpointInfo =
        Info.builder()
            .name(INFO)
            .help("1 for every endpoint, with its verdict, server software and best version")
            .labelNames(
                "namespace",
                "policy",
                "endpoint",
                "protocol",
                "verdict",
                "server_software",
                "best_version")
            .register(registry.getPrometheusRegistry());
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
    new UptimeMetrics().bindTo(registry);
    return new MailTlsMetrics(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition of everything. */
  public String scrape() {
    return registry.scrape();
  }

  /** Counts a probe round's durations and failures; the gauges come from {@link #show}. */
  public synchronized void recordRound(List<EndpointOutcome> outcomes) {
    for (EndpointOutcome outcome : outcomes) {
      String protocol = outcome.result().endpoint().protocol().scheme();
      Timer.builder(PROBE_DURATION)
          .description("How long probing one endpoint (all its versions) took")
          .tag("protocol", protocol)
          .serviceLevelObjectives(DURATION_BUCKETS)
          .register(registry)
          .record(Duration.ofMillis(outcome.result().durationMillis()));
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

  /** Shows a policy's status as gauges, replacing what it showed before. */
  public synchronized void show(
      String namespace, String policy, Duration interval, MailEndpointPolicyStatus status) {
    String key = namespace + "/" + policy;
    Tags policyTags = Tags.of("namespace", namespace, "policy", policy);
    Set<Meter.Id> gauges = new HashSet<>();
    Set<List<String>> infos = new HashSet<>();
    gauges.add(gauge(INTERVAL, "The probe interval of a policy", policyTags, interval.toSeconds()));
    List<EndpointStatus> endpoints = status == null ? List.of() : status.endpoints();
    for (EndpointStatus endpoint : endpoints == null ? List.<EndpointStatus>of() : endpoints) {
      String protocol = Endpoint.parse(endpoint.target()).protocol().scheme();
      Tags tags = policyTags.and("endpoint", endpoint.target(), "protocol", protocol);
      boolean reachable =
          !Verdict.UNREACHABLE.reason().equals(endpoint.verdict())
              && !Verdict.FORBIDDEN.reason().equals(endpoint.verdict());
      gauges.add(
          gauge(
              COMPLIANT,
              "1 when the endpoint meets its policy, else 0",
              tags,
              Verdict.COMPLIANT.reason().equals(endpoint.verdict()) ? 1 : 0));
      gauges.add(gauge(UP, "1 when the endpoint could be probed, else 0", tags, reachable ? 1 : 0));
      gauges.add(
          gauge(
              LAST_PROBE,
              "When the endpoint was last probed",
              tags,
              Instant.parse(endpoint.lastProbeTime()).getEpochSecond()));
      if (endpoint.certificateNotAfter() != null) {
        gauges.add(
            gauge(
                CERTIFICATE_EXPIRY,
                "When the endpoint's certificate expires",
                tags,
                Instant.parse(endpoint.certificateNotAfter()).getEpochSecond()));
      }
      if (reachable) {
        for (TlsVersion version : TlsVersion.values()) {
          if (endpoint.untestedVersions() == null
              || !endpoint.untestedVersions().contains(version.label())) {
            gauges.add(
                gauge(
                    TLS_VERSION_ACCEPTED,
                    "1 when the endpoint accepts the protocol version, 0 when it refuses it",
                    tags.and("tls_version", version.label()),
                    endpoint.acceptedVersions().contains(version.label()) ? 1 : 0));
          }
        }
      }
      List<String> info =
          List.of(
              namespace,
              policy,
              endpoint.target(),
              protocol,
              endpoint.verdict(),
              endpoint.serverSoftware() == null ? "" : endpoint.serverSoftware(),
              endpoint.bestVersion() == null ? "" : endpoint.bestVersion());
      endpointInfo.addLabelValues(info.toArray(String[]::new));
      infos.add(info);
    }
    drop(gaugesByPolicy.getOrDefault(key, Set.of()), gauges);
    dropInfos(infosByPolicy.getOrDefault(key, Set.of()), infos);
    gaugesByPolicy.put(key, gauges);
    infosByPolicy.put(key, infos);
  }

  /** A deleted policy: all its series go. */
  public synchronized void remove(String namespace, String policy) {
    String key = namespace + "/" + policy;
    drop(gaugesByPolicy.getOrDefault(key, Set.of()), Set.of());
    dropInfos(infosByPolicy.getOrDefault(key, Set.of()), Set.of());
    gaugesByPolicy.remove(key);
    infosByPolicy.remove(key);
  }

  private Meter.Id gauge(String name, String help, Tags tags, double value) {
    AtomicReference<Double> holder = new AtomicReference<>(value);
    Gauge gauge =
        Gauge.builder(name, holder, AtomicReference::get)
            .description(help)
            .tags(tags)
            .strongReference(true)
            .register(registry);
    // Registering an existing id returns the existing gauge, bound to its first holder.
    values.computeIfAbsent(gauge.getId(), id -> holder).set(value);
    return gauge.getId();
  }

  private void drop(Set<Meter.Id> before, Set<Meter.Id> now) {
    for (Meter.Id id : new ArrayList<>(before)) {
      if (!now.contains(id)) {
        registry.remove(id);
        values.remove(id);
      }
    }
  }

  private void dropInfos(Set<List<String>> before, Set<List<String>> now) {
    for (List<String> labels : before) {
      if (!now.contains(labels)) {
        endpointInfo.remove(labels.toArray(String[]::new));
      }
    }
  }
}
