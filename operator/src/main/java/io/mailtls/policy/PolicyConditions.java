package io.mailtls.policy;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Conditions in metav1.Condition shape. A condition's lastTransitionTime changes only when its
 * status changes, so `kubectl describe` shows how long an endpoint set has been (non-)compliant.
 */
final class PolicyConditions {
  /** Kubernetes limits a condition message to 32768 characters; people read far fewer. */
  static final int MAX_MESSAGE = 1024;

  private PolicyConditions() {}

  static Condition of(
      String type, boolean status, String reason, String message, long generation, Instant now) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status ? "True" : "False")
        .withReason(reason)
        .withMessage(truncate(message))
        .withObservedGeneration(generation)
        .withLastTransitionTime(PolicyStatusBuilder.timestamp(now))
        .build();
  }

  static Condition unknown(
      String type, String reason, String message, long generation, Instant now) {
    Condition condition = of(type, false, reason, message, generation, now);
    condition.setStatus("Unknown");
    return condition;
  }

  /**
   * A Compliant condition, the same for both kinds of policy: True when nothing fails, with {@code
   * compliantReason} and {@code allMeet}; else False, with the reason of the worst failure and
   * {@code whatFails}.
   *
   * @param failingReasons the reasons of what fails, worst first; empty when nothing does
   * @param whatFails the message when something fails
   */
  static Condition compliant(
      String type,
      List<String> failingReasons,
      String compliantReason,
      String allMeet,
      String whatFails,
      long generation,
      Instant now) {
    if (failingReasons.isEmpty()) {
      return of(type, true, compliantReason, allMeet, generation, now);
    }
    return of(type, false, failingReasons.getFirst(), whatFails, generation, now);
  }

  /**
   * The previous conditions with {@code updates} put in place of their types; an update whose
   * status equals the previous one keeps the previous lastTransitionTime.
   */
  static List<Condition> merge(List<Condition> previous, Condition... updates) {
    List<Condition> merged = new ArrayList<>(previous == null ? List.of() : previous);
    for (Condition update : updates) {
      int index = indexOf(merged, update.getType());
      if (index < 0) {
        merged.add(update);
        continue;
      }
      if (update.getStatus().equals(merged.get(index).getStatus())) {
        update.setLastTransitionTime(merged.get(index).getLastTransitionTime());
      }
      merged.set(index, update);
    }
    return merged;
  }

  static String truncate(String message) {
    return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE - 1) + "…";
  }

  private static int indexOf(List<Condition> conditions, String type) {
    for (int i = 0; i < conditions.size(); i++) {
      if (type.equals(conditions.get(i).getType())) {
        return i;
      }
    }
    return -1;
  }
}
