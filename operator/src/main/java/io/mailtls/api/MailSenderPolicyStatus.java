package io.mailtls.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** What the test receiver last saw of the expected senders; written only by the operator. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MailSenderPolicyStatus(
    @JsonPropertyDescription("The metadata.generation this status was written for.")
        Long observedGeneration,
    @JsonPropertyDescription(
            "When an evaluation last changed this status (RFC 3339); evaluations that find the"
                + " same write nothing.")
        String lastChangeTime,
    @JsonPropertyDescription("Sender counts of the last evaluation.") SenderSummary summary,
    @JsonPropertyDescription("One entry per sender, in the order of spec.senders.")
        List<SenderStatus> senders,
    @JsonPropertyDescription(
            "Ready: the test receiver is running and the spec could be read (False with reason"
                + " InvalidSpec or ReceiverNotRunning otherwise). Compliant: every sender was seen"
                + " recently and is compliant (False with reason OutdatedTLS, StartTLSNotUsed,"
                + " Inconclusive or NotSeen, the worst first).")
        List<Condition> conditions) {

  public Condition condition(String type) {
    return conditions == null
        ? null
        : conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }
}
