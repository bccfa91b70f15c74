package io.mailtls.probe;

import static org.assertj.core.api.Assertions.assertThat;

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
}
