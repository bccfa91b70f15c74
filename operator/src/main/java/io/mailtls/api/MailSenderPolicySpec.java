package io.mailtls.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Which sending servers to expect and what counts as compliant for them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    fieldPath = ".senders",
    value = "self.senders.all(a, self.senders.exists_one(b, b.name == a.name))",
    message = "senders must have unique names")
@ValidationRule(
    fieldPath = ".maxRecordAge",
    value =
        "!has(self.maxRecordAge)"
            + " || (duration(self.maxRecordAge) >= duration('1m')"
            + " && duration(self.maxRecordAge) <= duration('2160h'))",
    message = "maxRecordAge must be between 1m and 2160h (90 days)")
public record MailSenderPolicySpec(
    @JsonPropertyDescription(
            "The sending servers to expect (1 to " + MailSenderPolicySpec.MAX_SENDERS + ").")
        @Required
        @Size(min = 1, max = MailSenderPolicySpec.MAX_SENDERS)
        List<SenderSpec> senders,
    @JsonPropertyDescription(
            "The oldest protocol version a receiving peer may insist on that every sender must"
                + " still reach: TLSv1.2 (what Exchange Online requires) or TLSv1.3.")
        @Default("TLSv1.2")
        MinimumVersion minimumVersion,
    @JsonPropertyDescription(
            "Whether a sender must use STARTTLS. When false, a sender that sends without it is"
                + " compliant.")
        @Default("true")
        Boolean requireStartTls,
    @JsonPropertyDescription(
            "How old a sender's latest session may get before the sender counts as not seen:"
                + " from 1m to 2160h.")
        @Default("24h")
        @Size(max = 20)
        @Pattern(MailEndpointPolicySpec.DURATION_PATTERN)
        String maxRecordAge) {

  public static final int MAX_SENDERS = 64;
}
