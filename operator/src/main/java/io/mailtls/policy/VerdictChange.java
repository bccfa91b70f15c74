package io.mailtls.policy;

import io.mailtls.api.EndpointStatus;
import io.mailtls.api.MailEndpointPolicyStatus;
import io.mailtls.api.MailSenderPolicyStatus;
import io.mailtls.api.SenderStatus;
import io.mailtls.compliance.Verdict;
import io.mailtls.sender.SenderVerdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;

/**
 * An endpoint or a sender whose verdict changed between two statuses: worth an Event or a log line,
 * where an unchanged verdict is not. One seen for the first time counts as a change unless its
 * verdict is no news (see {@link Subject#isQuietStart}).
 *
 * @param subject whether an endpoint's or a sender's verdict changed
 * @param name the endpoint's target or the sender's name, as the log line's endpoint or sender
 * @param label how the message names it
 * @param previousVerdict null for one not in the previous status
 * @param verdict the verdict now
 * @param explanation the status's message for the verdict
 */
public record VerdictChange(
    Subject subject,
    String name,
    String label,
    String previousVerdict,
    String verdict,
    String explanation)
    implements StatusChange {

  /** What has the verdict: each has verdicts of its own, and its own key in the log line. */
  public enum Subject {
    /** An endpoint of a MailEndpointPolicy. */
    ENDPOINT("endpoint", "verdict changed: {}"),
    /** A sender of a MailSenderPolicy. */
    SENDER("sender", "sender verdict changed: {}");

    private final String logKey;
    private final String logMessage;

    Subject(String logKey, String logMessage) {
      this.logKey = logKey;
      this.logMessage = logMessage;
    }

    /**
     * Nothing needs fixing: an endpoint that is compliant or accepts no mail; a compliant sender.
     */
    boolean meetsPolicy(String verdict) {
      return switch (this) {
        case ENDPOINT -> Verdict.fromReason(verdict).map(Verdict::meetsPolicy).orElse(false);
        case SENDER -> SenderVerdict.COMPLIANT.reason().equals(verdict);
      };
    }

    /**
     * A verdict that is no news for one seen for the first time: nobody needs to hear that a new
     * endpoint or sender is fine, nor that a sender is not seen yet (a new policy starts with every
     * sender not seen).
     */
    boolean isQuietStart(String verdict) {
      return meetsPolicy(verdict)
          || (this == SENDER && SenderVerdict.NOT_SEEN.reason().equals(verdict));
    }
  }

  @Override
  public String reason() {
    return verdict;
  }

  @Override
  public boolean isWarning() {
    return !isRecovery();
  }

  /** True when the verdict now meets the policy: a recovery from a failing verdict. */
  public boolean isRecovery() {
    return subject.meetsPolicy(verdict);
  }

  /** For people: who, the verdict, what it was before, and the explanation. */
  @Override
  public String message() {
    String before = previousVerdict == null ? "" : " (was " + previousVerdict + ")";
    return PolicyConditions.truncate(label + " is " + verdict + before + ": " + explanation);
  }

  /** The log line of a verdict change, with its facts as key-value pairs. */
  @Override
  public void log(Logger log, String namespace, String policy) {
    log.atInfo()
        .addKeyValue("namespace", namespace)
        .addKeyValue("policy", policy)
        .addKeyValue(subject.logKey, name)
        .addKeyValue("verdict", verdict)
        .addKeyValue("previousVerdict", previousVerdict)
        .log(subject.logMessage, message());
  }

  /** The endpoints of {@code next} whose verdict changed since {@code previous} (may be null). */
  public static List<VerdictChange> between(
      MailEndpointPolicyStatus previous, MailEndpointPolicyStatus next) {
    return between(
        previous == null ? null : previous.endpoints(),
        next.endpoints(),
        // The same target may be probed under two server names: each is an endpoint of its own.
        endpoint -> endpoint.target() + "|" + Objects.requireNonNullElse(endpoint.serverName(), ""),
        EndpointStatus::verdict,
        VerdictChange::ofEndpoint);
  }

  /** The senders of {@code next} whose verdict changed since {@code previous} (may be null). */
  public static List<VerdictChange> between(
      MailSenderPolicyStatus previous, MailSenderPolicyStatus next) {
    return between(
        previous == null ? null : previous.senders(),
        next.senders(),
        SenderStatus::name,
        SenderStatus::verdict,
        VerdictChange::ofSender);
  }

  /**
   * The algorithm of both kinds: the entries of {@code now} whose verdict differs from that of the
   * {@code before} entry with the same key, except a quiet start.
   */
  private static <E> List<VerdictChange> between(
      List<E> before,
      List<E> now,
      Function<E, String> key,
      Function<E, String> verdict,
      BiFunction<String, E, VerdictChange> change) {
    Map<String, String> verdictsBefore =
        before == null
            ? Map.of()
            : before.stream().collect(Collectors.toMap(key, verdict, (a, b) -> a));
    List<VerdictChange> changes = new ArrayList<>();
    for (E entry : now) {
      String was = verdictsBefore.get(key.apply(entry));
      if (!Objects.equals(was, verdict.apply(entry))) {
        VerdictChange candidate = change.apply(was, entry);
        if (!(was == null && candidate.subject.isQuietStart(candidate.verdict))) {
          changes.add(candidate);
        }
      }
    }
    return changes;
  }

  private static VerdictChange ofEndpoint(String previousVerdict, EndpointStatus endpoint) {
    String label =
        endpoint.target()
            + (endpoint.serverName() == null ? "" : " (" + endpoint.serverName() + ")");
    return new VerdictChange(
        Subject.ENDPOINT,
        endpoint.target(),
        label,
        previousVerdict,
        endpoint.verdict(),
        endpoint.message());
  }

  private static VerdictChange ofSender(String previousVerdict, SenderStatus sender) {
    return new VerdictChange(
        Subject.SENDER,
        sender.name(),
        "sender " + sender.name(),
        previousVerdict,
        sender.verdict(),
        sender.message());
  }
}
