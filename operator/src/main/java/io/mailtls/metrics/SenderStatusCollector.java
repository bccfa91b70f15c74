package io.mailtls.metrics;

import static io.mailtls.metrics.MetricNames.SENDER_COMPLIANT;
import static io.mailtls.metrics.MetricNames.SENDER_INFO;
import static io.mailtls.metrics.MetricNames.SENDER_LAST_SEEN;
import static io.mailtls.metrics.MetricNames.SENDER_OFFERED;
import static io.mailtls.metrics.MetricNames.SENDER_SESSIONS;

import io.mailtls.api.SenderStatus;
import io.mailtls.receiver.SessionOutcome;
import io.mailtls.sender.SenderVerdict;
import io.mailtls.tls.TlsVersion;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The sending-side series, built at scrape time from the latest status of every MailSenderPolicy,
 * and the receiver's session counts. Sessions carry no address label: a receiver reachable from the
 * internet would otherwise get a series per scanner.
 */
final class SenderStatusCollector implements MultiCollector {
  private final Map<String, View> policies = new ConcurrentHashMap<>();
  private final Map<SessionOutcome, LongAdder> known = counters();
  private final Map<SessionOutcome, LongAdder> unknown = counters();
  private volatile boolean receiving;
  private final RenderFailures failures;

  SenderStatusCollector(RenderFailures failures) {
    this.failures = failures;
  }

  private record View(String namespace, String policy, List<SenderStatus> senders)
      implements RenderFailures.Shown {}

  void put(String namespace, String policy, List<SenderStatus> senders) {
    policies.put(namespace + "/" + policy, new View(namespace, policy, List.copyOf(senders)));
  }

  void remove(String namespace, String policy) {
    policies.remove(namespace + "/" + policy);
  }

  void countSession(SessionOutcome outcome, boolean fromExpectedSender) {
    receiving = true;
    (fromExpectedSender ? known : unknown).get(outcome).increment();
  }

  void receiving() {
    receiving = true;
  }

  @Override
  public MetricSnapshots collect() {
    Samples samples =
        new Samples()
            .gauge(
                SENDER_COMPLIANT,
                "1 when the sender was seen recently and meets its policy, else 0")
            .info(
                SENDER_INFO,
                "1 for every expected sender, with its verdict and its best offered version")
            .gauge(SENDER_LAST_SEEN, "When the session the sender's verdict rests on started")
            .gauge(
                SENDER_OFFERED,
                "1 when the sender's latest ClientHello offered the version, 0 when it did not"
                    + " (versions below a legacy hello's only version are unknown: no series)");
    failures.renderEach("sender", policies.values(), samples, SenderStatusCollector::render);
    List<MetricSnapshot> snapshots = new ArrayList<>(samples.snapshots());
    if (receiving) {
      CounterSnapshot.Builder sessions =
          CounterSnapshot.builder()
              .name(SENDER_SESSIONS)
              .help(
                  "Sessions the test receiver recorded, by outcome and by whether the client was"
                      + " an expected sender of some policy");
      for (SessionOutcome outcome : SessionOutcome.values()) {
        for (boolean expected : new boolean[] {true, false}) {
          sessions.dataPoint(
              CounterDataPointSnapshot.builder()
                  .labels(
                      Labels.of("outcome", outcome.label(), "expected", String.valueOf(expected)))
                  .value((expected ? known : unknown).get(outcome).sum())
                  .build());
        }
      }
      snapshots.add(sessions.build());
    }
    return new MetricSnapshots(snapshots);
  }

  private static void render(View view, Samples samples) {
    for (SenderStatus sender : view.senders()) {
      Labels labels =
          Labels.of(
              "namespace", view.namespace(), "policy", view.policy(), "sender", sender.name());
      samples.add(
          SENDER_COMPLIANT,
          labels,
          SenderVerdict.COMPLIANT.reason().equals(sender.verdict()) ? 1 : 0);
      List<String> versions = sender.offeredVersions();
      String best = versions == null || versions.isEmpty() ? "none" : versions.getLast();
      samples.add(SENDER_INFO, labels.add("verdict", sender.verdict()).add("best_offered", best));
      if (sender.lastSeen() != null) {
        samples.add(SENDER_LAST_SEEN, labels, Instant.parse(sender.lastSeen()).getEpochSecond());
      }
      if (versions != null && !versions.isEmpty()) {
        TlsVersion lowestKnown =
            versions.size() == 1 && !versions.getFirst().equals("TLSv1.3")
                ? TlsVersion.fromLabel(versions.getFirst())
                : TlsVersion.SSL_3_0;
        for (TlsVersion version : TlsVersion.values()) {
          if (version.isAtLeast(lowestKnown) || versions.contains(version.label())) {
            samples.add(
                SENDER_OFFERED,
                labels.add("tls_version", version.label()),
                versions.contains(version.label()) ? 1 : 0);
          }
        }
      }
    }
  }

  private static Map<SessionOutcome, LongAdder> counters() {
    Map<SessionOutcome, LongAdder> counters = new EnumMap<>(SessionOutcome.class);
    for (SessionOutcome outcome : SessionOutcome.values()) {
      counters.put(outcome, new LongAdder());
    }
    return counters;
  }
}
