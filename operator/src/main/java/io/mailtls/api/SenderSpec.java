package io.mailtls.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * One sending server, known by the addresses it sends from (and, behind a shared address, its EHLO
 * names too); or, explicitly and with less trust, by its EHLO names alone.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    fieldPath = ".addresses",
    value =
        "has(self.addresses) ? !(has(self.ehloNameOnly) && self.ehloNameOnly)"
            + " : (has(self.ehloNames) && has(self.ehloNameOnly) && self.ehloNameOnly)",
    message =
        "a sender needs addresses: an EHLO name is a claim any client can make. A sender known by"
            + " ehloNames alone must say ehloNameOnly: true (then its findings are never critical)")
public record SenderSpec(
    @JsonPropertyDescription(
            "A name for the sender, unique in the policy: it names the sender in status, Events"
                + " and metrics.")
        @Required
        @Size(max = 63)
        @Pattern("^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$")
        String name,
    @JsonPropertyDescription(
            "The addresses the sender connects from: IP addresses or CIDR ranges (at most 16). A"
                + " session matches when its client address is in one of them.")
        @Size(max = 16)
        List<@Size(max = 43) @Pattern("^[0-9A-Fa-f.:]+(/[0-9]{1,3})?$") String> addresses,
    @JsonPropertyDescription(
            "The names the sender gives in EHLO/HELO, compared without case; *.example.com matches"
                + " any name below example.com (at most 16). With addresses too, a session must"
                + " match both: several servers behind one NAT address differ by name.")
        @Size(max = 16)
        List<@Size(max = 253) @Pattern(EHLO_NAME_PATTERN) String> ehloNames,
    @JsonPropertyDescription(
            "The sender's mail software, for the remediation text: Exchange, Postfix, Exim or"
                + " Other (all three).")
        @Default("Other")
        Software software,
    @JsonPropertyDescription(
            "True for a sender known by its ehloNames alone, without addresses. Any client can say"
                + " a name, so such a sender's findings never raise a critical verdict: what would"
                + " be OutdatedTLS or StartTLSNotUsed is Inconclusive. Give addresses wherever you"
                + " can.")
        Boolean ehloNameOnly) {

  private static final String LABEL = "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
  static final String EHLO_NAME_PATTERN = "^(\\*\\.)?" + LABEL + "(\\." + LABEL + ")*$";

  /** Mail software with its own outbound TLS settings. */
  public enum Software {
    @JsonProperty("Exchange")
    EXCHANGE,
    @JsonProperty("Postfix")
    POSTFIX,
    @JsonProperty("Exim")
    EXIM,
    @JsonProperty("Other")
    OTHER
  }
}
