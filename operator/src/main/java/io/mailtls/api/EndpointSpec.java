package io.mailtls.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** One mail endpoint of a policy. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    fieldPath = ".serverName",
    value = "!has(self.serverName) || !self.target.startsWith('mx://')",
    message =
        "a serverName does not apply to an mx:// target: each MX host is checked by its own name")
public record EndpointSpec(
    @JsonPropertyDescription(
            "The endpoint as scheme://host[:port]. Schemes: smtp (port 25, STARTTLS), submission"
                + " (587, STARTTLS), smtps (465), imap (143, STARTTLS), imaps (993), pop3 (110,"
                + " STARTTLS), pop3s (995). IPv6 addresses go in brackets: imaps://[2001:db8::1]."
                + " Or a mail domain as mx://domain[:port]: its MX records are looked up every round"
                + " and each MX host is probed with SMTP STARTTLS on port 25 (or the port given)."
                + " Example: smtp://mx1.example.com:25, mx://example.com")
        @Required
        @Size(max = 300)
        @Pattern(TARGET_PATTERN)
        String target,
    @JsonPropertyDescription(
            "The name sent in SNI and matched against the certificate. Defaults to the host of"
                + " target; set it when target is an IP address or a load balancer name.")
        @Size(max = 253)
        @Pattern(DNS_NAME_PATTERN)
        String serverName) {

  private static final String LABEL = "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
  public static final String DNS_NAME_PATTERN = "^" + LABEL + "(\\." + LABEL + ")*\\.?$";
  private static final String PORT =
      "(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3})";
  public static final String TARGET_PATTERN =
      "^((smtp|submission|smtps|imap|imaps|pop3|pop3s)://("
          + LABEL
          + "(\\."
          + LABEL
          + ")*|\\[[0-9A-Fa-f:.]+\\])|mx://"
          + LABEL
          + "(\\."
          + LABEL
          + ")*)(:"
          + PORT
          + ")?$";

  public EndpointSpec(String target) {
    this(target, null);
  }
}
