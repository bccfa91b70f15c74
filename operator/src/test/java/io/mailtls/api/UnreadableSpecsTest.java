package io.mailtls.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A stored spec this version cannot read is read as "unreadable", with the field named. */
class UnreadableSpecsTest {
  private static MailEndpointPolicy read(String spec) {
    return Serialization.unmarshal(
        """
        {"apiVersion": "mailtls.io/v1alpha1", "kind": "MailEndpointPolicy",
         "metadata": {"name": "p", "namespace": "mail"}, "spec": %s}
        """
            .formatted(spec),
        MailEndpointPolicy.class);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"endpoints\": [{\"target\": \"smtp://mx\"}], \"minimumVersion\": \"TLSv1.0\"} | spec.minimumVersion: cannot be read: ",
        "{\"endpoints\": \"x\"}                                              | spec.endpoints: cannot be read: ",
        "{\"endpoints\": [{\"target\": \"smtp://mx\"}], \"suspend\": \"yes\"}          | spec.suspend: cannot be read: ",
        "{\"endpoints\": [{\"target\": \"smtp://mx\"}], \"schedule\": \"5m\"}          | spec.schedule: cannot be read: ",
        "{\"endpoints\": [{\"target\": 25}, {\"host\": \"mx\"}]}                     | spec.endpoints[1].host: cannot be read: ",
      })
  void whatCannotBeReadIsNamedInsteadOfFailing(String spec, String problem) {
    MailEndpointPolicy policy = read(spec);

    assertThat(policy.getMetadata().getName()).isEqualTo("p");
    assertThat(policy.getSpec().unreadable()).startsWith(problem);
  }

  @Test
  void aGoodSpecReadsAsItAlwaysDid() {
    MailEndpointPolicy policy =
        read("{\"endpoints\": [{\"target\": \"smtp://mx\"}], \"suspend\": true}");

    assertThat(policy.getSpec())
        .isEqualTo(
            new MailEndpointPolicySpec(
                List.of(new EndpointSpec("smtp://mx", null)), null, null, null, null, true));
    assertThat(Serialization.asJson(policy.getSpec()))
        .isEqualTo("{\"endpoints\":[{\"target\":\"smtp://mx\"}],\"suspend\":true}");
  }
}
