package io.mailtls.policy;

import static io.mailtls.tls.TlsVersion.TLS_1_0;
import static io.mailtls.tls.TlsVersion.TLS_1_1;
import static io.mailtls.tls.TlsVersion.TLS_1_2;
import static io.mailtls.tls.TlsVersion.TLS_1_3;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.mailtls.api.EndpointStatus;
import io.mailtls.api.MailEndpointPolicyStatus;
import io.mailtls.api.StatusSummary;
import io.mailtls.compliance.AddressAssessment;
import io.mailtls.compliance.ComplianceEvaluator;
import io.mailtls.compliance.CompliancePolicy;
import io.mailtls.probe.EndpointResult;
import io.mailtls.probe.Failure;
import io.mailtls.probe.FailureKind;
import io.mailtls.probe.ServerSoftware;
import io.mailtls.probe.Target;
import io.mailtls.probe.TestingResults;
import io.mailtls.tls.TlsVersion;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

public class PolicyStatusBuilderTest {
  public static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
  static final Instant T1 = Instant.parse("2026-11-28T10:15:00Z");

  public static EndpointOutcome outcome(String target, Set<TlsVersion> accepted) {
    return outcome(TestingResults.result(target, ServerSoftware.POSTFIX, accepted, Set.of()));
  }

  static EndpointOutcome outcome(EndpointResult result) {
    return new EndpointOutcome(
        new Target(result.endpoint(), null),
        null,
        result,
        ComplianceEvaluator.assess(result, CompliancePolicy.DEFAULT),
        List.of());
  }

  public static EndpointOutcome refused(String target) {
    return outcome(
        TestingResults.failed(
            target,
            new Failure(FailureKind.CONNECTION_REFUSED, "Connection refused"),
            ServerSoftware.UNKNOWN));
  }

  @Test
  void aRoundBecomesEndpointsSummaryAndConditions() {
    MailEndpointPolicyStatus status =
        PolicyStatusBuilder.probed(
            null,
            3,
            List.of(
                outcome("smtp://a.example:25", Set.of(TLS_1_2, TLS_1_3)),
                outcome("smtp://b.example:25", Set.of(TLS_1_0, TLS_1_1, TLS_1_2)),
                refused("imap://c.example:143")),
            T0,
            Duration.ofMillis(42));

    assertThat(status.observedGeneration()).isEqualTo(3);
    assertThat(status.lastProbeTime()).isEqualTo("2026-11-28T10:00:00Z");
    assertThat(status.summary()).isEqualTo(new StatusSummary(3, 1, 1, 1));
    assertThat(status.endpoints())
        .extracting(EndpointStatus::target, EndpointStatus::verdict, EndpointStatus::failure)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("smtp://a.example:25", "Compliant", null),
            org.assertj.core.groups.Tuple.tuple(
                "smtp://b.example:25", "DeprecatedTLSAccepted", null),
            org.assertj.core.groups.Tuple.tuple(
                "imap://c.example:143", "Unreachable", "ConnectionRefused"));
    EndpointStatus b = status.endpoints().get(1);
    assertThat(b.acceptedVersions()).containsExactly("TLSv1.0", "TLSv1.1", "TLSv1.2");
    assertThat(b.bestVersion()).isEqualTo("TLSv1.2");
    assertThat(b.serverSoftware()).isEqualTo("Postfix");
    assertThat(b.remediation()).contains("smtpd_tls_protocols");

    Condition ready = status.condition(MailEndpointPolicyStatus.READY);
    assertThat(ready.getStatus()).isEqualTo("True");
    assertThat(ready.getReason()).isEqualTo("ProbeRoundCompleted");
    assertThat(ready.getMessage()).isEqualTo("probed 3 endpoints in 42 ms");
    assertThat(ready.getObservedGeneration()).isEqualTo(3);

    Condition compliant = status.condition(MailEndpointPolicyStatus.COMPLIANT);
    assertThat(compliant.getStatus()).isEqualTo("False");
    assertThat(compliant.getReason()).isEqualTo("DeprecatedTLSAccepted");
    assertThat(compliant.getMessage())
        .isEqualTo(
            "DeprecatedTLSAccepted: smtp://b.example:25 (TLSv1.0, TLSv1.1, TLSv1.2);"
                + " Unreachable: imap://c.example:143");
    assertThat(compliant.getLastTransitionTime()).isEqualTo("2026-11-28T10:00:00Z");
  }

  @Test
  void theWorstVerdictNamesTheCondition() {
    MailEndpointPolicyStatus status =
        PolicyStatusBuilder.probed(
            null,
            1,
            List.of(
                outcome("smtp://b.example:25", Set.of(TLS_1_0, TLS_1_2)),
                outcome("smtp://old.example:25", Set.of(TLS_1_0))),
            T0,
            Duration.ZERO);
    assertThat(status.condition("Compliant").getReason()).isEqualTo("NoModernTLS");
    assertThat(status.condition("Compliant").getMessage())
        .isEqualTo(
            "NoModernTLS: smtp://old.example:25 (TLSv1.0);"
                + " DeprecatedTLSAccepted: smtp://b.example:25 (TLSv1.0, TLSv1.2)");
  }

  @Test
  void lastTransitionTimeMovesOnlyWhenTheStatusChanges() {
    List<EndpointOutcome> fine = List.of(outcome("smtp://a.example:25", Set.of(TLS_1_2)));
    List<EndpointOutcome> bad = List.of(outcome("smtp://a.example:25", Set.of(TLS_1_0, TLS_1_2)));
    MailEndpointPolicyStatus first = PolicyStatusBuilder.probed(null, 1, fine, T0, Duration.ZERO);
    MailEndpointPolicyStatus same = PolicyStatusBuilder.probed(first, 1, fine, T1, Duration.ZERO);
    MailEndpointPolicyStatus worse =
        PolicyStatusBuilder.probed(same, 2, bad, T1.plusSeconds(60), Duration.ZERO);

    assertThat(same.condition("Compliant").getLastTransitionTime())
        .isEqualTo("2026-11-28T10:00:00Z");
    assertThat(same.condition("Ready").getLastTransitionTime()).isEqualTo("2026-11-28T10:00:00Z");
    assertThat(same.lastProbeTime()).isEqualTo("2026-11-28T10:15:00Z");
    assertThat(worse.condition("Compliant").getLastTransitionTime())
        .isEqualTo("2026-11-28T10:16:00Z");
    assertThat(worse.condition("Compliant").getObservedGeneration()).isEqualTo(2);
    assertThat(worse.condition("Ready").getLastTransitionTime()).isEqualTo("2026-11-28T10:00:00Z");
    assertThat(worse.conditions())
        .extracting(Condition::getType)
        .containsExactly("Ready", "Compliant");
  }

  @Test
  void suspendedKeepsTheLastResultsAndSaysSoInReady() {
    MailEndpointPolicyStatus probed =
        PolicyStatusBuilder.probed(
            null, 1, List.of(outcome("smtp://a.example:25", Set.of(TLS_1_2))), T0, Duration.ZERO);
    MailEndpointPolicyStatus suspended = PolicyStatusBuilder.suspended(probed, 2, T1);

    assertThat(suspended.observedGeneration()).isEqualTo(2);
    assertThat(suspended.endpoints()).isEqualTo(probed.endpoints());
    assertThat(suspended.lastProbeTime()).isEqualTo(probed.lastProbeTime());
    assertThat(suspended.condition("Ready").getStatus()).isEqualTo("False");
    assertThat(suspended.condition("Ready").getReason()).isEqualTo("Suspended");
    assertThat(suspended.condition("Ready").getLastTransitionTime())
        .isEqualTo("2026-11-28T10:15:00Z");
    assertThat(suspended.condition("Compliant")).isEqualTo(probed.condition("Compliant"));
  }

  @Test
  void anInvalidSpecMakesComplianceUnknown() {
    MailEndpointPolicyStatus probed =
        PolicyStatusBuilder.probed(
            null, 1, List.of(outcome("smtp://a.example:25", Set.of(TLS_1_2))), T0, Duration.ZERO);
    MailEndpointPolicyStatus invalid =
        PolicyStatusBuilder.invalid(probed, 2, "spec.interval: '5' is not a duration", T1);

    assertThat(invalid.condition("Ready").getReason()).isEqualTo("InvalidSpec");
    assertThat(invalid.condition("Ready").getMessage())
        .isEqualTo("spec.interval: '5' is not a duration");
    assertThat(invalid.condition("Compliant").getStatus()).isEqualTo("Unknown");
    assertThat(invalid.condition("Compliant").getReason()).isEqualTo("InvalidSpec");
  }

  @Test
  void anEndpointTheGuardRefusesIsForbiddenAndCountsAsNotProbed() {
    EndpointOutcome forbidden =
        outcome(
            TestingResults.failed(
                "smtp://169.254.169.254:25",
                new Failure(
                    FailureKind.FORBIDDEN, "169.254.169.254 is in the denied range 169.254.0.0/16"),
                ServerSoftware.UNKNOWN));
    MailEndpointPolicyStatus status =
        PolicyStatusBuilder.probed(
            null, 1, List.of(forbidden, refused("smtp://b.example:25")), T0, Duration.ZERO);

    EndpointStatus endpoint = status.endpoints().getFirst();
    assertThat(endpoint.verdict()).isEqualTo("Forbidden");
    assertThat(endpoint.failure()).isEqualTo("Forbidden");
    assertThat(endpoint.message())
        .isEqualTo(
            "was not probed: 169.254.169.254 is in the denied range 169.254.0.0/16 (the"
                + " operator's connection guard, set by the cluster admin)");
    assertThat(status.summary()).isEqualTo(new StatusSummary(2, 0, 0, 2));
    assertThat(status.condition("Compliant").getReason()).isEqualTo("Forbidden");
    assertThat(status.condition("Compliant").getMessage())
        .isEqualTo("Forbidden: smtp://169.254.169.254:25; Unreachable: smtp://b.example:25");
  }

  @Test
  void longMessagesAreCut() {
    List<EndpointOutcome> many =
        java.util.stream.IntStream.range(0, 64)
            .mapToObj(i -> outcome("smtp://host-number-" + i + ".example.com:25", Set.of(TLS_1_0)))
            .toList();
    MailEndpointPolicyStatus status = PolicyStatusBuilder.probed(null, 1, many, T0, Duration.ZERO);
    assertThat(status.condition("Compliant").getMessage())
        .hasSize(PolicyConditions.MAX_MESSAGE)
        .endsWith("…");
  }

  /** A first round at generation 1 in which smtp://a.example:25 accepted {@code accepted}. */
  private static MailEndpointPolicyStatus firstRound(Set<TlsVersion> accepted) {
    return PolicyStatusBuilder.probed(
        null, 1, List.of(outcome("smtp://a.example:25", accepted)), T0, Duration.ZERO);
  }

  /** Nothing observed, for a reason of the operator's own. */
  private static EndpointOutcome notProbed(String target, FailureKind kind, String detail) {
    return outcome(
        TestingResults.failed(target, new Failure(kind, detail), ServerSoftware.UNKNOWN));
  }

  /** The operator's own trouble (its limits, its resources, a bug) says nothing of the server. */
  @Test
  void aLocalFailureKeepsTheLastResultAndTheVerdict() {
    MailEndpointPolicyStatus before = firstRound(Set.of(TLS_1_2));
    EndpointOutcome busy =
        notProbed("smtp://a.example:25", FailureKind.OPERATOR_BUSY, "all 100 connections busy");
    EndpointOutcome outOfFiles =
        notProbed("smtp://new.example:25", FailureKind.LOCAL_RESOURCES, "Too many open files");

    MailEndpointPolicyStatus after =
        PolicyStatusBuilder.probed(before, 1, List.of(busy, outOfFiles), T1, Duration.ZERO);

    assertThat(after.endpoints().getFirst()).isEqualTo(before.endpoints().getFirst());
    assertThat(after.endpoints().get(1).verdict()).isEqualTo("Unreachable"); // nothing to keep
    assertThat(after.endpoints().get(1).failure()).isEqualTo("LocalResources");
    assertThat(after.summary()).isEqualTo(new StatusSummary(2, 1, 0, 1));
    assertThat(after.condition("Compliant").getReason()).isEqualTo("Unreachable");
    assertThat(after.condition("Compliant").getMessage())
        .isEqualTo("Unreachable: smtp://new.example:25");
    assertThat(after.condition("Ready").getMessage())
        .endsWith(
            "; 1 kept the last result: not probed for a reason of this operator's own (see the"
                + " log)");
  }

  /** After a spec change the old verdict means nothing: no false Compliant from a kept result. */
  @Test
  void aResultIsNotKeptAcrossASpecChange() {
    MailEndpointPolicyStatus before = firstRound(Set.of(TLS_1_2, TLS_1_3));
    EndpointOutcome busy =
        notProbed("smtp://a.example:25", FailureKind.OPERATOR_BUSY, "all 100 connections busy");

    MailEndpointPolicyStatus after =
        PolicyStatusBuilder.probed(before, 2, List.of(busy), T1, Duration.ZERO);

    assertThat(after.endpoints().getFirst().verdict()).isEqualTo("Unreachable");
    assertThat(after.endpoints().getFirst().failure()).isEqualTo("OperatorBusy");
    assertThat(after.condition("Compliant").getStatus()).isEqualTo("False");
  }

  /**
   * One address observed is enough to not keep an old verdict: a name whose second address the
   * operator could not probe (its own trouble) is Unreachable, not the last round's Compliant.
   */
  @Test
  void aResultIsNotKeptWhenAnyAddressWasObserved() {
    MailEndpointPolicyStatus before = firstRound(Set.of(TLS_1_2, TLS_1_3));
    EndpointResult seen =
        TestingResults.result(
            "smtp://a.example:25", ServerSoftware.POSTFIX, Set.of(TLS_1_2, TLS_1_3), Set.of());
    EndpointResult busy =
        TestingResults.failed(
            "smtp://a.example:25",
            new Failure(FailureKind.OPERATOR_BUSY, "all 100 connections busy"),
            ServerSoftware.UNKNOWN);
    var seenAt =
        new AddressAssessment(seen, ComplianceEvaluator.assess(seen, CompliancePolicy.DEFAULT));
    var busyAt =
        new AddressAssessment(busy, ComplianceEvaluator.assess(busy, CompliancePolicy.DEFAULT));
    EndpointOutcome partly =
        new EndpointOutcome(
            new Target(busy.endpoint(), null),
            null,
            busy,
            busyAt.assessment(),
            List.of(seenAt, busyAt));

    MailEndpointPolicyStatus after =
        PolicyStatusBuilder.probed(before, 1, List.of(partly), T1, Duration.ZERO);

    assertThat(after.endpoints().getFirst().verdict()).isEqualTo("Unreachable");
    assertThat(after.endpoints().getFirst().failure()).isEqualTo("OperatorBusy");
  }

  /** What this round saw is reported as seen, even when a local failure cost some versions. */
  @Test
  void aPartlyObservedRoundIsNotReplacedByTheLastResult() {
    MailEndpointPolicyStatus before = firstRound(Set.of(TLS_1_2));
    EndpointResult partial =
        TestingResults.result(
            "smtp://a.example:25",
            ServerSoftware.POSTFIX,
            Set.of(TLS_1_0),
            Set.of(TLS_1_2, TLS_1_3));
    List<io.mailtls.probe.VersionResult> versions =
        partial.versions().stream()
            .map(
                v ->
                    v.status() == io.mailtls.probe.VersionResult.VersionStatus.NOT_TESTED
                        ? io.mailtls.probe.VersionResult.failed(
                            v.version(),
                            new Failure(FailureKind.LOCAL_RESOURCES, "Too many open files"),
                            0)
                        : v)
            .toList();
    EndpointResult outOfFiles =
        new EndpointResult(
            partial.endpoint(),
            null,
            partial.address(),
            partial.acceptedVersions(),
            partial.bestVersion(),
            null,
            true,
            partial.banner(),
            partial.serverSoftware(),
            null,
            null,
            versions,
            partial.probedAt(),
            10);

    MailEndpointPolicyStatus after =
        PolicyStatusBuilder.probed(before, 1, List.of(outcome(outOfFiles)), T1, Duration.ZERO);

    assertThat(after.endpoints().getFirst().verdict()).isEqualTo("Unreachable");
    assertThat(after.endpoints().getFirst().acceptedVersions()).containsExactly("TLSv1.0");
    assertThat(after.condition("Compliant").getStatus()).isEqualTo("False");
  }
}
