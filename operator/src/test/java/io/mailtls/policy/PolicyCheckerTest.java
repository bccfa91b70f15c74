package io.mailtls.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtls.api.EndpointSpec;
import io.mailtls.api.EndpointStatus;
import io.mailtls.api.MailEndpointPolicySpec;
import io.mailtls.api.MailEndpointPolicyStatus;
import io.mailtls.api.StatusSummary;
import io.mailtls.probe.EndpointProber;
import io.mailtls.probe.ProbeSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A schema-valid policy that cannot be probed still gets a status that says why. */
class PolicyCheckerTest {

  @Test
  void anUnresolvableHostIsUnreachableWithItsReason() throws Exception {
    PolicyChecker checker =
        new PolicyChecker(
            new EndpointProber(ProbeSettings.defaults().withTimeout(Duration.ofSeconds(2))));
    PolicyRequest request =
        PolicyRequest.from(
            new MailEndpointPolicySpec(
                List.of(new EndpointSpec("smtp://no-such-host.invalid")),
                null,
                null,
                null,
                "2s",
                null));

    MailEndpointPolicyStatus status =
        PolicyStatusBuilder.probed(null, 1, checker.check(request), Instant.now(), Duration.ZERO);

    EndpointStatus endpoint = status.endpoints().getFirst();
    assertThat(endpoint.verdict()).isEqualTo("Unreachable");
    assertThat(endpoint.reason()).isEqualTo("DnsFailure");
    assertThat(endpoint.message()).contains("no-such-host.invalid");
    assertThat(endpoint.acceptedVersions()).isEmpty();
    assertThat(status.summary()).isEqualTo(new StatusSummary(1, 0, 0, 1));
    assertThat(status.condition("Compliant").getStatus()).isEqualTo("False");
    assertThat(status.condition("Compliant").getReason()).isEqualTo("Unreachable");
  }
}
