package io.mailtls.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** What the receiver last saw of one expected sender. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SenderStatus(
    @JsonPropertyDescription("The sender's name from spec.senders.") String name,
    @JsonPropertyDescription(
            "Compliant, OutdatedTLS (offers nothing at or above minimumVersion: it cannot send to"
                + " a TLS 1.2-only peer such as Office 365), StartTLSNotUsed, Inconclusive (seen,"
                + " but no session went far enough to tell) or NotSeen.")
        String verdict,
    @JsonPropertyDescription("Why, in words.") String message,
    @JsonPropertyDescription("What to change on the sender; absent when compliant.")
        String remediation,
    @JsonPropertyDescription("When the session the verdict rests on started (RFC 3339).")
        String lastSeen,
    @JsonPropertyDescription("The address that session came from.") String clientAddress,
    @JsonPropertyDescription("The EHLO/HELO name of that session.") String ehloName,
    @JsonPropertyDescription("Whether the sender issued STARTTLS in that session.")
        Boolean startTls,
    @JsonPropertyDescription(
            "The versions its ClientHello offered: the supported_versions list, or its legacy"
                + " version alone (then only its highest).")
        List<String> offeredVersions,
    @JsonPropertyDescription("Whether it offered an ECDHE suite with an AEAD cipher (or TLS 1.3).")
        Boolean modernSuitesOffered,
    @JsonPropertyDescription("The SNI name it sent, if any.") String serverName,
    @JsonPropertyDescription("The version agreed in the handshake, if one was.")
        String negotiatedVersion,
    @JsonPropertyDescription(
            "How that session ended: TestedWithTLS, TLSNegotiated, VersionRefused,"
                + " NoCommonCipher, HandshakeFailed, PlaintextRefused, TestedWithoutTLS,"
                + " NoMailAttempt, MalformedHello, ProtocolViolation or Timeout.")
        String outcome) {}
