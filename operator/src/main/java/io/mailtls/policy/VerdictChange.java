package io.mailtls.policy;

import io.mailtls.api.EndpointStatus;
import io.mailtls.api.MailEndpointPolicyStatus;
import io.mailtls.compliance.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.slf4j.Logger;

/**
 * An endpoint whose verdict changed between two statuses: worth an Event or a log line, where an
 * unchanged verdict is not. An endpoint seen for the first time counts as a change unless it is
 * compliant (nobody needs to hear that a new endpoint is fine).
 *
 * @param previousVerdict null for an endpoint not in the previous status
 */
public record VerdictChange(String previousVerdict, EndpointStatus now) implements StatusChange {

  @Override
  public String reason() {
    return now.verdict();
  }

  @Override
  public boolean isWarning() {
    return !isRecovery();
  }

  /** True when the endpoint went from a failing verdict to one that meets the policy. */
  public boolean isRecovery() {
    return Verdict.fromReason(now.verdict()).map(Verdict::meetsPolicy).orElse(false);
  }

  /** For people: endpoint, verdict, what it was before, and the explanation. */
  @Override
  public String message() {
    String name = now.target() + (now.serverName() == null ? "" : " (" + now.serverName() + ")");
    String before = previousVerdict == null ? "" : " (was " + previousVerdict + ")";
    return PolicyConditions.truncate(name + " is " + now.verdict() + before + ": " + now.message());
  }

  /** The log line of a verdict change, with its facts as key-value pairs. */
  @Override
  public void log(Logger log, String namespace, String policy) {
    log.atInfo()
        .addKeyValue("namespace", namespace)
        .addKeyValue("policy", policy)
        .addKeyValue("endpoint", now.target())
        .addKeyValue("verdict", now.verdict())
        .addKeyValue("previousVerdict", previousVerdict)
        .log("verdict changed: {}", message());
  }

  public static List<VerdictChange> between(
      MailEndpointPolicyStatus previous, MailEndpointPolicyStatus next) {
    Map<String, String> before =
        previous == null || previous.endpoints() == null
            ? Map.of()
            : previous.endpoints().stream()
                .collect(
                    Collectors.toMap(VerdictChange::key, EndpointStatus::verdict, (a, b) -> a));
    List<VerdictChange> changes = new ArrayList<>();
    for (EndpointStatus endpoint : next.endpoints()) {
      String was = before.get(key(endpoint));
      boolean compliant =
          Verdict.fromReason(endpoint.verdict()).map(Verdict::meetsPolicy).orElse(false);
      if (!Objects.equals(was, endpoint.verdict()) && !(was == null && compliant)) {
        changes.add(new VerdictChange(was, endpoint));
      }
    }
    return changes;
  }

  private static String key(EndpointStatus endpoint) {
    return endpoint.target() + "|" + Objects.requireNonNullElse(endpoint.serverName(), "");
  }
}
