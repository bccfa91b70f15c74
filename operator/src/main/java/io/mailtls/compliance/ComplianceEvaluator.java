package io.mailtls.compliance;

import io.mailtls.probe.EndpointResult;
import io.mailtls.probe.FailureKind;
import io.mailtls.probe.ProbedEndpoint;
import io.mailtls.probe.VersionResult;
import io.mailtls.tls.TlsVersion;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Turns probe results into verdicts. A verdict rests only on what was observed: if a version that
 * could change the answer was not tested, the endpoint is {@link Verdict#UNREACHABLE} rather than
 * guessed compliant.
 */
public final class ComplianceEvaluator {
  private static final String EXCHANGE_ONLINE_FAILURE =
      "mail with Exchange Online fails (\"421 4.4.2 Connection dropped due to SocketError\","
          + " \"TLS negotiation failed with error SocketError\")";

  private ComplianceEvaluator() {}

  /**
   * The worst verdict over the endpoint's addresses. It is Compliant only when every address was
   * probed and is compliant: when the addresses probed may not be all of them, a Compliant becomes
   * Unreachable.
   */
  public static EndpointAssessment assess(ProbedEndpoint probed, CompliancePolicy policy) {
    List<AddressAssessment> each =
        probed.addresses().stream().map(r -> new AddressAssessment(r, assess(r, policy))).toList();
    AddressAssessment worst =
        each.stream()
            .min(Comparator.comparing(AddressAssessment::verdict, Verdict.WORST_FIRST_ORDER))
            .orElseThrow();
    if (each.size() == 1 && probed.incomplete() == null) {
      return new EndpointAssessment(worst, worst.assessment(), each);
    }
    Assessment decided = worst.assessment();
    Assessment assessment;
    if (decided.verdict() == Verdict.COMPLIANT && probed.incomplete() != null) {
      assessment =
          new Assessment(
              Verdict.UNREACHABLE,
              "the addresses probed are compliant, but "
                  + probed.incomplete()
                  + ": not every address of the name was observed",
              null);
    } else if (decided.verdict() == Verdict.COMPLIANT) {
      assessment =
          new Assessment(
              Verdict.COMPLIANT,
              "all "
                  + each.size()
                  + " addresses meet the policy: "
                  + each.stream()
                      .map(a -> a.result().address() + " " + a.assessment().explanation())
                      .collect(Collectors.joining("; ")),
              null);
    } else if (each.size() == 1) {
      assessment = decided;
    } else {
      assessment =
          new Assessment(
              decided.verdict(),
              "at "
                  + worst.result().address()
                  + " (the worst of "
                  + each.size()
                  + " addresses): "
                  + decided.explanation(),
              decided.remediation());
    }
    return new EndpointAssessment(worst, assessment, each);
  }

  /** The verdict on one address. */
  public static Assessment assess(EndpointResult result, CompliancePolicy policy) {
    Verdict verdict = verdict(result, policy);
    return new Assessment(
        verdict,
        explain(verdict, result, policy),
        verdict == Verdict.COMPLIANT ? null : remediation(verdict, result, policy));
  }

  static Verdict verdict(EndpointResult result, CompliancePolicy policy) {
    if (result.failure() != null) {
      if (result.failure().kind() == FailureKind.FORBIDDEN) {
        return Verdict.FORBIDDEN;
      }
      if (startTlsUnavailable(result)) {
        return policy.requireStartTls() ? Verdict.STARTTLS_MISSING : Verdict.COMPLIANT;
      }
      return Verdict.UNREACHABLE;
    }
    TlsVersion minimum = policy.minimumVersion();
    boolean deprecated =
        !versions(result, VersionResult.VersionStatus.ACCEPTED, false, minimum).isEmpty();
    boolean modern =
        !versions(result, VersionResult.VersionStatus.ACCEPTED, true, minimum).isEmpty();
    boolean untestedOld =
        !versions(result, VersionResult.VersionStatus.NOT_TESTED, false, minimum).isEmpty();
    boolean untestedModern =
        !versions(result, VersionResult.VersionStatus.NOT_TESTED, true, minimum).isEmpty();
    if (modern) {
      if (deprecated) {
        return Verdict.DEPRECATED_TLS_ACCEPTED;
      }
      return untestedOld ? Verdict.UNREACHABLE : Verdict.COMPLIANT;
    }
    return untestedModern ? Verdict.UNREACHABLE : Verdict.NO_MODERN_TLS;
  }

  private static String explain(Verdict verdict, EndpointResult result, CompliancePolicy policy) {
    TlsVersion minimum = policy.minimumVersion();
    String accepted = labels(result.acceptedVersions());
    return switch (verdict) {
      case COMPLIANT ->
          result.acceptedVersions().isEmpty()
              ? "offers no STARTTLS, which this policy allows"
              : "accepts " + accepted + " and nothing older than " + minimum;
      case DEPRECATED_TLS_ACCEPTED ->
          "accepts deprecated "
              + labels(versions(result, VersionResult.VersionStatus.ACCEPTED, false, minimum))
              + " besides "
              + labels(versions(result, VersionResult.VersionStatus.ACCEPTED, true, minimum))
              + ": a client can still be talked down to them";
      case NO_MODERN_TLS ->
          (result.acceptedVersions().isEmpty()
                  ? "accepts no protocol version at all (" + rejections(result) + ")"
                  : "accepts only " + accepted + ", nothing at or above " + minimum)
              + ": "
              + EXCHANGE_ONLINE_FAILURE;
      case STARTTLS_MISSING ->
          (switch (result.failure().kind()) {
                case STARTTLS_REFUSED -> "refuses STARTTLS (" + result.failure().detail() + ")";
                case STARTTLS_STRIPPED ->
                    "is behind a firewall whose SMTP inspection hides STARTTLS ("
                        + result.failure().detail()
                        + ")";
                default -> "does not offer STARTTLS";
              })
              + ", so mail goes in plain text: senders that insist on TLS fail with"
              + " \"451 5.7.3 Must issue a STARTTLS command first\"";
      case FORBIDDEN ->
          "was not probed: "
              + result.failure().detail()
              + " (the operator's connection guard, set by the cluster admin)";
      case NULL_MX -> "publishes a null MX (RFC 7505): the domain accepts no mail";
      case UNREACHABLE ->
          temporarilyRefused(result)
              ? "temporarily refused / rate limited: the server said \"not now\" ("
                  + result.decidingFailure()
                  + "), also to one connection at a time, so "
                  + (result.failure() != null ? "no version" : labels(untested(result)))
                  + " could be tested; this says nothing about its STARTTLS or TLS"
              : result.failure() != null
                  ? "could not be probed: " + result.failure()
                  : "could not test " + labels(untested(result)) + ": " + result.decidingFailure();
    };
  }

  private static boolean startTlsUnavailable(EndpointResult result) {
    FailureKind kind = result.failure().kind();
    return kind == FailureKind.STARTTLS_NOT_ADVERTISED
        || kind == FailureKind.STARTTLS_REFUSED
        || kind == FailureKind.STARTTLS_STRIPPED;
  }

  /** What decided an Unreachable verdict was a "not now" from the server. */
  private static boolean temporarilyRefused(EndpointResult result) {
    return result.decidingFailure() != null
        && result.decidingFailure().kind() == FailureKind.TEMPORARILY_REFUSED;
  }

  private static String remediation(
      Verdict verdict, EndpointResult result, CompliancePolicy policy) {
    if (verdict == Verdict.STARTTLS_MISSING
        && result.failure().kind() == FailureKind.STARTTLS_STRIPPED) {
      return Remediation.FIREWALL_INSPECTION;
    }
    if (verdict == Verdict.UNREACHABLE && temporarilyRefused(result)) {
      return Remediation.TEMPORARY_REFUSAL;
    }
    return Remediation.hint(verdict, result.serverSoftware(), policy.minimumVersion());
  }

  private static List<TlsVersion> versions(
      EndpointResult result,
      VersionResult.VersionStatus status,
      boolean atLeastMinimum,
      TlsVersion minimum) {
    return result.versions().stream()
        .filter(v -> v.status() == status && v.version().isAtLeast(minimum) == atLeastMinimum)
        .map(VersionResult::version)
        .toList();
  }

  private static List<TlsVersion> untested(EndpointResult result) {
    return result.untested().stream().map(VersionResult::version).toList();
  }

  private static String rejections(EndpointResult result) {
    return result.versions().stream()
        .map(v -> v.version() + ": " + v.failure())
        .collect(Collectors.joining("; "));
  }

  private static String labels(List<TlsVersion> versions) {
    return versions.stream().map(TlsVersion::label).collect(Collectors.joining(", "));
  }
}
