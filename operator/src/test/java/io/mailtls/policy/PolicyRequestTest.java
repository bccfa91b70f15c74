package io.mailtls.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailtls.api.EndpointSpec;
import io.mailtls.api.MailEndpointPolicySpec;
import io.mailtls.api.MinimumVersion;
import io.mailtls.compliance.CompliancePolicy;
import io.mailtls.probe.Endpoint;
import io.mailtls.probe.Target;
import io.mailtls.tls.TlsVersion;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyRequestTest {
  private static MailEndpointPolicySpec spec(
      List<EndpointSpec> endpoints, String interval, String timeout) {
    return new MailEndpointPolicySpec(endpoints, null, null, interval, timeout, null);
  }

  @Test
  void absentFieldsTakeTheCrdDefaults() throws Exception {
    PolicyRequest request =
        PolicyRequest.from(spec(List.of(new EndpointSpec("smtp://mx.example.com")), null, null));
    assertThat(request.targets())
        .containsExactly(
            new PolicyTarget.Host(new Target(Endpoint.parse("smtp://mx.example.com:25"), null)));
    assertThat(request.compliance()).isEqualTo(CompliancePolicy.DEFAULT);
    assertThat(request.interval()).isEqualTo(Duration.ofMinutes(15));
    assertThat(request.timeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(request.suspend()).isFalse();
  }

  @Test
  void readsEveryField() throws Exception {
    PolicyRequest request =
        PolicyRequest.from(
            new MailEndpointPolicySpec(
                List.of(new EndpointSpec("imaps://10.0.0.1", "mail.example.com")),
                MinimumVersion.TLS_1_3,
                false,
                "1h30m",
                "2500ms",
                true));
    assertThat(((PolicyTarget.Host) request.targets().getFirst()).target().serverName())
        .isEqualTo("mail.example.com");
    assertThat(request.compliance()).isEqualTo(new CompliancePolicy(TlsVersion.TLS_1_3, false));
    assertThat(request.interval()).isEqualTo(Duration.ofMinutes(90));
    assertThat(request.timeout()).isEqualTo(Duration.ofMillis(2500));
    assertThat(request.suspend()).isTrue();
  }

  @Test
  void namesEveryBadField() {
    assertThatThrownBy(
            () ->
                PolicyRequest.from(
                    spec(
                        List.of(new EndpointSpec("smtp://ok.example"), new EndpointSpec("ftp://x")),
                        "30s",
                        "soon")))
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessage(
            "spec.endpoints[1].target: unknown scheme 'ftp' in 'ftp://x': expected one of"
                + " smtp, submission, smtps, imap, imaps, pop3, pop3s;"
                + " spec.interval: 30s is not between 1m and 24h;"
                + " spec.timeout: 'soon' is not a duration such as 90s, 15m or 1h30m");
  }

  @Test
  void aTargetNameLongerThanDnsCarriesIsInvalidNotADnsFailure() {
    String label = "a".repeat(63);
    String tooLong = String.join(".", label, label, label, label); // 255

    assertThatThrownBy(
            () ->
                PolicyRequest.from(
                    spec(
                        List.of(
                            new EndpointSpec("smtp://ok.example"),
                            new EndpointSpec("smtp://" + tooLong),
                            new EndpointSpec("mx://" + "b".repeat(64) + ".example")),
                        null,
                        null)))
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessageStartingWith("spec.endpoints[1].target: the host name of 'smtp://aaaa")
        .hasMessageContaining(
            "…' has 255 characters: a DNS name has at most 253; spec.endpoints[2].target: the"
                + " label 'bbbb")
        .hasMessageEndingWith(" has 64 characters: a DNS label has 1 to 63");
  }

  @Test
  void noEndpointsIsInvalid() {
    assertThatThrownBy(() -> PolicyRequest.from(spec(List.of(), null, null)))
        .hasMessage("spec.endpoints: at least one endpoint is required");
  }
}
