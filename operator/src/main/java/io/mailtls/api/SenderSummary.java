package io.mailtls.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Sender counts, for `kubectl get msp`. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SenderSummary(
    @JsonPropertyDescription("Senders in the policy.") int total,
    @JsonPropertyDescription("Senders with verdict Compliant.") int compliant,
    @JsonPropertyDescription("Senders with verdict OutdatedTLS or StartTLSNotUsed.")
        int nonCompliant,
    @JsonPropertyDescription("Senders with verdict NotSeen or Inconclusive.") int notSeen) {}
