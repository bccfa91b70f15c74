package io.mailtls.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * What to probe and what counts as compliant. Durations are written like Kubernetes durations
 * ({@code 90s}, {@code 15m}, {@code 1h30m}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonDeserialize(using = UnreadableSpecs.Deserializer.class)
// Rules sit on the type, not on record components: a component's annotation is copied to its field
// and its accessor, and the CRD generator would emit each rule twice. fieldPath names the field.
@ValidationRule(
    fieldPath = ".endpoints",
    value =
        "self.endpoints.all(a, self.endpoints.exists_one(b, b.target == a.target"
            + " && (has(b.serverName) ? b.serverName : '')"
            + " == (has(a.serverName) ? a.serverName : '')))",
    message = "endpoints must not list the same target and serverName twice")
@ValidationRule(
    fieldPath = ".interval",
    value =
        "!has(self.interval)"
            + " || (duration(self.interval) >= duration('1m')"
            + " && duration(self.interval) <= duration('24h'))",
    message = "interval must be between 1m and 24h")
@ValidationRule(
    fieldPath = ".timeout",
    value =
        "!has(self.timeout)"
            + " || (duration(self.timeout) >= duration('1s')"
            + " && duration(self.timeout) <= duration('60s'))",
    message = "timeout must be between 1s and 60s")
public record MailEndpointPolicySpec(
    @JsonPropertyDescription(
            "The mail endpoints to probe (1 to "
                + MailEndpointPolicySpec.MAX_ENDPOINTS
                + "). A target may appear more than once only with different serverNames.")
        @Required
        @Size(min = 1, max = MailEndpointPolicySpec.MAX_ENDPOINTS)
        List<EndpointSpec> endpoints,
    @JsonPropertyDescription(
            "The oldest protocol version an endpoint may accept: TLSv1.2 (what Exchange Online"
                + " requires) or TLSv1.3. An endpoint that also accepts anything older is"
                + " non-compliant.")
        @Default("TLSv1.2")
        MinimumVersion minimumVersion,
    @JsonPropertyDescription(
            "Whether smtp, submission, imap and pop3 endpoints must offer STARTTLS. When false,"
                + " an endpoint without STARTTLS is compliant.")
        @Default("true")
        Boolean requireStartTls,
    @JsonPropertyDescription("How often the endpoints are probed: from 1m to 24h.")
        @Default("15m")
        @Size(max = 20)
        @Pattern(DURATION_PATTERN)
        String interval,
    @JsonPropertyDescription(
            "How long one connection (one protocol version) may take: from 1s to 60s. Versions"
                + " are probed at once, so one endpoint takes about this long at most.")
        @Default("10s")
        @Size(max = 20)
        @Pattern(DURATION_PATTERN)
        String timeout,
    @JsonPropertyDescription(
            "Stops probing while true; the last results stay in status and the Ready condition"
                + " says probing is suspended.")
        @Default("false")
        Boolean suspend,
    // Not a field of the resource: why a stored spec could not be read (see UnreadableSpecs).
    @JsonIgnore String unreadable) {

  public static final int MAX_ENDPOINTS = 64;

  public MailEndpointPolicySpec(
      List<EndpointSpec> endpoints,
      MinimumVersion minimumVersion,
      Boolean requireStartTls,
      String interval,
      String timeout,
      Boolean suspend) {
    this(endpoints, minimumVersion, requireStartTls, interval, timeout, suspend, null);
  }

  /** A spec the API server stored but this operator cannot read; {@code problem} says why. */
  static MailEndpointPolicySpec unreadable(String problem) {
    return new MailEndpointPolicySpec(null, null, null, null, null, null, problem);
  }

  static final String DURATION_PATTERN = "^([0-9]{1,6}(\\.[0-9]+)?(ms|s|m|h))+$";
}
