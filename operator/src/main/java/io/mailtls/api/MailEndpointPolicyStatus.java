package io.mailtls.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** What the operator last found; written only by the operator. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MailEndpointPolicyStatus(
    @JsonPropertyDescription("The metadata.generation this status was written for.")
        Long observedGeneration,
    @JsonPropertyDescription("When the last probe round started (RFC 3339).") String lastProbeTime,
    @JsonPropertyDescription("Endpoint counts of the last probe round.") StatusSummary summary,
    @JsonPropertyDescription(
            "One entry per endpoint, in the order of spec.endpoints; an mx:// target gives one per"
                + " MX host.")
        List<EndpointStatus> endpoints,
    @JsonPropertyDescription(
            "Ready: the last probe round completed (False with reason Suspended or InvalidSpec"
                + " otherwise). Compliant: every endpoint meets the policy, or is a mail domain that"
                + " accepts no mail (NullMX) (False with reason DeprecatedTLSAccepted, NoModernTLS,"
                + " StartTLSMissing, Forbidden or Unreachable).")
        List<Condition> conditions) {

  public static final String READY = "Ready";
  public static final String COMPLIANT = "Compliant";

  public Condition condition(String type) {
    return conditions == null
        ? null
        : conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }
}
