package io.mailtls.policy;

import io.mailtls.api.MailSenderPolicyStatus;
import io.mailtls.api.SenderStatus;
import io.mailtls.sender.SenderVerdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.slf4j.Logger;

/**
 * A sender whose verdict changed between two statuses. A sender seen for the first time counts
 * unless it is compliant or not seen yet (a new policy starts with every sender not seen).
 *
 * @param previousVerdict null for a sender not in the previous status
 */
public record SenderVerdictChange(String previousVerdict, SenderStatus now)
    implements StatusChange {

  @Override
  public String reason() {
    return now.verdict();
  }

  @Override
  public boolean isWarning() {
    return !SenderVerdict.COMPLIANT.reason().equals(now.verdict());
  }

  @Override
  public String message() {
    String before = previousVerdict == null ? "" : " (was " + previousVerdict + ")";
    return PolicyConditions.truncate(
        "sender " + now.name() + " is " + now.verdict() + before + ": " + now.message());
  }

  @Override
  public void log(Logger log, String namespace, String policy) {
    log.atInfo()
        .addKeyValue("namespace", namespace)
        .addKeyValue("policy", policy)
        .addKeyValue("sender", now.name())
        .addKeyValue("verdict", now.verdict())
        .addKeyValue("previousVerdict", previousVerdict)
        .log("sender verdict changed: {}", message());
  }

  public static List<StatusChange> between(
      MailSenderPolicyStatus previous, MailSenderPolicyStatus next) {
    Map<String, String> before =
        previous == null || previous.senders() == null
            ? Map.of()
            : previous.senders().stream()
                .collect(Collectors.toMap(SenderStatus::name, SenderStatus::verdict, (a, b) -> a));
    List<StatusChange> changes = new ArrayList<>();
    for (SenderStatus sender : next.senders()) {
      String was = before.get(sender.name());
      boolean quietStart =
          was == null
              && (SenderVerdict.COMPLIANT.reason().equals(sender.verdict())
                  || SenderVerdict.NOT_SEEN.reason().equals(sender.verdict()));
      if (!Objects.equals(was, sender.verdict()) && !quietStart) {
        changes.add(new SenderVerdictChange(was, sender));
      }
    }
    return changes;
  }
}
