package io.mailtls.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** What the last probe round found at one address of an endpoint's host. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AddressStatus(
    @JsonPropertyDescription("The IPv4 or IPv6 address.") String address,
    @JsonPropertyDescription("The verdict at this address (the same values as the endpoint's).")
        String verdict,
    @JsonPropertyDescription("The protocol versions this address accepted, oldest first.")
        List<String> acceptedVersions,
    @JsonPropertyDescription(
            "The failure class that decided an Unreachable, Forbidden or StartTLSMissing verdict"
                + " here.")
        String failure) {}
