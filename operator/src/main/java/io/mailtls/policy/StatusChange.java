package io.mailtls.policy;

import io.mailtls.api.MailEndpointPolicyStatus;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/** A change between two statuses that is worth an Event and a log line. */
public sealed interface StatusChange permits VerdictChange, MxChange {

  /** The CamelCase reason of the Event. */
  String reason();

  /** A Warning Event, else Normal. */
  boolean isWarning();

  /** For people. */
  String message();

  void log(Logger log, String namespace, String policy);

  /** Verdict changes, then MX changes. */
  static List<StatusChange> between(
      MailEndpointPolicyStatus previous, MailEndpointPolicyStatus next) {
    List<StatusChange> changes = new ArrayList<>(VerdictChange.between(previous, next));
    changes.addAll(MxChange.between(previous, next));
    return changes;
  }
}
