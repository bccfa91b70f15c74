package io.mailtls.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Endpoint counts of the last probe round, for `kubectl get mep`. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StatusSummary(
    @JsonPropertyDescription("Endpoints in the last probe round.") int total,
    @JsonPropertyDescription("Endpoints with verdict Compliant.") int compliant,
    @JsonPropertyDescription(
            "Endpoints with verdict DeprecatedTLSAccepted, NoModernTLS or StartTLSMissing.")
        int nonCompliant,
    @JsonPropertyDescription(
            "Endpoints that could not be probed (verdict Unreachable, or Forbidden by the"
                + " operator's connection guard).")
        int unreachable) {}
