package io.mailtls.metrics;

import static io.mailtls.metrics.MetricNames.ADDRESS_INFO;
import static io.mailtls.metrics.MetricNames.CERTIFICATE_EXPIRY;
import static io.mailtls.metrics.MetricNames.COMPLIANT;
import static io.mailtls.metrics.MetricNames.INFO;
import static io.mailtls.metrics.MetricNames.LAST_PROBE;
import static io.mailtls.metrics.MetricNames.TLS_VERSION_ACCEPTED;
import static io.mailtls.metrics.MetricNames.UP;

import io.mailtls.compliance.Verdict;
import io.mailtls.tls.TlsVersion;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The {@code mailtls_endpoint_*} series of some endpoints under base labels of their own: a
 * policy's ({@code namespace}, {@code policy}) in /metrics, a module's ({@code module}) in a /probe
 * answer. One rendering for both, so that the alert rules and the dashboard read them alike.
 */
final class EndpointSeries {
  private EndpointSeries() {}

  /** Declares the endpoint families in {@code samples}, in the order they are rendered. */
  static Samples declare(Samples samples) {
    return samples
        .gauge(COMPLIANT, "1 when the endpoint meets its policy, else 0")
        .gauge(UP, "1 when the endpoint could be probed, else 0")
        .gauge(LAST_PROBE, "When the endpoint was last probed")
        .gauge(CERTIFICATE_EXPIRY, "When the endpoint's certificate expires")
        .gauge(
            TLS_VERSION_ACCEPTED,
            "1 when the endpoint accepts the protocol version, 0 when it refuses it")
        .info(
            INFO,
            "1 for every endpoint, with its verdict, server software, best version and the"
                + " mail domain it is an MX host of")
        // One series per address, only for hosts with several (at most 8 each): the address
        // is a label nowhere else, so the other series keep one per endpoint however DNS
        // changes.
        .info(
            ADDRESS_INFO,
            "1 for every address of an endpoint whose host has several, with its verdict");
  }

  /**
   * Adds the series of {@code endpoints}, each labelled {@code base} plus {@code endpoint} and
   * {@code protocol}, to {@code samples} (not committed).
   */
  static void render(Labels base, List<EndpointView> endpoints, Samples samples) {
    for (Map.Entry<String, EndpointView> labelled : distinct(endpoints).entrySet()) {
      EndpointView endpoint = labelled.getValue();
      Labels labels = base.add("endpoint", labelled.getKey()).add("protocol", endpoint.protocol());
      samples.add(COMPLIANT, labels, endpoint.verdict().meetsPolicy() ? 1 : 0);
      samples.add(UP, labels, endpoint.up() ? 1 : 0);
      samples.add(LAST_PROBE, labels, endpoint.lastProbe());
      if (endpoint.certificateExpiry() != null) {
        samples.add(CERTIFICATE_EXPIRY, labels, endpoint.certificateExpiry());
      }
      if (endpoint.up() && endpoint.verdict() != Verdict.NULL_MX) {
        for (TlsVersion version : TlsVersion.values()) {
          if (!endpoint.untested().contains(version)) {
            samples.add(
                TLS_VERSION_ACCEPTED,
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
      samples.add(INFO, infoLabels);
      for (EndpointView.AddressView address : endpoint.addresses()) {
        samples.add(
            ADDRESS_INFO,
            labels.add("address", address.address()).add("verdict", address.verdict().reason()));
      }
    }
  }

  /**
   * The endpoint label of each entry, distinct, since two samples with the same labels would fail
   * the scrape. A target held once is its own label. One held more than once (a host under two
   * serverNames, the MX host of two domains, a host listed and also found as an MX host) is
   * labelled by what tells the entries apart: {@code target (serverName)} or {@code target (MX of
   * domain)}. Entries that nothing tells apart are one endpoint, shown with the worst verdict among
   * them.
   */
  static Map<String, EndpointView> distinct(List<EndpointView> endpoints) {
    Map<String, Long> perTarget =
        endpoints.stream()
            .collect(Collectors.groupingBy(EndpointView::target, Collectors.counting()));
    Map<String, EndpointView> labelled = new LinkedHashMap<>();
    for (EndpointView endpoint : endpoints) {
      String label =
          perTarget.get(endpoint.target()) == 1 || endpoint.qualifier() == null
              ? endpoint.target()
              : endpoint.target() + " (" + endpoint.qualifier() + ")";
      labelled.merge(
          label,
          endpoint,
          (kept, other) ->
              Verdict.WORST_FIRST_ORDER.compare(kept.verdict(), other.verdict()) <= 0
                  ? kept
                  : other);
    }
    return labelled;
  }
}
