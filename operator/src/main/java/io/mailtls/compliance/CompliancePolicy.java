package io.mailtls.compliance;

import io.mailtls.tls.TlsVersion;

/**
 * What counts as compliant.
 *
 * @param minimumVersion the oldest version an endpoint may accept
 * @param requireStartTls whether a STARTTLS endpoint that offers no STARTTLS fails
 */
public record CompliancePolicy(TlsVersion minimumVersion, boolean requireStartTls) {
  public static final CompliancePolicy DEFAULT = new CompliancePolicy(TlsVersion.TLS_1_2, true);
}
