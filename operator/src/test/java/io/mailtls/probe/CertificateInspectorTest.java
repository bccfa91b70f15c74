package io.mailtls.probe;

import static org.assertj.core.api.Assertions.assertThat;

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
}
