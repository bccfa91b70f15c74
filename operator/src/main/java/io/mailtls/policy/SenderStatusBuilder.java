package io.mailtls.policy;

import io.fabric8.kubernetes.api.model.Condition;
import io.mailtls.api.MailSenderPolicyStatus;
import io.mailtls.api.SenderStatus;
import io.mailtls.api.SenderSummary;
import io.mailtls.receiver.SessionRecord;
import io.mailtls.sender.SenderAssessment;
import io.mailtls.sender.SenderVerdict;
import io.mailtls.tls.ClientHello;
import io.mailtls.tls.TlsVersion;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A MailSenderPolicy's status from its senders' assessments. The receiver remembers sessions in
 * memory only; so a sender the receiver has not seen since it started keeps its previous entry
 * while that entry is younger than the policy's maximum record age and the spec is unchanged: a
 * restart, or a new leader, loses no finding. A spec that cannot be evaluated, or a receiver that
 * cannot listen, shows no entries at all: they would belong to another spec or to no receiver.
 */
public final class SenderStatusBuilder {
  public static final String READY = "Ready";
  public static final String COMPLIANT = "Compliant";
  public static final String REASON_RECEIVER_RUNNING = "ReceiverRunning";
  public static final String REASON_INVALID_SPEC = "InvalidSpec";
  public static final String REASON_RECEIVER_NOT_RUNNING = "ReceiverNotRunning";

  private SenderStatusBuilder() {}

  public static MailSenderPolicyStatus evaluated(
      MailSenderPolicyStatus previous,
      long generation,
      List<SenderAssessment> assessments,
      Duration maxAge,
      String receiver,
      Instant now) {
    Map<String, SenderStatus> before =
        previous == null || previous.senders() == null
            ? Map.of()
            : previous.senders().stream()
                .collect(Collectors.toMap(SenderStatus::name, Function.identity(), (a, b) -> a));
    List<SenderStatus> senders = new ArrayList<>();
    for (SenderAssessment assessment : assessments) {
      SenderStatus kept = before.get(assessment.sender());
      // Only under the same spec: a verdict found against another minimum version, STARTTLS rule
      // or address list says nothing about this one.
      boolean keep =
          assessment.verdict() == SenderVerdict.NOT_SEEN
              && previous != null
              && Long.valueOf(generation).equals(previous.observedGeneration())
              && kept != null
              && kept.lastSeen() != null
              && !SenderVerdict.NOT_SEEN.reason().equals(kept.verdict())
              && !Instant.parse(kept.lastSeen()).isBefore(now.minus(maxAge));
      senders.add(keep ? kept : sender(assessment));
    }
    Condition ready =
        PolicyConditions.of(
            READY,
            true,
            REASON_RECEIVER_RUNNING,
            "evaluated " + senders.size() + " senders against the test receiver " + receiver,
            generation,
            now);
    return new MailSenderPolicyStatus(
        generation,
        PolicyStatusBuilder.timestamp(now),
        summary(senders),
        senders,
        PolicyConditions.merge(
            previous == null ? null : previous.conditions(),
            ready,
            compliant(senders, generation, now)));
  }

  /** A spec that cannot be evaluated: Ready says why, Compliant becomes Unknown. */
  public static MailSenderPolicyStatus invalid(
      MailSenderPolicyStatus previous, long generation, String problems, Instant now) {
    return notEvaluated(
        previous, generation, REASON_INVALID_SPEC, "the spec is invalid: " + problems, now);
  }

  /** No receiver runs here (it could not listen): nothing is known, so no entries are shown. */
  public static MailSenderPolicyStatus receiverNotRunning(
      MailSenderPolicyStatus previous, long generation, String why, Instant now) {
    return notEvaluated(previous, generation, REASON_RECEIVER_NOT_RUNNING, why, now);
  }

  private static MailSenderPolicyStatus notEvaluated(
      MailSenderPolicyStatus previous, long generation, String reason, String why, Instant now) {
    Condition ready = PolicyConditions.of(READY, false, reason, why, generation, now);
    Condition compliant = PolicyConditions.unknown(COMPLIANT, reason, why, generation, now);
    return new MailSenderPolicyStatus(
        generation,
        previous == null ? null : previous.lastChangeTime(),
        new SenderSummary(0, 0, 0, 0),
        List.of(),
        PolicyConditions.merge(previous == null ? null : previous.conditions(), ready, compliant));
  }

  private static SenderStatus sender(SenderAssessment assessment) {
    SessionRecord evidence = assessment.evidence();
    ClientHello hello = evidence == null ? null : evidence.hello();
    return new SenderStatus(
        assessment.sender(),
        assessment.verdict().reason(),
        PolicyConditions.truncate(assessment.message()),
        assessment.remediation(),
        evidence == null ? null : PolicyStatusBuilder.timestamp(evidence.startedAt()),
        evidence == null ? null : evidence.clientAddress(),
        evidence == null ? null : evidence.ehloName(),
        evidence == null ? null : evidence.startTls(),
        hello == null ? null : hello.offeredVersions().stream().map(TlsVersion::label).toList(),
        hello == null ? null : hello.modernSuitesOffered(),
        hello == null ? null : hello.serverName(),
        evidence == null || evidence.negotiated() == null ? null : evidence.negotiated().label(),
        evidence == null ? null : evidence.outcome().label());
  }

  private static SenderSummary summary(List<SenderStatus> senders) {
    int compliant = 0;
    int nonCompliant = 0;
    int notSeen = 0;
    for (SenderStatus sender : senders) {
      switch (SenderVerdict.fromReason(sender.verdict())) {
        case COMPLIANT -> compliant++;
        case OUTDATED_TLS, NO_STARTTLS -> nonCompliant++;
        case INCONCLUSIVE, NOT_SEEN -> notSeen++;
      }
    }
    return new SenderSummary(senders.size(), compliant, nonCompliant, notSeen);
  }

  private static Condition compliant(List<SenderStatus> senders, long generation, Instant now) {
    List<SenderStatus> failing =
        senders.stream()
            .filter(s -> !SenderVerdict.COMPLIANT.reason().equals(s.verdict()))
            .sorted(Comparator.comparing(s -> SenderVerdict.fromReason(s.verdict())))
            .toList();
    String whatFails =
        failing.stream()
            .map(s -> s.name() + ": " + s.verdict() + " (" + s.message() + ")")
            .collect(Collectors.joining("; "));
    return PolicyConditions.compliant(
        COMPLIANT,
        failing.stream().map(SenderStatus::verdict).toList(),
        SenderVerdict.COMPLIANT.reason(),
        "all " + senders.size() + " senders can send to a peer that requires the minimum version",
        whatFails,
        generation,
        now);
  }
}
