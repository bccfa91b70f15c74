package io.mailtls.policy;

import io.mailtls.api.EndpointStatus;
import io.mailtls.api.MailEndpointPolicyStatus;
import io.mailtls.compliance.Verdict;
import io.mailtls.probe.Endpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.slf4j.Logger;

/**
 * The MX hosts of a mail domain changed between two rounds (hosts added or removed, preferences
 * changed, a null MX published or withdrawn). A round whose look-up failed knows no MX set, so it
 * changes none: its failure is a verdict change of its own.
 *
 * @param before the hosts as "name (preference)", sorted, or "null MX"
 */
public record MxChange(String domain, List<String> before, List<String> now)
    implements StatusChange {
  static final String REASON = "MXChanged";
  private static final String NULL_MX = "null MX";

  @Override
  public String reason() {
    return REASON;
  }

  @Override
  public boolean isWarning() {
    return false;
  }

  @Override
  public String message() {
    return PolicyConditions.truncate(
        "the MX hosts of "
            + domain
            + " are now "
            + String.join(", ", now)
            + " (were "
            + String.join(", ", before)
            + ")");
  }

  @Override
  public void log(Logger log, String namespace, String policy) {
    log.atInfo()
        .addKeyValue("namespace", namespace)
        .addKeyValue("policy", policy)
        .addKeyValue("domain", domain)
        .log("MX changed: {}", message());
  }

  static List<MxChange> between(MailEndpointPolicyStatus previous, MailEndpointPolicyStatus next) {
    if (previous == null || previous.endpoints() == null || next.endpoints() == null) {
      return List.of();
    }
    Map<String, List<String>> before = mxSets(previous.endpoints());
    Map<String, List<String>> now = mxSets(next.endpoints());
    List<MxChange> changes = new ArrayList<>();
    now.forEach(
        (domain, hosts) -> {
          List<String> was = before.get(domain);
          if (was != null && !Objects.equals(was, hosts)) {
            changes.add(new MxChange(domain, was, hosts));
          }
        });
    return changes;
  }

  /** The MX set of every domain whose look-up succeeded, by domain. */
  private static Map<String, List<String>> mxSets(List<EndpointStatus> endpoints) {
    Map<String, List<String>> sets = new TreeMap<>();
    for (EndpointStatus endpoint : endpoints) {
      if (endpoint.domain() == null) {
        continue;
      }
      if (endpoint.mxPreference() != null) {
        sets.computeIfAbsent(endpoint.domain(), d -> new ArrayList<>())
            .add(host(endpoint.target()) + " (" + endpoint.mxPreference() + ")");
      } else if (Verdict.NULL_MX.reason().equals(endpoint.verdict())) {
        sets.put(endpoint.domain(), new ArrayList<>(List.of(NULL_MX)));
      }
    }
    sets.values().forEach(hosts -> hosts.sort(null));
    return sets;
  }

  private static String host(String target) {
    try {
      return Endpoint.parse(target).host();
    } catch (IllegalArgumentException unreadable) {
      return target;
    }
  }
}
