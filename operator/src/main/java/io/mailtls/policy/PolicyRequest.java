package io.mailtls.policy;

import io.mailtls.api.EndpointSpec;
import io.mailtls.api.MailEndpointPolicySpec;
import io.mailtls.api.MinimumVersion;
import io.mailtls.compliance.CompliancePolicy;
import io.mailtls.text.Durations;
import io.mailtls.tls.TlsVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A policy spec read into the engine's terms, with the CRD's defaults for absent fields. The API
 * server validates specs against the CRD; this checks again, because a spec may reach us without
 * that (an old CRD, a test API server), and a bad one must become a status, not an exception.
 */
public record PolicyRequest(
    List<PolicyTarget> targets,
    CompliancePolicy compliance,
    Duration interval,
    Duration timeout,
    boolean suspend) {

  public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(15);
  public static final Duration MIN_INTERVAL = Duration.ofMinutes(1);
  public static final Duration MAX_INTERVAL = Duration.ofHours(24);
  public static final Duration MIN_TIMEOUT = Duration.ofSeconds(1);
  public static final Duration MAX_TIMEOUT = Duration.ofSeconds(60);

  public static PolicyRequest from(MailEndpointPolicySpec spec) throws InvalidPolicyException {
    if (spec == null) {
      throw new InvalidPolicyException("spec: required");
    }
    if (spec.unreadable() != null) {
      throw new InvalidPolicyException(spec.unreadable());
    }
    List<String> errors = new ArrayList<>();
    List<PolicyTarget> targets = targets(spec.endpoints(), errors);
    Duration interval =
        duration(
            "spec.interval", spec.interval(), DEFAULT_INTERVAL, MIN_INTERVAL, MAX_INTERVAL, errors);
    Duration timeout =
        duration(
            "spec.timeout",
            spec.timeout(),
            io.mailtls.probe.ProbeSettings.DEFAULT_TIMEOUT,
            MIN_TIMEOUT,
            MAX_TIMEOUT,
            errors);
    if (!errors.isEmpty()) {
      throw new InvalidPolicyException(String.join("; ", errors));
    }
    MinimumVersion minimum =
        spec.minimumVersion() == null ? MinimumVersion.TLS_1_2 : spec.minimumVersion();
    boolean requireStartTls = spec.requireStartTls() == null || spec.requireStartTls();
    return new PolicyRequest(
        targets,
        new CompliancePolicy(tlsVersion(minimum), requireStartTls),
        interval,
        timeout,
        Boolean.TRUE.equals(spec.suspend()));
  }

  /**
   * The CRD names a version in its own enum, so that the API model does not depend on the engine.
   */
  static TlsVersion tlsVersion(MinimumVersion minimum) {
    return switch (minimum) {
      case TLS_1_2 -> TlsVersion.TLS_1_2;
      case TLS_1_3 -> TlsVersion.TLS_1_3;
    };
  }

  private static List<PolicyTarget> targets(List<EndpointSpec> endpoints, List<String> errors) {
    if (endpoints == null || endpoints.isEmpty()) {
      errors.add("spec.endpoints: at least one endpoint is required");
      return List.of();
    }
    if (endpoints.size() > MailEndpointPolicySpec.MAX_ENDPOINTS) {
      errors.add(
          "spec.endpoints: at most " + MailEndpointPolicySpec.MAX_ENDPOINTS + " endpoints allowed");
    }
    List<PolicyTarget> targets = new ArrayList<>();
    for (int i = 0; i < endpoints.size(); i++) {
      EndpointSpec endpoint = endpoints.get(i);
      try {
        if (endpoint == null || endpoint.target() == null) {
          throw new IllegalArgumentException("required");
        }
        targets.add(PolicyTarget.parse(endpoint.target(), endpoint.serverName()));
      } catch (IllegalArgumentException e) {
        errors.add("spec.endpoints[" + i + "].target: " + e.getMessage());
      }
    }
    return targets;
  }

  private static Duration duration(
      String field,
      String text,
      Duration fallback,
      Duration min,
      Duration max,
      List<String> errors) {
    if (text == null) {
      return fallback;
    }
    try {
      Duration value = Durations.parse(text);
      if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
        errors.add(field + ": " + text + " is not between " + format(min) + " and " + format(max));
      }
      return value;
    } catch (IllegalArgumentException e) {
      errors.add(field + ": " + e.getMessage());
      return fallback;
    }
  }

  private static String format(Duration d) {
    return d.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
  }
}
