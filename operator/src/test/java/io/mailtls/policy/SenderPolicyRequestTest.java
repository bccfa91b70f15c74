package io.mailtls.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailtls.api.MailSenderPolicySpec;
import io.mailtls.api.SenderSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the CRD schema checks is checked again when a spec is read (an old CRD, no API server). */
class SenderPolicyRequestTest {
  private static MailSenderPolicySpec spec(SenderSpec... senders) {
    return new MailSenderPolicySpec(List.of(senders), null, null, null);
  }

  @Test
  void aSenderKnownByNameAloneMustSaySo() throws Exception {
    assertThatThrownBy(
            () ->
                SenderPolicyRequest.from(
                    spec(new SenderSpec("mx", null, List.of("mx.example.test"), null, null))))
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessage(
            "spec.senders[0].addresses: a sender needs addresses (an EHLO name is a claim any"
                + " client can make), or ehloNames and ehloNameOnly: true");
    assertThatThrownBy(
            () ->
                SenderPolicyRequest.from(
                    spec(new SenderSpec("mx", List.of("192.0.2.1"), null, null, true))))
        .hasMessage("spec.senders[0].ehloNameOnly: applies only to a sender without addresses");

    SenderPolicyRequest request =
        SenderPolicyRequest.from(
            spec(new SenderSpec("mx", null, List.of("mx.example.test"), null, true)));
    assertThat(request.senders().getFirst().knownByNameOnly()).isTrue();
  }
}
