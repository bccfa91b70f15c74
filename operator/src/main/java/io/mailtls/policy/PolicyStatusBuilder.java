package io.mailtls.policy;

import static io.mailtls.api.MailEndpointPolicyStatus.COMPLIANT;
import static io.mailtls.api.MailEndpointPolicyStatus.READY;

import io.fabric8.kubernetes.api.model.Condition;
import io.mailtls.api.AddressStatus;
import io.mailtls.api.EndpointStatus;
import io.mailtls.api.MailEndpointPolicyStatus;
import io.mailtls.api.StatusSummary;
import io.mailtls.compliance.AddressAssessment;
import io.mailtls.compliance.Verdict;
import io.mailtls.compliance.VerdictCounts;
import io.mailtls.probe.EndpointResult;
import io.mailtls.probe.ServerSoftware;
import io.mailtls.tls.TlsVersion;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Builds a policy's status from a probe round, or from the reason no round ran. Everything it needs
 * comes in as arguments, so the same input always gives the same status.
 */
public final class PolicyStatusBuilder {
  public static final String REASON_ROUND_COMPLETED = "ProbeRoundCompleted";
  public static final String REASON_SUSPENDED = "Suspended";
  public static final String REASON_INVALID_SPEC = "InvalidSpec";

  private PolicyStatusBuilder() {}

  public static MailEndpointPolicyStatus probed(
      MailEndpointPolicyStatus previous,
      long generation,
      List<EndpointOutcome> outcomes,
      Instant startedAt,
      Duration took) {
    List<EndpointStatus> endpoints = new ArrayList<>();
    int kept = 0;
    for (EndpointOutcome outcome : outcomes) {
      EndpointStatus last =
          localFailure(outcome) ? lastResult(previous, generation, outcome) : null;
      endpoints.add(last != null ? last : endpoint(outcome));
      kept += last != null ? 1 : 0;
    }
    String probed = "probed " + endpoints.size() + " endpoints in " + took.toMillis() + " ms";
    if (kept > 0) {
      probed +=
          "; "
              + kept
              + " kept the last result: not probed for a reason of this operator's own (see the"
              + " log)";
    }
    Condition ready =
        PolicyConditions.of(READY, true, REASON_ROUND_COMPLETED, probed, generation, startedAt);
    return new MailEndpointPolicyStatus(
        generation,
        timestamp(startedAt),
        summary(endpoints),
        endpoints,
        PolicyConditions.merge(
            conditions(previous), ready, compliant(endpoints, generation, startedAt)));
  }

  /** No probing while suspended: the last round's results stay, and Ready says why. */
  public static MailEndpointPolicyStatus suspended(
      MailEndpointPolicyStatus previous, long generation, Instant now) {
    Condition ready =
        PolicyConditions.of(
            READY,
            false,
            REASON_SUSPENDED,
            "probing is suspended by spec.suspend; endpoints and Compliant are from the last round",
            generation,
            now);
    return keepResults(previous, generation, ready);
  }

  /**
   * A spec that cannot be probed: Ready says which fields are wrong, and Compliant becomes Unknown,
   * because the last results belong to another spec.
   */
  public static MailEndpointPolicyStatus invalid(
      MailEndpointPolicyStatus previous, long generation, String problems, Instant now) {
    Condition ready =
        PolicyConditions.of(READY, false, REASON_INVALID_SPEC, problems, generation, now);
    Condition compliant =
        PolicyConditions.unknown(
            COMPLIANT, REASON_INVALID_SPEC, "the spec is invalid: " + problems, generation, now);
    return keepResults(previous, generation, ready, compliant);
  }

  private static MailEndpointPolicyStatus keepResults(
      MailEndpointPolicyStatus previous, long generation, Condition... updates) {
    return new MailEndpointPolicyStatus(
        generation,
        previous == null ? null : previous.lastProbeTime(),
        previous == null ? new StatusSummary(0, 0, 0, 0) : previous.summary(),
        previous == null ? List.of() : previous.endpoints(),
        PolicyConditions.merge(conditions(previous), updates));
  }

  /**
   * Nothing at all was observed, at any address, for a reason of the operator's own (its limits,
   * its resources, a bug), which says nothing of the server. (A round that saw something, even with
   * some versions lost to a local failure, is reported as it is: Unreachable when those versions
   * decide, never an older verdict that what was seen might contradict.)
   */
  private static boolean localFailure(EndpointOutcome outcome) {
    List<EndpointResult> results =
        outcome.addresses().isEmpty()
            ? List.of(outcome.result())
            : outcome.addresses().stream().map(AddressAssessment::result).toList();
    // Every address: one address observed is something an old verdict might contradict.
    return results.stream().allMatch(r -> r.failure() != null && r.failure().kind().isLocal());
  }

  /**
   * The endpoint's entry in the previous status, when it has one that was judged against this same
   * spec: after a spec change (another minimum version, requireStartTls) an old verdict means
   * nothing.
   */
  private static EndpointStatus lastResult(
      MailEndpointPolicyStatus previous, long generation, EndpointOutcome outcome) {
    if (previous == null
        || previous.endpoints() == null
        || !Objects.equals(previous.observedGeneration(), generation)) {
      return null;
    }
    String target = outcome.name();
    return previous.endpoints().stream()
        .filter(e -> target.equals(e.target()))
        .filter(e -> Objects.equals(e.serverName(), outcome.target().serverName()))
        .findFirst()
        .orElse(null);
  }

  private static Verdict verdict(EndpointStatus endpoint) {
    return Verdict.fromReason(endpoint.verdict()).orElse(Verdict.UNREACHABLE);
  }

  private static Condition compliant(List<EndpointStatus> endpoints, long generation, Instant now) {
    Map<Verdict, List<EndpointStatus>> byVerdict =
        endpoints.stream().collect(Collectors.groupingBy(PolicyStatusBuilder::verdict));
    List<Verdict> failing =
        byVerdict.keySet().stream()
            .filter(v -> !v.meetsPolicy())
            .sorted(Verdict.WORST_FIRST_ORDER)
            .toList();
    String whatFails =
        failing.stream()
            .map(
                v ->
                    v.reason()
                        + ": "
                        + byVerdict.get(v).stream()
                            .map(PolicyStatusBuilder::describe)
                            .collect(Collectors.joining(", ")))
            .collect(Collectors.joining("; "));
    return PolicyConditions.compliant(
        COMPLIANT,
        failing.stream().map(Verdict::reason).toList(),
        Verdict.COMPLIANT.reason(),
        "all " + endpoints.size() + " endpoints meet the policy",
        whatFails,
        generation,
        now);
  }

  /** An endpoint in a condition message, with its accepted versions when they are the problem. */
  private static String describe(EndpointStatus endpoint) {
    return switch (verdict(endpoint)) {
      case DEPRECATED_TLS_ACCEPTED, NO_MODERN_TLS ->
          endpoint.target()
              + (endpoint.acceptedVersions() == null || endpoint.acceptedVersions().isEmpty()
                  ? ""
                  : " (" + String.join(", ", endpoint.acceptedVersions()) + ")");
      default -> endpoint.target();
    };
  }

  private static EndpointStatus endpoint(EndpointOutcome outcome) {
    EndpointResult result = outcome.result();
    Verdict verdict = outcome.assessment().verdict();
    MxOrigin origin = outcome.origin();
    return new EndpointStatus(
        outcome.name(),
        outcome.target().serverName(),
        labels(result.acceptedVersions()),
        untested(result),
        result.bestVersion() == null ? null : result.bestVersion().label(),
        verdict.reason(),
        failure(verdict, result),
        outcome.assessment().explanation(),
        outcome.assessment().remediation(),
        result.certificate() == null ? null : timestamp(result.certificate().notAfter()),
        result.serverSoftware() == ServerSoftware.UNKNOWN
            ? null
            : result.serverSoftware().displayName(),
        timestamp(result.probedAt()),
        origin == null ? null : origin.domain(),
        origin == null ? null : origin.preference(),
        outcome.addresses().isEmpty()
            ? null
            : outcome.addresses().stream().map(PolicyStatusBuilder::address).toList());
  }

  private static AddressStatus address(AddressAssessment address) {
    EndpointResult result = address.result();
    return new AddressStatus(
        result.address(),
        address.verdict().reason(),
        labels(result.acceptedVersions()),
        failure(address.verdict(), result));
  }

  private static List<String> labels(List<TlsVersion> versions) {
    return versions.stream().map(TlsVersion::label).toList();
  }

  /** Versions that could not be tested; none when no handshake ran at all (the endpoint failed). */
  private static List<String> untested(EndpointResult result) {
    if (result.failure() != null) {
      return null;
    }
    List<String> untested = result.untested().stream().map(v -> v.version().label()).toList();
    return untested.isEmpty() ? null : untested;
  }

  /**
   * The failure class that decided the verdict (ConnectionRefused, StartTLSNotAdvertised, …); null
   * when the accepted versions decided it.
   */
  private static String failure(Verdict verdict, EndpointResult result) {
    if (result.failure() != null) {
      return result.failure().kind().reason();
    }
    if (verdict == Verdict.UNREACHABLE && result.decidingFailure() != null) {
      return result.decidingFailure().kind().reason();
    }
    return null;
  }

  private static StatusSummary summary(List<EndpointStatus> endpoints) {
    VerdictCounts counts =
        VerdictCounts.of(endpoints.stream().map(PolicyStatusBuilder::verdict).toList());
    return new StatusSummary(
        counts.total(), counts.compliant(), counts.nonCompliant(), counts.unreachable());
  }

  private static List<Condition> conditions(MailEndpointPolicyStatus previous) {
    return previous == null ? null : previous.conditions();
  }

  static String timestamp(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
