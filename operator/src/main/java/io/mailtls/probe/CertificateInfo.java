package io.mailtls.probe;

import java.time.Instant;
import java.util.List;

/**
 * The server's leaf certificate and what we think of it.
 *
 * @param chainValid whether the chain validates (PKIX, no revocation check) against the JVM trust
 *     store or the given CA bundle
 * @param chainError why it does not, when it does not
 * @param nameChecked the name matched against the certificate: the server name or the host
 * @param nameMatches whether a subjectAltName (or, lacking SANs, the CN) matches {@code
 *     nameChecked}
 */
public record CertificateInfo(
    String subject,
    List<String> subjectAltNames,
    String issuer,
    Instant notBefore,
    Instant notAfter,
    boolean chainValid,
    String chainError,
    String nameChecked,
    boolean nameMatches) {}
