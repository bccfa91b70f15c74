package io.mailtls.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CertificateInspectorTest {
  @Test
  void wildcardCoversExactlyOneLeftMostLabel() {
    assertThat(CertificateInspector.matchesPattern("*.example.com", "mx.example.com")).isTrue();
    assertThat(CertificateInspector.matchesPattern("*.example.com", "a.b.example.com")).isFalse();
    assertThat(CertificateInspector.matchesPattern("*.example.com", "example.com")).isFalse();
    assertThat(CertificateInspector.matchesPattern("mx.example.com", "mx.example.com")).isTrue();
    assertThat(CertificateInspector.matchesPattern("mx.example.com", "mx2.example.com")).isFalse();
  }

  @Test
  void aNameIdnRejectsMatchesNothingInsteadOfThrowing() {
    List<List<?>> sans = List.of(List.of(2, "mx.example.com"));
    assertThat(CertificateInspector.nameMatches(null, sans, "a..b")).isFalse();
    assertThat(CertificateInspector.nameMatches(null, sans, "x".repeat(64) + ".example.com"))
        .isFalse();
  }

  @Test
  void aFullyQualifiedNameWithItsTrailingDotMatches() {
    List<List<?>> sans = List.of(List.of(2, "mx.example.com"));
    assertThat(CertificateInspector.nameMatches(null, sans, "mx.example.com.")).isTrue();
    assertThat(CertificateInspector.nameMatches(null, sans, "MX.Example.com")).isTrue();
  }

  @Test
  void aValidationIsReusedTenMinutesAtMost() throws Exception {
    Instant now = Instant.parse("2026-12-01T00:00:00Z");
    X509Certificate longLived =
        certificate(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(90)));

    assertThat(CertificateInspector.reusableUntil(List.of(longLived), now))
        .isEqualTo(now.plus(CertificateInspector.VALIDATION_REUSE));
  }

  @Test
  void aValidationIsNeverReusedPastAValidityBoundary() throws Exception {
    Instant now = Instant.parse("2026-12-01T00:00:00Z");
    X509Certificate longLived =
        certificate(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(90)));
    X509Certificate expiring =
        certificate(now.minus(Duration.ofDays(1)), now.plus(Duration.ofMinutes(3)));
    X509Certificate notYetValid =
        certificate(now.plus(Duration.ofMinutes(2)), now.plus(Duration.ofDays(90)));

    assertThat(CertificateInspector.reusableUntil(List.of(longLived, expiring), now))
        .isEqualTo(now.plus(Duration.ofMinutes(3)));
    assertThat(CertificateInspector.reusableUntil(List.of(notYetValid, longLived), now))
        .isEqualTo(now.plus(Duration.ofMinutes(2)));
  }

  /** A self-signed certificate valid from {@code notBefore} to {@code notAfter}. */
  private static X509Certificate certificate(Instant notBefore, Instant notAfter) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    return TestingCertificates.selfSigned(
        generator.generateKeyPair(), "reuse.test", notBefore, notAfter, "SHA256withECDSA");
  }
}
