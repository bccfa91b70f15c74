package io.mailtls.metrics;

import static io.mailtls.metrics.MetricNames.ADDRESS_INFO;
import static io.mailtls.metrics.MetricNames.CERTIFICATE_EXPIRY;
import static io.mailtls.metrics.MetricNames.COMPLIANT;
import static io.mailtls.metrics.MetricNames.INFO;
import static io.mailtls.metrics.MetricNames.INTERVAL;
import static io.mailtls.metrics.MetricNames.LAST_PROBE;
import static io.mailtls.metrics.MetricNames.TLS_VERSION_ACCEPTED;
import static io.mailtls.metrics.MetricNames.UP;

import io.mailtls.compliance.Verdict;
import io.mailtls.tls.TlsVersion;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The endpoint and policy series, built at scrape time from the latest view of every policy. No
 * series is added or removed by hand: a policy that is no longer shown has none, by construction.
 */
final class PolicyStatusCollector implements MultiCollector {

  /** The latest view of one policy. */
  record PolicyView(
      String namespace, String policy, Duration interval, List<EndpointView> endpoints) {}

  private final Map<String, PolicyView> policies = new ConcurrentHashMap<>();

  void put(PolicyView view) {
    policies.put(view.namespace() + "/" + view.policy(), view);
  }

  void remove(String namespace, String policy) {
    policies.remove(namespace + "/" + policy);
  }

  @Override
  public MetricSnapshots collect() {
    Series interval = new Series(INTERVAL, "The probe interval of a policy");
    Series compliant = new Series(COMPLIANT, "1 when the endpoint meets its policy, else 0");
    Series up = new Series(UP, "1 when the endpoint could be probed, else 0");
    Series lastProbe = new Series(LAST_PROBE, "When the endpoint was last probed");
    Series expiry = new Series(CERTIFICATE_EXPIRY, "When the endpoint's certificate expires");
    Series accepted =
        new Series(
            TLS_VERSION_ACCEPTED,
            "1 when the endpoint accepts the protocol version, 0 when it refuses it");
    InfoSnapshot.Builder info =
        InfoSnapshot.builder()
            .name(INFO.substring(0, INFO.length() - "_info".length()))
            .help(
                "1 for every endpoint, with its verdict, server software, best version and the"
                    + " mail domain it is an MX host of");
    // One series per address, only for hosts with several (at most 8 each): the address is a
    // label nowhere else, so the other series keep one per endpoint however DNS changes.
    InfoSnapshot.Builder addressInfo =
        InfoSnapshot.builder()
            .name(ADDRESS_INFO.substring(0, ADDRESS_INFO.length() - "_info".length()))
            .help("1 for every address of an endpoint whose host has several, with its verdict");
    boolean anyAddress = false;
    for (PolicyView view : policies.values()) {
      Labels policyLabels = Labels.of("namespace", view.namespace(), "policy", view.policy());
      interval.add(policyLabels, view.interval().toSeconds());
      for (EndpointView endpoint : view.endpoints()) {
        Labels labels =
            policyLabels.add("endpoint", endpoint.target()).add("protocol", endpoint.protocol());
        compliant.add(labels, endpoint.verdict().meetsPolicy() ? 1 : 0);
        up.add(labels, endpoint.up() ? 1 : 0);
        lastProbe.add(labels, endpoint.lastProbe());
        if (endpoint.certificateExpiry() != null) {
          expiry.add(labels, endpoint.certificateExpiry());
        }
        if (endpoint.up() && endpoint.verdict() != Verdict.NULL_MX) {
          for (TlsVersion version : TlsVersion.values()) {
            if (!endpoint.untested().contains(version)) {
              accepted.add(
                  labels.add("tls_version", version.label()),
                  endpoint.accepted().contains(version) ? 1 : 0);
            }
          }
        }
        Labels infoLabels =
            labels
                .add("verdict", endpoint.verdict().reason())
                .add("server_software", endpoint.serverSoftware())
                .add("best_version", endpoint.bestVersion());
        if (endpoint.domain() != null) {
          infoLabels = infoLabels.add("domain", endpoint.domain());
        }
        info.dataPoint(InfoDataPointSnapshot.builder().labels(infoLabels).build());
        for (EndpointView.AddressView address : endpoint.addresses()) {
          addressInfo.dataPoint(
              InfoDataPointSnapshot.builder()
                  .labels(
                      labels
                          .add("address", address.address())
                          .add("verdict", address.verdict().reason()))
                  .build());
          anyAddress = true;
        }
      }
    }
    List<MetricSnapshot> snapshots = new ArrayList<>();
    for (Series series : List.of(interval, compliant, up, lastProbe, expiry, accepted)) {
      series.addTo(snapshots);
    }
    snapshots.add(info.build());
    if (anyAddress) {
      snapshots.add(addressInfo.build());
    }
    return new MetricSnapshots(snapshots);
  }

  /** One gauge family being built; left out of the scrape when it has no sample. */
  private static final class Series {
    private final GaugeSnapshot.Builder builder;
    private boolean empty = true;

    Series(String name, String help) {
      builder = GaugeSnapshot.builder().name(name).help(help);
    }

    void add(Labels labels, double value) {
      builder.dataPoint(GaugeDataPointSnapshot.builder().labels(labels).value(value).build());
      empty = false;
    }

    void addTo(List<MetricSnapshot> snapshots) {
      if (!empty) {
        snapshots.add(builder.build());
      }
    }
  }
}
