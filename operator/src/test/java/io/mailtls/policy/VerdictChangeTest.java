package io.mailtls.policy;

import static io.mailtls.policy.PolicyStatusBuilderTest.T0;
import static io.mailtls.policy.PolicyStatusBuilderTest.T1;
import static io.mailtls.policy.PolicyStatusBuilderTest.outcome;
import static io.mailtls.policy.PolicyStatusBuilderTest.refused;
import static io.mailtls.tls.TlsVersion.TLS_1_0;
import static io.mailtls.tls.TlsVersion.TLS_1_2;
import static org.assertj.core.api.Assertions.assertThat;

import io.mailtls.api.MailEndpointPolicyStatus;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VerdictChangeTest {
  private static MailEndpointPolicyStatus round(
      MailEndpointPolicyStatus previous, EndpointOutcome... outcomes) {
    return PolicyStatusBuilder.probed(previous, 1, List.of(outcomes), T0, Duration.ZERO);
  }

  @Test
  void aNewFailingEndpointIsAChangeANewCompliantOneIsNot() {
    MailEndpointPolicyStatus first =
        round(
            null, outcome("smtp://a.example:25", Set.of(TLS_1_2)), refused("smtp://b.example:25"));
    List<VerdictChange> changes = VerdictChange.between(null, first);
    assertThat(changes).hasSize(1);
    assertThat(changes.getFirst().previousVerdict()).isNull();
    assertThat(changes.getFirst().isRecovery()).isFalse();
    assertThat(changes.getFirst().message())
        .startsWith("smtp://b.example:25 is Unreachable: could not be probed: CONNECTION_REFUSED");
  }

  @Test
  void anUnchangedVerdictIsNoChange() {
    MailEndpointPolicyStatus first =
        round(null, outcome("smtp://a.example:25", Set.of(TLS_1_0, TLS_1_2)));
    MailEndpointPolicyStatus second =
        PolicyStatusBuilder.probed(
            first,
            1,
            List.of(outcome("smtp://a.example:25", Set.of(TLS_1_0, TLS_1_2))),
            T1,
            Duration.ZERO);
    assertThat(VerdictChange.between(null, first)).hasSize(1);
    assertThat(VerdictChange.between(first, second)).isEmpty();
  }

  @Test
  void worseningAndRecoveringAreChanges() {
    MailEndpointPolicyStatus fine = round(null, outcome("smtp://a.example:25", Set.of(TLS_1_2)));
    MailEndpointPolicyStatus worse =
        round(fine, outcome("smtp://a.example:25", Set.of(TLS_1_0, TLS_1_2)));
    MailEndpointPolicyStatus fixed = round(worse, outcome("smtp://a.example:25", Set.of(TLS_1_2)));

    VerdictChange down = VerdictChange.between(fine, worse).getFirst();
    assertThat(down.previousVerdict()).isEqualTo("Compliant");
    assertThat(down.verdict()).isEqualTo("DeprecatedTLSAccepted");
    assertThat(down.isRecovery()).isFalse();
    assertThat(down.message())
        .startsWith(
            "smtp://a.example:25 is DeprecatedTLSAccepted (was Compliant): accepts deprecated TLSv1.0");

    VerdictChange up = VerdictChange.between(worse, fixed).getFirst();
    assertThat(up.previousVerdict()).isEqualTo("DeprecatedTLSAccepted");
    assertThat(up.isRecovery()).isTrue();
  }
}
